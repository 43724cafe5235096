"""Demo data for ``permithub demo``: a synthetic registry, the course catalogue, training, admins.

The registry is generated here (deterministically, so it is the same on every machine): about
2,000 units in 40-odd cities with valid 统一社会信用代码, the six courses of the training
campaign, and training records at a different pace in each city so the coverage report shows
regional differences. Everything goes through the importers' row functions, the same code path as
``permithub import``; ``courses.demo.load_demo_registry`` composes the units loaded here with the
course catalogue and training records of the courses domain (the kernel imports no domain).
Three admin accounts are created with random passwords that are returned in the message
(national ``admin``, provincial ``jiangsu``, city ``suzhou``).

Idempotent: when the registry already holds units the demo registry is not loaded again (real
data is never mixed with demo data), and existing accounts keep their passwords.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.accounts import service as account_service
from core.accounts.models import User
from core.config import get_settings
from core.enterprises.credit_code import check_character
from core.enterprises.importer import import_enterprise_rows
from core.enterprises.models import Enterprise
from core.errors import Invalid
from core.tabular import ImportReport, Row

DEMO_UNITS = 2000
DEMO_SEED = 20240630
DEMO_AS_OF = dt.date(2024, 6, 30)

# (province, city, division code); 苏州市 is where the demo city admin works.
DEMO_CITIES: tuple[tuple[str, str, str], ...] = (
    ("北京市", "北京市", "110100"),
    ("天津市", "天津市", "120100"),
    ("上海市", "上海市", "310100"),
    ("重庆市", "重庆市", "500100"),
    ("河北省", "石家庄市", "130100"),
    ("河北省", "唐山市", "130200"),
    ("河北省", "邯郸市", "130400"),
    ("山西省", "太原市", "140100"),
    ("内蒙古自治区", "包头市", "150200"),
    ("辽宁省", "沈阳市", "210100"),
    ("辽宁省", "鞍山市", "210300"),
    ("吉林省", "长春市", "220100"),
    ("黑龙江省", "哈尔滨市", "230100"),
    ("江苏省", "南京市", "320100"),
    ("江苏省", "无锡市", "320200"),
    ("江苏省", "徐州市", "320300"),
    ("江苏省", "常州市", "320400"),
    ("江苏省", "苏州市", "320500"),
    ("江苏省", "南通市", "320600"),
    ("浙江省", "杭州市", "330100"),
    ("浙江省", "宁波市", "330200"),
    ("浙江省", "嘉兴市", "330400"),
    ("浙江省", "绍兴市", "330600"),
    ("安徽省", "合肥市", "340100"),
    ("安徽省", "芜湖市", "340200"),
    ("福建省", "福州市", "350100"),
    ("福建省", "泉州市", "350500"),
    ("江西省", "南昌市", "360100"),
    ("山东省", "济南市", "370100"),
    ("山东省", "青岛市", "370200"),
    ("山东省", "潍坊市", "370700"),
    ("河南省", "郑州市", "410100"),
    ("河南省", "洛阳市", "410300"),
    ("湖北省", "武汉市", "420100"),
    ("湖南省", "长沙市", "430100"),
    ("广东省", "广州市", "440100"),
    ("广东省", "深圳市", "440300"),
    ("广东省", "佛山市", "440600"),
    ("广东省", "东莞市", "441900"),
    ("广西壮族自治区", "柳州市", "450200"),
    ("海南省", "海口市", "460100"),
    ("四川省", "成都市", "510100"),
    ("贵州省", "贵阳市", "520100"),
    ("云南省", "昆明市", "530100"),
    ("陕西省", "西安市", "610100"),
    ("甘肃省", "兰州市", "620100"),
    ("青海省", "西宁市", "630100"),
    ("宁夏回族自治区", "银川市", "640100"),
    ("新疆维吾尔自治区", "乌鲁木齐市", "650100"),
)
DEMO_INDUSTRIES = (
    "火电",
    "造纸",
    "水泥",
    "化工",
    "钢铁",
    "制药",
    "印染",
    "电镀",
    "污水处理",
    "畜禽养殖",
    "平板玻璃",
    "炼焦",
    "石化",
    "有色金属冶炼",
    "农药",
    "制革",
    "汽车制造",
    "食品加工",
)
DEMO_COURSES: tuple[tuple[str, str, str, str], ...] = (  # code, title, audience, kind
    ("LR-2022", "重点管理排污单位法定代表人专题培训班（2022年）", "法定代表人", "必修"),
    ("LR-2023", "重点管理排污单位法定代表人专题培训班（2023年）", "法定代表人", "必修"),
    ("LR-2024", "重点管理排污单位法定代表人专题培训班（2024年）", "法定代表人", "必修"),
    ("EP-101", "排污许可证执行报告填报实务", "环保负责人", "选修"),
    ("AP-201", "排污许可证质量审核要点（审批人员年度培训）", "审批人员", "必修"),
    ("TA-301", "第三方技术机构环保管理人员培训", "技术机构人员", "必修"),
)
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万"
    "钱严武戴孔汤"
)
_GIVEN = (
    "伟芳娜英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华建国志海燕红梅晓东俊宇轩涵浩然欣怡思远博萱嘉"
)
_WORDS = "华宏兴盛达鑫恒泰瑞丰源昌隆信诚德祥安和永新金通宝利远中天海润嘉"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Letters and digits that cannot be mistaken for one another when copied by hand.
_PASSWORD_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"

DEMO_ACCOUNTS: tuple[tuple[str, str, str | None, str | None, str], ...] = (
    # username, role, province, city, display name
    ("admin", "national", None, None, "部级管理员"),
    ("jiangsu", "province", "江苏省", None, "江苏省管理员"),
    ("suzhou", "city", "江苏省", "苏州市", "苏州市管理员"),
)


def registry_skip_line(session: Session) -> str | None:
    """Why the demo registry is not loaded (the registry already holds units), or ``None``."""
    existing = session.scalar(select(func.count()).select_from(Enterprise)) or 0
    if not existing:
        return None
    return (
        f"排污单位名录中已有 {existing} 家单位，跳过演示名录、课程和培训记录"
        "（演示数据只载入空数据库）。"
    )


def load_demo_units(session: Session, units: list[Row]) -> ImportReport:
    """Import the generated units through the enterprise importer; our own rows must be valid."""
    return check_demo_report(import_enterprise_rows(session, units))


def check_demo_report(report: ImportReport) -> ImportReport:
    """Our own generator must produce valid rows: say so loudly if not."""
    if not report.ok:
        raise Invalid("演示数据生成有误", details=list(report.error_lines())[:20])
    return report


def load_demo_accounts(session: Session) -> list[str]:
    """Create the demo admin accounts that do not exist yet; lines that print their passwords."""
    accounts = [_ensure_account(session, *account) for account in DEMO_ACCOUNTS]
    created = any("密码 " in line for line in accounts)
    lines = ["管理员账号（新生成的密码只显示这一次，请妥善保管）：" if created else "管理员账号："]
    lines.extend("  " + line for line in accounts)
    lines.append(f"登录地址：{get_settings().base_url}/login")
    return lines


def _demo_password() -> str:
    """12 random letters and digits that pass the password rules (redrawn in the rare case not)."""
    from core.accounts.passwords import password_problem

    while True:
        password = "".join(secrets.choice(_PASSWORD_CHARS) for _ in range(12))
        if password_problem(password) is None:
            return password


def _ensure_account(
    session: Session,
    username: str,
    role: str,
    province: str | None,
    city: str | None,
    display_name: str,
) -> str:
    where = "".join(p for p in (province, city if city != province else None) if p)
    label = {"national": "部级管理员", "province": "省级管理员", "city": "市级管理员"}[role]
    who = f"{label} {username}" + (f"（{where}）" if where else "")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        return f"{who}：账号已存在，保留原密码"
    password = _demo_password()
    account_service.create_user(
        session,
        username=username,
        password=password,
        role=role,
        province=province,
        city=city,
        display_name=display_name,
    )
    return f"{who}：密码 {password}"


def generate_demo_rows(
    n: int = DEMO_UNITS, seed: int = DEMO_SEED, as_of: dt.date = DEMO_AS_OF
) -> tuple[list[Row], list[Row]]:
    """Rows of enterprises.csv and training.csv (as the importers read them), deterministic."""
    rng = random.Random(seed)
    # Each city trains at its own pace; a few lag far behind so the coverage map has contrast.
    pace = {
        division: rng.choice((0.25, 0.45, 0.6, 0.75, 0.9, 0.97)) for _, _, division in DEMO_CITIES
    }
    lr_courses = [c[0] for c in DEMO_COURSES if c[2] == "法定代表人"]
    units: list[Row] = []
    training: list[Row] = []
    seen: set[str] = set()
    for _ in range(n):
        province, city, division = rng.choice(DEMO_CITIES)
        code = _credit_code(rng, division)
        while code in seen:
            code = _credit_code(rng, division)
        seen.add(code)
        roll = rng.random()
        category = "重点管理" if roll < 0.2 else "简化管理" if roll < 0.55 else "登记管理"
        status = "有效" if rng.random() > 0.03 else rng.choice(("注销", "过期", "撤销"))
        industry = rng.choice(DEMO_INDUSTRIES)
        name = f"{city.removesuffix('市')}{''.join(rng.sample(_WORDS, 2))}{industry}有限公司"
        rep = _person(rng)
        rep_since = _date_between(rng, dt.date(2010, 1, 1), as_of)
        if category == "重点管理" and rng.random() < pace[division]:
            course = rng.choice(lr_courses)
            year = int(course[-4:])
            done = _date_between(rng, dt.date(year, 3, 1), min(dt.date(year, 12, 20), as_of))
            trainee = rep
            if rng.random() < 0.07:  # the trained representative has since been replaced
                while trainee == rep:
                    trainee = _person(rng)
                rep_since = _date_between(rng, done, as_of)
            training.append(
                _training_row(code, trainee, "法定代表人", course, done, rng.random() > 0.04)
            )
        if rng.random() < 0.25:
            done = _date_between(rng, dt.date(2022, 1, 1), as_of)
            training.append(_training_row(code, _person(rng), "环保负责人", "EP-101", done, True))
        units.append(
            {
                "credit_code": code,
                "name": name,
                "province": province,
                "city": city,
                "division_code": division,
                "industry": industry,
                "management_category": category,
                "permit_status": status,
                "legal_rep_name": rep,
                "legal_rep_since": rep_since.isoformat(),
            }
        )
    return (
        [Row(i + 2, values) for i, values in enumerate(units)],
        [Row(i + 2, values) for i, values in enumerate(training)],
    )


def _training_row(
    code: str, person: str, role: str, course: str, done: dt.date, passed: bool
) -> dict:
    return {
        "credit_code": code,
        "person_name": person,
        "role": role,
        "course_code": course,
        "completed_on": done.isoformat(),
        "passed": "true" if passed else "false",
    }


def _credit_code(rng: random.Random, division: str) -> str:
    """A code for a company (登记管理部门 9, 类别 1) registered in ``division``."""
    org = "".join(rng.choice("0123456789") for _ in range(8))
    check = 11 - sum(int(c) * w for c, w in zip(org, _ORG_WEIGHTS, strict=True)) % 11
    body = "91" + division + org + {10: "X", 11: "0"}.get(check, str(check))
    return body + check_character(body)


def _person(rng: random.Random) -> str:
    given = rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(_SURNAMES) + given


def _date_between(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    return low + dt.timedelta(days=rng.randrange(max(1, (high - low).days + 1)))
