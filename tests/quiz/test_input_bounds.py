"""Finding 13 (quiz part): no input brings the server down — out-of-range numbers, empty lists,
duplicate stems, control characters and malformed forms are 4xx with a Chinese message."""

from __future__ import annotations

import pytest

from quiz import attempts, importer, practice, rules, schemas, scoring
from tests.support.web import csrf_from

HUGE = 9223372036854775808  # 2**63: past every integer column


def _question(**fields) -> dict:
    data = {"kind": "单选", "stem": "边界测试题", "options": ["甲", "乙"], "answer": "B"}
    return {**data, **fields}


@pytest.fixture
def admin_headers(make_user, auth_headers):
    return auth_headers(make_user("national"))


def test_practice_answer_with_a_64_bit_question_id_is_422(client, staff, auth_headers):
    response = client.post(
        "/api/quiz/practice/answer",
        json={"question_id": HUGE, "choice": "A"},
        headers=auth_headers(staff),
    )
    assert response.status_code == 422 and "question_id: 数值太大" in response.json()["detail"]
    anonymous = client.post("/api/quiz/practice/answer", json={"question_id": HUGE, "choice": "A"})
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", f"/api/quiz/questions/{HUGE}"),
        ("post", f"/api/quiz/questions/{HUGE}/retire"),
        ("post", f"/api/quiz/contests/{HUGE}/attempts"),
        ("get", f"/api/quiz/attempts/{HUGE}"),
        ("post", f"/api/quiz/attempts/{HUGE}/submit"),
        ("get", f"/api/quiz/contests/{HUGE}/leaderboard"),
        ("get", f"/api/quiz/contests/{HUGE}/statistics"),
        ("get", "/api/quiz/questions?page=1000000000000000000"),
        ("get", "/api/quiz/certificates/QZ%00X.pdf"),
        ("get", "/api/quiz/questions?q=%00"),
        ("get", "/api/quiz/practice/question?tag=%00"),
        ("get", "/api/quiz/contests/1/leaderboard?city=%00"),
    ],
)
def test_unbounded_path_and_query_values_are_422(client, admin_headers, method, path):
    response = getattr(client, method)(path, headers=admin_headers)
    assert response.status_code == 422, response.text
    assert not response.json()["detail"].isascii()


def test_saving_at_an_absurd_position_is_422(client, admin_headers):
    response = client.put(
        f"/api/quiz/attempts/1/answers/{HUGE}", json={"choice": "A"}, headers=admin_headers
    )
    assert response.status_code == 422


def test_a_question_put_with_no_options_is_422_in_chinese(client, bank, admin_headers):
    response = client.put(
        f"/api/quiz/questions/{bank[0].id}",
        json=_question(stem=bank[0].stem, options=[]),
        headers=admin_headers,
    )
    assert response.status_code == 422
    assert "单选题至少需要两个选项" in response.json()["detail"]


def test_a_question_put_to_another_questions_stem_is_409(client, bank, admin_headers):
    response = client.put(
        f"/api/quiz/questions/{bank[1].id}",
        json=_question(stem=bank[0].stem),
        headers=admin_headers,
    )
    assert response.status_code == 409
    assert f"编号 {bank[0].id}" in response.json()["detail"]
    # The refused edit left nothing behind: the next request works on a clean session.
    assert client.get(f"/api/quiz/questions/{bank[1].id}", headers=admin_headers).json()[
        "stem"
    ] == (bank[1].stem)


def test_control_characters_in_a_question_are_422(client, admin_headers):
    response = client.post(
        "/api/quiz/questions", json=_question(stem="题干\x00里有空字符"), headers=admin_headers
    )
    assert response.status_code == 422 and "不能包含控制字符" in response.json()["detail"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"opens_at": "0001-01-01T00:00:00"}, "2000 年至 2100 年"),
        ({"closes_at": "9999-12-31T23:59:59"}, "2000 年至 2100 年"),
        ({"quotas": [{"count": 150}, {"count": 100}]}, "最多 200 题"),
        ({"quotas": [{"count": 1}] * 21}, "quotas"),
        ({"time_limit_minutes": HUGE}, "数值太大"),
    ],
)
def test_contest_settings_out_of_range_are_422(client, bank, admin_headers, change, message):
    body = {
        "title": "边界竞赛",
        "opens_at": "2026-01-01T09:00:00",
        "closes_at": "2026-02-01T09:00:00",
        "quotas": [{"count": 3}],
        **change,
    }
    response = client.post("/api/quiz/contests", json=body, headers=admin_headers)
    assert response.status_code == 422 and message in response.json()["detail"]


def test_parse_choice_without_options_explains_instead_of_crashing():
    assert scoring.parse_choice("单选", "A", 0) == (None, "题目没有选项，无法确定答案")


