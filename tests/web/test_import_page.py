"""The admins' upload page at /admin/import: CSRF, the report with every bad line, region limits."""

import html
import io
import json
import re
import subprocess
import sys

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from core.enterprises.models import Enterprise
from courses.models import Course, TrainingRecord
from tests.support.shared import GENERATOR_PATH, require_shared
from tests.support.web import csrf_from


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A small generated registry with its dirty copies."""
    require_shared()
    folder = tmp_path_factory.mktemp("upload")
    subprocess.run(
        [sys.executable, str(GENERATOR_PATH), str(folder), "--n", "300", "--seed", "5", "--dirty"],
        check=True,
        capture_output=True,
    )
    return folder


def upload(client, kind, name, data, *, skip=False, token=None):
    token = token or csrf_from(client.get("/admin/import").text)
    form = {"csrf_token": token, "kind": kind}
    if skip:
        form["skip_invalid"] = "1"
    return client.post("/admin/import", data=form, files={"file": (name, data, "text/csv")})


def listed_lines(page_html) -> list[str]:
    return [html.unescape(m) for m in re.findall(r"<li>(第\d+行: [^<]*)</li>", page_html)]


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_anonymous_visitors_are_sent_to_login_and_staff_are_refused(client, make_user, login):
    assert client.get("/admin/import", follow_redirects=False).status_code == 303
    make_user("staff", username="clerk", province="江苏省", city="苏州市", staff_kind="审批人员")
    login("clerk")
    assert client.get("/admin/import").status_code == 403


def test_page_offers_the_three_kinds_and_the_skip_checkbox(client, make_user, login):
    make_user("national", username="boss")
    login("boss")
    page = client.get("/admin/import")
    assert page.status_code == 200
    for text in (
        "排污单位",
        "课程",
        "培训记录",
        "跳过有误的行",
        'enctype="multipart/form-data"',
        'name="csrf_token"',
    ):
        assert text in page.text


def test_upload_without_csrf_token_is_refused(client, make_user, login, files, session):
    make_user("national", username="boss")
    login("boss")
    data = (files / "enterprises.csv").read_bytes()
    response = client.post(
        "/admin/import", data={"kind": "enterprises"}, files={"file": ("e.csv", data)}
    )
    assert response.status_code == 403
    assert count(session, Enterprise) == 0


def test_national_admin_imports_units_courses_and_training(
    client, make_user, login, files, session
):
    make_user("national", username="boss")
    login("boss")
    units = upload(
        client, "enterprises", "enterprises.csv", (files / "enterprises.csv").read_bytes()
    )
    assert units.status_code == 200
    assert "排污单位导入完成：共 300 行数据，新增 300 条" in units.text
    assert (
        upload(client, "courses", "courses.csv", (files / "courses.csv").read_bytes()).status_code
        == 200
    )
    training = upload(client, "training", "training.csv", (files / "training.csv").read_bytes())
    assert "培训记录导入完成" in training.text
    assert count(session, Enterprise) == 300 and count(session, Course) == 6
    assert count(session, TrainingRecord) > 0
    again = upload(
        client, "enterprises", "enterprises.csv", (files / "enterprises.csv").read_bytes()
    )
    assert "新增 0 条，更新 0 条，未变化 300 条" in again.text


def test_dirty_upload_lists_every_bad_line_and_imports_nothing(
    client, make_user, login, files, session
):
    make_user("national", username="boss")
    login("boss")
    oracle = json.loads((files / "dirty_rows.json").read_text(encoding="utf-8"))[
        "enterprises_dirty.csv"
    ]
    response = upload(
        client, "enterprises", "dirty.csv", (files / "enterprises_dirty.csv").read_bytes()
    )
    assert response.status_code == 422
    assert "未导入任何数据" in response.text
    assert [int(re.match(r"第(\d+)行", line).group(1)) for line in listed_lines(response.text)] == [
        e["line"] for e in oracle
    ]
    assert count(session, Enterprise) == 0

    skipped = upload(
        client,
        "enterprises",
        "dirty.csv",
        (files / "enterprises_dirty.csv").read_bytes(),
        skip=True,
    )
    assert skipped.status_code == 200
    assert f"跳过有误的 {len(oracle)} 行" in skipped.text
    assert len(listed_lines(skipped.text)) == len(oracle)
    assert count(session, Enterprise) == 300


def test_xlsx_upload(client, make_user, login, files, session):
    make_user("national", username="boss")
    login("boss")
    lines = (files / "enterprises.csv").read_text(encoding="utf-8").splitlines()[:11]
    workbook = Workbook()
    for line in lines:
        workbook.active.append(line.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(client, "enterprises", "名录.xlsx", buffer.getvalue())
    assert "新增 10 条" in response.text
    assert count(session, Enterprise) == 10


def test_gbk_csv_upload(client, make_user, login, files, session):
    make_user("national", username="boss")
    login("boss")
    data = (files / "enterprises.csv").read_text(encoding="utf-8").encode("gbk")
    assert "新增 300 条" in upload(client, "enterprises", "gbk.csv", data).text


def test_wrong_header_and_missing_file_show_a_clear_message(client, make_user, login, files):
    make_user("national", username="boss")
    login("boss")
    wrong = upload(client, "enterprises", "training.csv", (files / "training.csv").read_bytes())
    assert wrong.status_code == 422
    assert "表头（第1行）不正确" in html.unescape(wrong.text) and "缺少列" in wrong.text
    token = csrf_from(client.get("/admin/import").text)
    empty = client.post("/admin/import", data={"csrf_token": token, "kind": "enterprises"})
    assert empty.status_code == 422 and "请选择要上传的" in empty.text
    blank = upload(client, "enterprises", "empty.csv", b"")
    assert blank.status_code == 422 and "是空的" in blank.text


def test_city_admin_import_reports_units_outside_their_city(
    client, make_user, login, files, session
):
    make_user("city", username="sz", province="江苏省", city="苏州市")
    login("sz")
    page = client.get("/admin/import")
    assert "辖区以外的行会作为有误的行列出" in page.text
    response = upload(
        client,
        "enterprises",
        "enterprises.csv",
        (files / "enterprises.csv").read_bytes(),
        skip=True,
    )
    assert response.status_code == 200
    lines = listed_lines(response.text)
    rows = (files / "enterprises.csv").read_text(encoding="utf-8").splitlines()[1:]
    outside = [i + 2 for i, row in enumerate(rows) if row.split(",")[3] != "苏州市"]
    # The page lists the first 100 bad lines and offers all of them as a file.
    assert [int(re.match(r"第(\d+)行", line).group(1)) for line in lines] == outside[:100]
    assert all("不在您的管辖范围内" in line for line in lines)
    assert f"共 {len(outside)} 行有误" in response.text
    link = re.search(r'href="(/admin/import/errors/[^"]+\.txt)"', response.text).group(1)
    full = client.get(link).text.splitlines()[2:]
    assert [int(re.match(r"第(\d+)行", line).group(1)) for line in full] == outside
    assert set(session.scalars(select(Enterprise.city))) == {"苏州市"}
    assert count(session, Enterprise) == 300 - len(outside) > 0


def test_city_admin_cannot_import_the_course_catalogue(client, make_user, login, files, session):
    make_user("city", username="sz", province="江苏省", city="苏州市")
    login("sz")
    response = upload(client, "courses", "courses.csv", (files / "courses.csv").read_bytes())
    assert response.status_code == 403
    assert "仅部级管理员" in response.text or "由部级管理员维护" in response.text
    assert count(session, Course) == 0


def test_template_download_has_the_header(client, make_user, login):
    make_user("province", username="js", province="江苏省")
    login("js")
    response = client.get("/admin/import/template/training.csv")
    assert response.status_code == 200
    assert (
        response.content.decode("utf-8-sig").strip()
        == "credit_code,person_name,role,course_code,completed_on,passed"
    )
    assert client.get("/admin/import/template/nothing.csv").status_code == 404
