"""Technical specifications are cut into numbered clauses: one passage per 4.2.6, cited by it."""

from __future__ import annotations

from knowledge import service
from knowledge.chunking import chunk_text
from knowledge.clauses import chunk_clauses, looks_clause_numbered
from tests.knowledge.document_support import make_docx

TITLE = "示范排污单位自行监测技术指南"
SPECIFICATION = f"""# {TITLE}

本标准自2018年1月1日起实施。

## 1 适用范围

本标准规定了排污单位自行监测的一般要求、监测方案制定、信息记录和报告的基本内容和要求。
本标准适用于向环境排放污染物的排污单位。

## 4 一般要求

### 4.1 制定监测方案

4.1.1 排污单位应查清所有污染源，确定主要污染源及主要监测指标，制定监测方案。

4.1.2 监测方案内容包括：

a) 单位基本情况；

b) 监测点位及示意图、监测指标、执行标准及其限值；

c) 质量保证与质量控制等。

### 4.2 开展自行监测

4.2.1 排污单位应按照最新的监测方案开展监测活动，可利用自有人员、场所和设备自行监测，
也可委托其他有资质的检（监）测机构代其开展自行监测。

4.2.2 废气监测的原始记录应当保存不少于3年，监测报告每年向社会公开一次。

2 个月内未完成监测的，应当说明原因。

## 名词解释

自行监测 指排污单位为掌握本单位的污染物排放状况及其对周边环境质量的影响等情况，
组织开展的环境监测活动。
"""


def _by_clause(pieces):
    return {p.article: p for p in pieces if p.article}


def test_each_clause_is_one_passage_numbered_and_under_its_headings():
    clauses = _by_clause(chunk_text(SPECIFICATION))
    assert set(clauses) == {"1", "4.1.1", "4.1.2", "4.2.1", "4.2.2"}
    assert clauses["4.2.2"].text.startswith("4.2.2\u3000废气监测的原始记录应当保存不少于3年")
    assert clauses["4.2.2"].section == "4 一般要求 > 4.2 开展自行监测"
    assert clauses["1"].section == "1 适用范围"
    assert clauses["1"].text.startswith("1\u3000本标准规定了排污单位自行监测")


def test_list_items_stay_inside_their_clause():
    content = _by_clause(chunk_text(SPECIFICATION))["4.1.2"]
    assert "a) 单位基本情况" in content.text and "c) 质量保证与质量控制等" in content.text


def test_a_line_broken_mid_sentence_continues_its_paragraph():
    monitoring = _by_clause(chunk_text(SPECIFICATION))["4.2.1"]
    assert "自行监测，也可委托其他有资质的检（监）测机构" in monitoring.text


# A specification as a PDF's text: every line as the page wrapped it (18 characters), a page
# break (form feed) right before a clause.
PRINTED = (
    "示范放射性废物管理规定\n"
    "3 管理职责\n"
    "3.1 营运单位的职责\n"
    "3.1.1 营运单位必须遵守国家法律、法规\n"
    "和管理制度，并对废物管理活动的安全负\n"
    "责。\n"
    "3.1.2 营运单位必须通过合适的设计、运\n"
    "行、维修与退役，使放射性废物的产生处\n"
    "于实际可行的最低限度。\f"
    "3.1.3 营运单位应当将废物的产生量、处\n"
    "理和贮存情况记录存档，至少保存三十年\n"
    "并按年度报告国家核安全部门。\n"
    "3.2 记录\n"
    "3.2.1 记录应当完整、准确，并可以追溯\n"
    "到每一批废物的来源和去向，随时可以查\n"
    "阅。\n"
)


def test_a_pdf_clause_whose_first_line_wraps_is_a_clause_not_a_heading():
    clauses = _by_clause(chunk_clauses(PRINTED, paged=True))
    assert set(clauses) == {"3.1.1", "3.1.2", "3.1.3", "3.2.1"}
    assert (
        clauses["3.1.2"]
        .text.replace("\n", "")
        .startswith("3.1.2\u3000营运单位必须通过合适的设计、运行、维修与退役")
    )
    assert clauses["3.1.2"].section == "3 管理职责 > 3.1 营运单位的职责"
    assert clauses["3.2.1"].section == "3 管理职责 > 3.2 记录"