def test_an_answer_of_separators_only_is_empty_not_a_blank_key():
    assert scoring.parse_choice("多选", "，, 、", 4) == (None, "答案不能为空")


def test_an_import_row_with_control_characters_is_reported_on_its_line(session):
    # DEL is left to the importer's own check (the table reader strips only what XLSX cannot hold)
    data = "题型,题干,选项A,选项B,选项C,选项D,答案,难度\n单选,题干\x7f转义,甲,乙,,,A,2\n"
    report = importer.import_questions(session, data.encode(), filename="bank.csv")
    assert not report.written
    assert list(report.error_lines()) == ["第2行: 题干中含有控制字符"]


def test_characters_xlsx_cannot_hold_are_stripped_by_the_table_reader(session):
    from sqlalchemy import select

    from quiz.models import Question

    data = "题型,题干,选项A,选项B,选项C,选项D,答案,难度\n单选,题干\x1b转义,甲,乙,,,A,2\n"
    report = importer.import_questions(session, data.encode(), filename="bank.csv")
    assert report.written and report.created == 1
    assert session.scalar(select(Question.stem)) == "题干转义"


def test_an_import_row_without_options_is_reported_on_its_line(session):
    data = (
        "题型,题干,选项A,选项B,选项C,选项D,答案,难度\n"
        "单选,好题,甲,乙,,,A,2\n"
        "单选,没有选项的题,,,,,A,2\n"
    )
    report = importer.import_questions(session, data.encode(), filename="bank.csv")
    assert list(report.error_lines()) == ["第3行: 单选题至少需要两个选项"]
    assert not report.written


def test_service_lookups_treat_impossible_ids_as_missing(session, staff):
    from core.errors import NotFound

    with pytest.raises(NotFound):
        practice.check_practice_answer(session, user=staff, question_id=HUGE, choice="A")
    with pytest.raises(NotFound):
        rules.get_contest(session, HUGE)
    with pytest.raises(NotFound):
        attempts.save_answer(session, attempt_id=HUGE, user=staff, position=1, choice="A")


# ---- pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("question_id", ["abc", str(HUGE), "", "-1", "１２"])
def test_practice_form_with_a_bad_question_id_is_422(client, login, bank, staff, question_id):
    login("zhang")
    page = client.get("/quiz/practice")
    response = client.post(
        "/quiz/practice",
        data={"csrf_token": csrf_from(page.text), "question_id": question_id, "choice": "A"},
    )
    assert response.status_code == 422 and "题目编号无效" in response.text


@pytest.mark.parametrize(
    "path",
    [
        f"/quiz/contests/{HUGE}",
        f"/quiz/attempts/{HUGE}",
        f"/admin/quiz/questions/{HUGE}",
        "/admin/quiz/questions?page=100000000000000000000",
        f"/admin/quiz/contests/{HUGE}",
        "/admin/quiz/questions?q=%00",
        "/quiz/practice?tag=%00",
        "/quiz/contests/1/leaderboard?city=%1b",
    ],
)
def test_pages_with_impossible_numbers_or_control_characters_are_422(
    client, login, make_user, path
):
    make_user("national", username="boss")
    login("boss")
    assert client.get(path).status_code == 422


def test_question_form_with_a_huge_difficulty_or_control_character_is_422(client, login, make_user):
    make_user("national", username="boss")
    login("boss")
    page = client.get("/admin/quiz/questions/new")
    form = {
        "csrf_token": csrf_from(page.text),
        "kind": "单选",
        "stem": "表单边界题",
        "option0": "甲",
        "option1": "乙",
        "answer": "A",
        "difficulty": "9" * 5000,
        "status": "published",
    }
    too_hard = client.post("/admin/quiz/questions/new", data=form)
    assert too_hard.status_code == 422 and "难度应为 1–5 的整数" in too_hard.text
    control = client.post(
        "/admin/quiz/questions/new", data={**form, "difficulty": "2", "stem": "题\x1b干"}
    )
    assert control.status_code == 422 and "题干: 不能包含控制字符" in control.text


def test_contest_form_with_a_superscript_count_is_422(client, login, bank, make_user):
    make_user("national", username="boss")
    login("boss")
    page = client.get("/admin/quiz/contests")
    response = client.post(
        "/admin/quiz/contests",
        data={
            "csrf_token": csrf_from(page.text),
            "title": "上标数量",
            "audience_roles": ["staff"],
            "quotas": "许可证核发,不限,²",
        },
    )
    assert response.status_code == 422 and "抽题规则第1行" in response.text


def test_schema_bounds_are_documented(client):
    schema = client.get("/openapi.json").json()
    answer = schema["components"]["schemas"]["PracticeAnswer"]["properties"]["question_id"]
    assert answer["maximum"] == schemas.MAX_ID and answer["minimum"] == 1
