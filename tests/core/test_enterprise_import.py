"""Importing the registry: validation, the generator's dirty-row oracle, upserts, history."""

import csv
import datetime as dt

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from core.enterprises.credit_code import check_character
from core.enterprises.importer import ENTERPRISE_COLUMNS, import_enterprises, legal_rep_history
from core.enterprises.models import Enterprise, LegalRepChange
from core.errors import Invalid
from core.regions.scope import RegionScope
from tests.support.registry import dirty_lines


def read_rows(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_rows(path, rows, encoding="utf-8"):
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(ENTERPRISE_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def unit_count(session) -> int:
    return session.scalar(select(func.count()).select_from(Enterprise))


def unit(session, code) -> Enterprise:
    return session.scalar(select(Enterprise).where(Enterprise.credit_code == code))


GOOD = {
    "credit_code": "91320500000000001F",
    "name": "苏州华宏化工有限公司",
    "province": "江苏省",
    "city": "苏州市",
    "division_code": "320500",
    "industry": "化工",
    "management_category": "重点管理",
    "permit_status": "有效",
    "legal_rep_name": "王伟",
    "legal_rep_since": "2020-03-01",
}


@pytest.fixture
def good_code():
    """A valid credit code for hand-written rows (check digit computed, not hard-coded)."""
    body = GOOD["credit_code"][:17]
    return body + check_character(body)


def test_generated_registry_imports_every_unit_with_its_fields(session, registry_files):
    folder = registry_files(n=400, seed=7)
    report = import_enterprises(session, folder / "enterprises.csv")
    assert report.ok and report.written
    assert (report.total, report.created, report.updated, report.unchanged) == (400, 400, 0, 0)
    assert unit_count(session) == 400
    row = read_rows(folder / "enterprises.csv")[123]
    stored = unit(session, row["credit_code"])
    assert (stored.name, stored.province, stored.city, stored.management_category) == (
        row["name"],
        row["province"],
        row["city"],
        row["management_category"],
    )
    assert stored.legal_rep_since == dt.date.fromisoformat(row["legal_rep_since"])


def test_reimporting_the_same_file_changes_nothing(session, registry_files):
    folder = registry_files(n=400, seed=7)
    import_enterprises(session, folder / "enterprises.csv")
    stamp = session.scalar(select(func.max(Enterprise.updated_at)))
    again = import_enterprises(session, folder / "enterprises.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 400)
    assert unit_count(session) == 400
    assert session.scalar(select(func.max(Enterprise.updated_at))) == stamp
    assert session.scalar(select(func.count()).select_from(LegalRepChange)) == 0


def test_new_legal_representative_updates_the_unit_and_keeps_the_history(
    session, registry_files, tmp_path
):
    folder = registry_files(n=400, seed=7)
    rows = read_rows(folder / "enterprises.csv")
    import_enterprises(session, folder / "enterprises.csv")
    code, first_rep = rows[5]["credit_code"], rows[5]["legal_rep_name"]

    rows[5].update(legal_rep_name="新代表甲", legal_rep_since="2024-03-01")
    report = import_enterprises(session, write_rows(tmp_path / "v2.csv", rows))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 399)
    rows[5].update(legal_rep_name="新代表乙", legal_rep_since="2024-05-20")
    import_enterprises(session, write_rows(tmp_path / "v3.csv", rows))

    stored = unit(session, code)
    assert (stored.legal_rep_name, stored.legal_rep_since) == ("新代表乙", dt.date(2024, 5, 20))
    history = [
        (c.previous_name, c.new_name, c.changed_on)
        for c in legal_rep_history(session, enterprise_id=stored.id)
    ]
    assert history == [
        (first_rep, "新代表甲", dt.date(2024, 3, 1)),
        ("新代表甲", "新代表乙", dt.date(2024, 5, 20)),
    ]


def test_other_changes_update_without_a_legal_rep_record(session, registry_files, tmp_path):
    folder = registry_files(n=400, seed=7)
    rows = read_rows(folder / "enterprises.csv")
    import_enterprises(session, folder / "enterprises.csv")
    rows[0]["permit_status"] = "注销"
    report = import_enterprises(session, write_rows(tmp_path / "v2.csv", rows))
    assert report.updated == 1
    assert unit(session, rows[0]["credit_code"]).permit_status == "注销"
    assert session.scalar(select(func.count()).select_from(LegalRepChange)) == 0


@pytest.mark.parametrize("seed", [7, 11, 23])
def test_dirty_file_reports_exactly_the_listed_lines_and_writes_nothing(
    session, registry_files, seed
):
    folder = registry_files(n=400, seed=seed)
    report = import_enterprises(session, folder / "enterprises_dirty.csv")
    assert report.bad_lines == dirty_lines(folder, "enterprises_dirty.csv")
    assert not report.written and (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert unit_count(session) == 0
    assert all(line.startswith("第") and "行: " in line for line in report.error_lines())
    assert "未导入任何数据" in report.summary()


@pytest.mark.parametrize("seed", [7, 11, 23])
def test_dirty_file_with_skip_invalid_imports_the_good_rows(session, registry_files, seed):
    folder = registry_files(n=400, seed=seed)
    report = import_enterprises(session, folder / "enterprises_dirty.csv", skip_invalid=True)
    assert report.bad_lines == dirty_lines(folder, "enterprises_dirty.csv")
    assert report.written and report.created == 400
    assert unit_count(session) == 400
    clean_names = {r["name"] for r in read_rows(folder / "enterprises.csv")}
    assert set(session.scalars(select(Enterprise.name))) == clean_names


def test_each_kind_of_fault_gets_its_own_reason(session, registry_files):
    import json

    folder = registry_files(n=400, seed=7)
    oracle = json.loads((folder / "dirty_rows.json").read_text(encoding="utf-8"))[
        "enterprises_dirty.csv"
    ]
    report = import_enterprises(session, folder / "enterprises_dirty.csv")
    reasons = dict(line.split(": ", 1) for line in report.error_lines())
    expected = {
        "bad check digit": "校验位错误",
        "credit code too short": "应为18位",
        "illegal character O": "非法字符“O”",
        "unknown management category": "管理类别“重点”无效",
        "empty unit name": "单位名称不能为空",
        "bad date": "不是有效日期",
        "duplicate credit code": "重复",
    }
    for entry in oracle:
        assert expected[entry["why"]] in reasons[f"第{entry['line']}行"], entry


def test_hand_written_rows_are_checked_field_by_field(session, tmp_path, good_code):
    good = dict(GOOD, credit_code=good_code)
    rows = [
        good,
        dict(good, province="江苏"),
        dict(good, division_code="110100"),
        dict(good, division_code="32A5"),
        dict(good, permit_status="暂停"),
        dict(good, legal_rep_name=""),
        dict(good, legal_rep_since="2023/2/30"),
    ]
    report = import_enterprises(session, write_rows(tmp_path / "u.csv", rows))
    reasons = list(report.error_lines())
    assert reasons[0].startswith("第3行: 省份“江苏”不是省级行政区全称")
    assert reasons[1].startswith("第4行: 行政区划代码 110100 不属于江苏省")
    assert reasons[2].startswith("第5行: 行政区划代码“32A5”应为6位数字")
    assert reasons[3].startswith("第6行: 许可证状态“暂停”无效")
    assert reasons[4].startswith("第7行: 法定代表人不能为空")
    assert reasons[5].startswith("第8行: 法定代表人任职日期“2023/2/30”不是有效日期")
    assert all("重复" in r for r in reasons)  # the same code as line 2, too
    assert unit_count(session) == 0


def test_lowercase_credit_code_is_stored_upper_case(session, tmp_path, good_code):
    report = import_enterprises(
        session, write_rows(tmp_path / "u.csv", [dict(GOOD, credit_code=good_code.lower())])
    )
    assert report.created == 1
    assert unit(session, good_code) is not None


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_generated_file_in_excel_encodings_imports_the_same(
    session, registry_files, tmp_path, encoding
):
    folder = registry_files(n=400, seed=7)
    path = write_rows(
        tmp_path / "excel.csv", read_rows(folder / "enterprises.csv"), encoding=encoding
    )
    report = import_enterprises(session, path)
    assert report.created == 400 and report.ok
    assert {e.name for e in session.scalars(select(Enterprise))} == {
        r["name"] for r in read_rows(folder / "enterprises.csv")
    }


def test_xlsx_with_the_same_columns_imports_and_reports_sheet_rows(
    session, registry_files, tmp_path
):
    folder = registry_files(n=400, seed=7)
    rows = read_rows(folder / "enterprises.csv")[:50]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(ENTERPRISE_COLUMNS))
    for row in rows:
        values = [row[c] for c in ENTERPRISE_COLUMNS]
        values[9] = dt.date.fromisoformat(values[9])  # a real Excel date cell
        sheet.append(values)
    sheet.append([rows[0]["credit_code"][:17]] + [rows[0][c] for c in ENTERPRISE_COLUMNS[1:]])
    workbook.save(tmp_path / "units.xlsx")

    report = import_enterprises(session, tmp_path / "units.xlsx", skip_invalid=True)
    assert report.created == 50
    assert list(report.error_lines()) == ["第52行: 统一社会信用代码应为18位，实际为17位"]
    assert unit(session, rows[3]["credit_code"]).legal_rep_since == dt.date.fromisoformat(
        rows[3]["legal_rep_since"]
    )


def test_wrong_header_and_empty_file_raise_one_clear_message(session, tmp_path):
    (tmp_path / "training.csv").write_text(
        "credit_code,person_name,role\nx,y,z\n", encoding="utf-8"
    )
    with pytest.raises(Invalid, match="缺少列：name、province"):
        import_enterprises(session, tmp_path / "training.csv")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(Invalid, match="是空的"):
        import_enterprises(session, tmp_path / "empty.csv")


def test_city_admin_cannot_import_units_outside_their_city(session, registry_files):
    folder = registry_files(n=400, seed=7)
    rows = read_rows(folder / "enterprises.csv")
    suzhou = RegionScope("江苏省", "苏州市")
    report = import_enterprises(
        session, folder / "enterprises.csv", scope=suzhou, skip_invalid=True
    )
    outside = {i + 2 for i, r in enumerate(rows) if r["city"] != "苏州市"}
    assert report.bad_lines == outside
    assert all("不在您的管辖范围内" in line for line in report.error_lines())
    assert report.created == 400 - len(outside)
    assert set(session.scalars(select(Enterprise.city))) == {"苏州市"}


def test_city_admin_cannot_move_another_citys_unit_into_their_city(session, tmp_path, good_code):
    nanjing = dict(GOOD, credit_code=good_code, city="南京市", division_code="320100")
    import_enterprises(session, write_rows(tmp_path / "a.csv", [nanjing]))
    report = import_enterprises(
        session,
        write_rows(tmp_path / "b.csv", [dict(nanjing, city="苏州市", division_code="320500")]),
        scope=RegionScope("江苏省", "苏州市"),
    )
    assert list(report.error_lines()) == ["第2行: 不在您的管辖范围内（该单位已登记在江苏省南京市）"]
    assert unit(session, good_code).city == "南京市"


@pytest.fixture
def small_chunks(monkeypatch):
    """Validate and write 37 rows at a time, so every file spans many chunks."""
    import core.bulk

    monkeypatch.setattr(core.bulk, "CHUNK_ROWS", 37)


def test_bad_row_in_a_late_chunk_undoes_the_chunks_already_written(
    session, registry_files, small_chunks
):
    folder = registry_files(n=400, seed=11)
    report = import_enterprises(session, folder / "enterprises_dirty.csv")
    assert report.bad_lines == dirty_lines(folder, "enterprises_dirty.csv")
    assert not report.written and (report.created, report.unchanged) == (0, 0)
    assert unit_count(session) == 0


def test_chunks_with_skip_invalid_still_catch_duplicates_across_chunks(
    session, registry_files, tmp_path, small_chunks
):
    folder = registry_files(n=400, seed=11)
    rows = read_rows(folder / "enterprises.csv")
    rows.append(dict(rows[3], name="后来的同代码单位"))  # line 402 repeats line 5, chunks apart
    report = import_enterprises(session, write_rows(tmp_path / "d.csv", rows), skip_invalid=True)
    assert list(report.error_lines()) == [
        f"第402行: 统一社会信用代码 {rows[3]['credit_code']} 与第5行重复"
    ]
    assert report.created == unit_count(session) == 400


def test_file_that_turns_unreadable_midway_imports_nothing(
    session, registry_files, tmp_path, small_chunks
):
    folder = registry_files(n=1000, seed=7)
    rows = read_rows(folder / "enterprises.csv")
    path = write_rows(tmp_path / "mixed.csv", rows[:-1])
    last = ",".join(rows[-1][c] for c in ENTERPRISE_COLUMNS) + "\r\n"
    with path.open("ab") as f:
        f.write(last.encode("gbk"))  # a GBK line after 100 KB of UTF-8
    with pytest.raises(Invalid, match="无法按 UTF-8 编码读取"):
        import_enterprises(session, path)
    assert unit_count(session) == 0


def test_existing_units_are_found_across_several_lookup_queries(
    session, registry_files, monkeypatch
):
    import core.bulk

    folder = registry_files(n=400, seed=7)
    import_enterprises(session, folder / "enterprises.csv")
    monkeypatch.setattr(core.bulk, "IN_CHUNK", 7)
    again = import_enterprises(session, folder / "enterprises.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 400)