def test_a_clause_that_starts_a_pdf_page_is_a_clause_of_its_own():
    clauses = _by_clause(chunk_text(PRINTED))
    assert "至少保存三十年" in clauses["3.1.3"].text
    assert "至少保存三十年" not in clauses["3.1.2"].text


def test_a_sentence_starting_with_a_number_is_no_chapter():
    last = _by_clause(chunk_text(SPECIFICATION))["4.2.2"]
    assert "2 个月内未完成监测的" in last.text


def test_a_part_without_a_number_is_kept_like_a_law_s_appendix_under_its_heading():
    glossary = chunk_text(SPECIFICATION)[-1]
    assert glossary.article is None and glossary.section == "名词解释"
    assert glossary.text.startswith("自行监测 指排污单位")


def test_the_opening_lines_are_a_passage_of_their_own():
    first = chunk_text(SPECIFICATION)[0]
    assert first.article is None and "2018年1月1日起实施" in first.text


def test_a_table_of_contents_is_skipped_in_plain_text():
    text = (
        "示范技术规范\n目　录\n1 适用范围 ……………… 1\n4 一般要求 ……………… 2\n"
        "1　适用范围\n本标准适用于示范行业。\n4　一般要求\n4.1　排污单位应当如实申报。\n"
        "4.2　排污单位应当按证排污。\n4.3　排污单位应当自行监测。\n4.4　排污单位应当记录台账。\n"
        "4.5　排污单位应当提交执行报告。\n"
    )
    clauses = _by_clause(chunk_clauses(text))
    assert list(clauses) == ["1", "4.1", "4.2", "4.3", "4.4", "4.5"]
    assert clauses["4.1"].section == "4 一般要求"


def test_articles_and_a_policy_plan_are_not_read_as_clauses(plan_path):
    assert not looks_clause_numbered(plan_path.read_text(encoding="utf-8"))
    assert looks_clause_numbered(SPECIFICATION)


def test_the_answer_cites_the_clause_and_quotes_it_without_its_number(session):
    service.ingest_bytes(session, data=SPECIFICATION.encode(), filename="指南.md")
    answer = service.answer_question(session, question="废气监测原始记录要保存几年？")
    assert answer.answered
    assert answer.sources[0].article == "4.2.2"
    assert f"《{TITLE}》4.2.2" in answer.answer
    assert "4.2.2\u3000废气" not in answer.answer


def test_the_glossary_answers_what_a_term_means_and_nothing_else(session):
    service.ingest_bytes(session, data=SPECIFICATION.encode(), filename="指南.md")
    meaning = service.answer_question(session, question="自行监测是啥意思")
    assert meaning.answered and meaning.sources[0].section == "名词解释"
    assert f"《{TITLE}》名词解释" in meaning.answer
    duty = service.answer_question(session, question="自行监测能不能委托别的机构去做？")
    assert duty.sources[0].article == "4.2.1"


def test_what_a_specification_applies_to_is_its_scope_clause(session):
    service.ingest_bytes(session, data=SPECIFICATION.encode(), filename="指南.md")
    answer = service.answer_question(session, question="这个指南管哪些单位？")
    assert answer.answered and answer.sources[0].article == "1"


def test_what_a_specification_is_about_is_its_first_clause(session):
    service.ingest_bytes(session, data=SPECIFICATION.encode(), filename="指南.md")
    for question in ("这个指南主要讲些啥？", "这指南主要讲啥"):
        answer = service.answer_question(session, question=question)
        assert answer.answered and answer.sources[0].article == "1"


def test_a_word_specification_gives_the_same_clauses_as_its_markdown(session):
    md = service.ingest_bytes(
        session, data=SPECIFICATION.encode(), filename="指南.md", title="指南甲"
    )
    docx = service.ingest_bytes(
        session, data=make_docx(SPECIFICATION), filename="指南.docx", title="指南乙"
    )
    assert md.chunks == docx.chunks == 7
