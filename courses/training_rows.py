"""Checks every import of training evidence shares: training.csv and class rosters.

One wording for one mistake, whichever file it is in: the person's name, their role, the unit
(by 统一社会信用代码, looked up through ``core.enterprises.service.unit_refs``) and whether it
lies in the importing admin's region, and the yes/no columns.
"""

from __future__ import annotations

from core.enterprises.credit_code import credit_code_problem
from core.enterprises.service import UnitRef
from core.regions.scope import RegionScope
from core.tabular import check_length, parse_bool
from courses.models import Audience

AUDIENCES: tuple[str, ...] = tuple(a.value for a in Audience)
YES_NO_WORDS = "是/否（也可写 true/false、1/0、通过/未通过）"
NO_CREDIT_CODE = "统一社会信用代码不能为空"


def parse_yes_no(text: str, label: str) -> tuple[bool | None, str | None]:
    """是/否 and the other spellings every training import accepts, with a Chinese message."""
    value, problem = parse_bool(text, label)
    if problem:
        return None, f"{label}“{text}”无法识别，应为{YES_NO_WORDS}"
    return value, None


def person_problem(person: str) -> str | None:
    """What is wrong with a trainee's name (empty, too long), or ``None``."""
    return check_length(person, "人员姓名", 64)


def role_problem(role: str) -> str | None:
    """What is wrong with a trainee's role (人员身份), or ``None``."""
    if role in AUDIENCES:
        return None
    return f"人员身份“{role}”无效，应为{'、'.join(AUDIENCES)}之一"


def unit_problem(
    code: str,
    unit: UnitRef | None,
    scope: RegionScope | None,
    *,
    missing: str = NO_CREDIT_CODE,
) -> str | None:
    """What is wrong with the unit a row names: no code, a bad code, unknown, outside the scope.

    ``unit`` is what ``unit_refs`` found for ``code``; ``missing`` says what an empty code means
    in this file (a roster also lists staff, who have no unit).
    """
    if not code:
        return missing
    if problem := credit_code_problem(code):
        return problem
    if unit is None:
        return f"排污单位名录中没有统一社会信用代码为 {code} 的单位，请先导入排污单位"
    if scope is not None and not scope.allows(unit.province, unit.city):
        return scope.outside(unit.province, unit.city)
    return None
