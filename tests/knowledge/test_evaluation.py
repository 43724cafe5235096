"""Batch evaluation: reading a .jsonl of test questions, judging answers, the figures and misses."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from core.errors import Invalid
from knowledge import evaluation, service
from knowledge.evaluation import EvalItem, judge, parse_questions
from knowledge.models import QuestionLog
from knowledge.schemas import Answer, Source
from tests.knowledge.document_support import REGULATION_MD
from tests.support.shared import DEV_QA_PATH, require_shared


def _jsonl(*rows) -> bytes:
    return "\n".join(
        r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows
    ).encode()


# Known outcomes over the small regulation: right first, right text but wrong document,
# an in-scope question the base cannot answer, an off-topic one.
KNOWN = _jsonl(
    {"id": "a", "q": "油烟净化设施多久清洗一次", "in_scope": True, "must_contain_any": ["每季度"]},
    {
        "id": "b",
        "q": "油烟净化设施多久清洗一次？",
        "in_scope": True,
        "must_contain_any": ["每季度"],
        "document": "大气污染防治法",
    },
    {
        "id": "c",
        "q": "企业所得税汇算清缴截止到几号",
        "in_scope": True,
        "must_contain_any": ["5月31日"],
    },
    {"id": "d", "q": "明天上海会下雨吗", "in_scope": False},
)


@pytest.fixture
def regulation(session):
    return service.ingest_bytes(session, data=REGULATION_MD.encode(), filename="rules.md")


# ---- reading ------------------------------------------------------------------------------


def test_reads_the_shared_dev_set_format():
    require_shared()
    items = parse_questions(DEV_QA_PATH.read_bytes())
    assert len(items) == 40
    assert items[0].question == "2022年底前要完成哪几项目标" and items[0].in_scope
    assert items[2].measure == 2 and items[2].section == "一"
    assert not items[-1].in_scope and items[-1].must_contain_any == ()


def test_optional_document_and_article_are_read_and_blank_lines_and_bom_ignored():
    data = b"\xef\xbb\xbf" + _jsonl(
        {
            "q": "有效期几年",
            "in_scope": True,
            "must_contain_any": ["5年"],
            "document": "条例",
            "article": "第十四 条",
        },
        "",
        {"q": "天气", "in_scope": False},
    )
    first, second = parse_questions(data)
    assert (first.line, first.document, first.article) == (1, "条例", "第十四条")
    assert (second.line, second.in_scope) == (3, False)


def test_bad_lines_are_reported_by_number_and_nothing_is_evaluated():
    data = _jsonl(
        {"q": "好问题", "in_scope": False},
        "{not json",
        {"in_scope": True, "must_contain_any": ["x"]},
        {"q": "问", "in_scope": "yes"},
        {"q": "问", "in_scope": True},
        {"q": "问", "in_scope": True, "must_contain_any": ["x"], "measure": "二"},
        ["q"],
    )
    with pytest.raises(Invalid) as caught:
        parse_questions(data)
    assert caught.value.details == [
        "第2行: 不是合法的 JSON",
        "第3行: q（问题）不能为空",
        "第4行: in_scope 应为 true（知识库应能回答）或 false（应拒答）",
        '第5行: must_contain_any 应为非空的文本列表，如 ["有效期为5年"]',
        "第6行: measure 应为整数（措施编号）或 null",
        "第7行: 应为 JSON 对象（{…}）",
    ]
    assert "6 行有误" in caught.value.message


def test_the_number_of_questions_and_of_listed_errors_is_bounded():
    too_many = _jsonl(*[{"q": f"问{i}", "in_scope": False} for i in range(4)])
    with pytest.raises(Invalid, match="超过 3 个"):
        parse_questions(too_many, limit=3)
    bad = ("{" for _ in range(80))
    with pytest.raises(Invalid) as caught:
        parse_questions("\n".join(bad))
    assert len(caught.value.details) == evaluation.MAX_LISTED_ERRORS + 1
    assert caught.value.details[-1] == "……另有 30 行有误，未一一列出"


def test_empty_or_undecodable_files_are_refused():
    with pytest.raises(Invalid, match="没有问题"):
        parse_questions(b"\n\n")
    with pytest.raises(Invalid, match="不是 UTF-8"):
        parse_questions("问题".encode("gbk"))


# ---- judging ------------------------------------------------------------------------------


def _source(text: str, title: str = "排污许可管理条例", article: str | None = None) -> Source:
    return Source(title=title, text=text, article=article, score=0.9)


def _item(**fields) -> EvalItem:
    return EvalItem(
        line=1, question="有效期几年", in_scope=True, must_contain_any=("有效期为5年",), **fields
    )


def test_top1_counts_the_answer_text_or_the_first_source():
    by_text = Answer(answered=True, answer="……有效期为5年。", confidence=0.9, sources=[])
    by_source = Answer(
        answered=True, answer="见条例", confidence=0.9, sources=[_source("排污许可证有效期为5年。")]
    )
    assert judge(_item(), by_text).verdict == "ok"
    assert judge(_item(), by_source).top1


def test_top3_is_a_right_source_among_the_first_three_and_refusals_count_for_nothing():
    answer = Answer(
        answered=True,
        answer="见条例",
        confidence=0.7,
        sources=[_source("续期"), _source("变更"), _source("有效期为5年")],
    )
    outcome = judge(_item(), answer)
    assert (outcome.top1, outcome.top3, outcome.verdict) == (False, True, "top3")
    refused = Answer(answered=False, answer="抱歉", confidence=0.1, sources=[])
    assert judge(_item(), refused).verdict == "refused"


def test_article_and_document_must_match_the_source_that_holds_the_text():
    right = _source("有效期为5年", article="第十四条")
    wrong_article = _source("有效期为5年", article="第十五条")
    other_law = _source("有效期为5年", title="某地方办法", article="第十四条")
    item = _item(document="管理条例", article="第十四条")

    def answered(*sources):
        return Answer(answered=True, answer="有效期为5年", confidence=0.9, sources=list(sources))

    assert judge(item, answered(right)).top1
    assert not judge(item, answered(wrong_article)).top3
    assert not judge(item, answered(other_law)).top3
    outcome = judge(item, answered(wrong_article, right))
    assert (outcome.top1, outcome.top3) == (False, True)


def test_a_text_copied_with_spaced_numbers_is_found_as_ingestion_keeps_the_document():
    # the operator copies "决定后 24 小时内" from a file that spaces its numbers; ingestion
    # closed the spaces up, so the source reads "决定后24小时内"
    item = EvalItem(
        line=1, question="移送后多久交材料", in_scope=True, must_contain_any=("决定后 24 小时内",)
    )
    source = _source("应当自作出移送决定后24小时内向同级公安机关移交案件材料。")
    answer = Answer(answered=True, answer="见办法", confidence=0.9, sources=[source])
    assert judge(item, answer).verdict == "ok"
    # … also where the copy starts at the number
    starts = EvalItem(
        line=2, question="几天内告知", in_scope=True, must_contain_any=("24 小时内向",)
    )
    assert judge(starts, answer).verdict == "ok"


def test_out_of_scope_questions_must_be_refused():
    item = EvalItem(line=1, question="天气", in_scope=False)
    assert judge(item, Answer(answered=False, answer="抱歉", confidence=0.1)).verdict == "ok"
    answered = judge(item, Answer(answered=True, answer="晴", confidence=0.6))
    assert answered.verdict == "not_refused" and answered.missed


# ---- running against a knowledge base -----------------------------------------------------


def test_known_outcomes_over_a_small_regulation(session, regulation):
    report = evaluation.evaluate_file(session, KNOWN)

    assert report.figures() == {
        "total": 4,
        "in_scope": 3,
        "out_of_scope": 1,
        "top1": 1,
        "top3": 1,
        "in_scope_refused": 1,
        "out_of_scope_refused": 1,
        "top1_rate": 0.3333,
        "top3_rate": 0.3333,
        "in_scope_refused_rate": 0.3333,
        "out_of_scope_refused_rate": 1.0,
    }
    assert [(o.item.id, o.verdict) for o in report.misses] == [("b", "wrong"), ("c", "refused")]
    text = "\n".join(report.lines())
    assert "首条正确（top-1）：1/3 = 33.3%" in text
    assert "应拒答的问题被拒答：1/1 = 100.0%" in text
    assert "第2行 [答非所问] 油烟净化设施多久清洗一次？" in text
    assert "应包含：每季度（《大气污染防治法》）" in text
    assert "第3行 [应答却拒答] 企业所得税汇算清缴截止到几号" in text
    assert "第1行" not in text  # only misses unless verbose
    assert "第1行 [正确]" in "\n".join(report.lines(verbose=True))


def test_evaluation_logs_nothing(session, regulation):
    evaluation.evaluate_file(session, KNOWN)
    assert session.scalar(select(func.count(QuestionLog.id))) == 0


# ---- the API ------------------------------------------------------------------------------


@pytest.fixture
def admin_headers(make_user, auth_headers):
    return auth_headers(make_user("national"))


def test_api_evaluates_a_raw_jsonl_body(client, regulation, admin_headers):
    response = client.post(
        "/api/knowledge/eval",
        content=KNOWN,
        headers={**admin_headers, "Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["top1"], body["in_scope"], body["out_of_scope_refused_rate"]) == (1, 3, 1.0)
    assert [(m["line"], m["verdict"], m["verdict_label"]) for m in body["misses"]] == [
        (2, "wrong", "答非所问"),
        (3, "refused", "应答却拒答"),
    ]
    assert body["misses"][0]["expected"] == ["每季度"] and body["misses"][0]["cited"]


def test_api_accepts_a_multipart_file_and_reports_bad_lines(client, regulation, admin_headers):
    ok = client.post(
        "/api/knowledge/eval", files={"file": ("qa.jsonl", KNOWN)}, headers=admin_headers
    )
    assert ok.status_code == 200 and ok.json()["total"] == 4
    bad = client.post(
        "/api/knowledge/eval", content=b'{"q": "x", "in_scope": true}\n', headers=admin_headers
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        '第1行: must_contain_any 应为非空的文本列表，如 ["有效期为5年"]'
    ]


def test_api_is_for_admins_only(client, make_user, auth_headers):
    staff = auth_headers(make_user("staff", province="江苏省", city="苏州市"))
    assert client.post("/api/knowledge/eval", content=KNOWN, headers=staff).status_code == 403
    assert client.post("/api/knowledge/eval", content=KNOWN).status_code == 401
