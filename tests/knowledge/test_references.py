"""A question about a standard or document the knowledge base does not hold is refused with that
reference named; once it is ingested, the same question is answered from it."""

from __future__ import annotations

from knowledge import service

STANDARD = (
    "# 污水综合排放标准（GB 8978—1996）\n\n"
    "## 第一章 总则\n\n"
    "第一条 本标准按照污水排放去向，分年限规定了69种水污染物最高允许排放浓度。\n\n"
    "第二条 第一类污染物，不分行业和污水排放方式，一律在车间或车间处理设施排放口采样，"
    "其最高允许排放浓度必须达到本标准要求。第一类污染物包括总汞、烷基汞、总镉、总铬、六价铬。\n"
)


def test_a_question_naming_a_standard_that_is_not_held_is_refused_with_its_number(session, plan):
    answer = service.answer_question(session, question="GB 8978第一类污染物有哪些")
    assert not answer.answered and answer.sources == []
    assert "知识库中没有收录GB 8978" in answer.answer


def test_a_title_in_book_marks_that_nothing_holds_is_named_too(session, plan):
    answer = service.answer_question(
        session, question="《危险废物贮存污染控制标准》对贮存库地面防渗有什么要求"
    )
    assert not answer.answered
    assert "《危险废物贮存污染控制标准》" in answer.answer


def test_once_the_standard_is_ingested_its_question_is_answered_from_it(session, plan):
    service.ingest_bytes(session, data=STANDARD.encode(), filename="GB8978.md")
    answer = service.answer_question(session, question="GB 8978第一类污染物有哪些")
    assert answer.answered
    assert "总汞" in answer.answer and "GB 8978" in answer.sources[0].title


def test_documents_the_plan_names_are_not_absent(session, plan):
    answer = service.answer_question(session, question="《排污许可管理条例》实施后要做哪些工作")
    assert "知识库中没有收录" not in answer.answer


def test_a_technical_document_named_without_book_marks_is_named_too(session, plan):
    answer = service.answer_question(
        session, question="大气环境影响评价技术导则里评价等级是怎么划分的"
    )
    assert not answer.answered and answer.sources == []
    assert "知识库中没有收录《大气环境影响评价技术导则》" in answer.answer


def test_a_kind_of_document_without_a_name_is_no_reference():
    """排放标准 alone, or with a word in front (超过, 国家), names no particular document."""
    from knowledge.normalize import fold
    from knowledge.references import _unmarked_names

    assert _unmarked_names(fold("超过排放标准会怎样")) == []
    assert _unmarked_names(fold("请问国家排放标准由谁制定")) == []
    # the object of a verb: the standard exceeded is none named
    assert _unmarked_names(fold("企业所排污染物超出排放标准的，适用哪些条款处罚")) == []
    # … or of "counting as": 噪声也算环境质量标准里的吗 asks what the kind of standard covers
    assert _unmarked_names(fold("噪声和核辐射这些，也算环境质量标准里的吗？")) == []
    named = _unmarked_names(fold("废气超过锅炉大气污染物排放标准怎么办"))
    assert named == ["锅炉大气污染物排放标准"]
    # a title does not run across 的: a stricter or a province's standard is no document's name
    assert _unmarked_names(fold("江苏省能不能制定比国家更严的排放标准")) == []
    assert _unmarked_names(fold("广东省的地方排放标准由谁制定")) == []
    # … nor across other grammar: a province that made one tells no title
    assert _unmarked_names(fold("我们省出了个地方排放标准，比国标还严，省里有权这么定吗")) == []
    # … nor does the object of making one: 杭州能自定排放标准吗 asks whether a city may make its own
    assert _unmarked_names(fold("杭州能自定排放标准吗")) == []
    assert _unmarked_names(fold("设区的市可以制定地方排放标准吗")) == []
    # … nor across a pointer: 在该办法中 names the rule being read
    from knowledge.references import _legal_names_looked_into

    question = "处理企业的违法行为在该办法中未设定具体罚则的，应依照哪些法律法规予以处罚？"
    assert _legal_names_looked_into(fold(question)) == []
    # … nor across 有: the standards a place has are none named
    assert _unmarked_names(fold("往海里排污，当地已经有地方排放标准了，还能只按国标来吗")) == []
    # … nor does 国家 before a few words: the national technical rules on a matter, no title
    assert _unmarked_names(fold("设备达不到国家防渗漏技术规范的要求，会被罚多少")) == []
    assert _unmarked_names(fold("执行国家污水综合排放标准吗")) == ["污水综合排放标准"]
    named = _unmarked_names(fold("有色金属工业污染物排放标准里铅的限值是多少"))
    assert named == ["有色金属工业污染物排放标准"]
    # nor across a question word: it asks which document
    assert _unmarked_names(fold("事发后环境应急监测应依照何种技术规范实施")) == []
    named = _unmarked_names(fold("请问锅炉大气污染物排放标准里限值多少"))
    assert named == ["锅炉大气污染物排放标准"]
    named = _unmarked_names(fold("按照突发环境事件分级标准，特别重大事件怎么认定"))
    assert named == ["突发环境事件分级标准"]


def test_a_document_the_plan_names_by_its_ending_is_held(session, plan):
    """The plan speaks of 污染物排放标准: a question adding a word in front still names it."""
    answer = service.answer_question(session, question="许可证载明的主要污染物排放标准是什么")
    assert "知识库中没有收录" not in answer.answer


def test_a_document_a_law_names_with_的_before_its_kind_is_held(session, tmp_path):
    """自然保护区管理的技术规范, in the law's words, is the 自然保护区管理技术规范 people ask about:
    who makes it is answered by the article naming it, not refused as a document not held."""
    path = tmp_path / "reserve.md"
    path.write_text(
        "# 自然保护区条例\n第一条　为了加强自然保护区的建设和管理，制定本条例。\n"
        "第二条　本条例适用于中华人民共和国境内的自然保护区。\n"
        "第十九条　全国自然保护区管理的技术规范和标准，由国务院环境保护行政主管部门组织制定。\n",
        encoding="utf-8",
    )
    service.ingest_path(session, path)
    answer = service.answer_question(session, question="自然保护区管理技术规范由哪个部门制定？")
    assert "知识库中没有收录" not in answer.answer
    assert answer.answered and answer.sources[0].article == "第十九条"


def test_a_misspelt_technical_document_is_named_as_spelt_right(session, tmp_path):
    path = tmp_path / "rules.md"
    path.write_text(
        "# 监测办法\n第一条　排污单位应当按照技术规范开展自行监测，技术规范未作规定的从其规定。\n"
        "第二条　监测数据应当保存三年，记录应当规范。\n",
        encoding="utf-8",
    )
    service.ingest_path(session, path)
    # 归范 for 规范 (same sound): the question still names a document the base does not hold
    answer = service.answer_question(session, question="按照锅炉监测技术归范，监测频次是多少")
    assert not answer.answered
    assert "《锅炉监测技术规范》" in answer.answer


def test_what_is_inside_a_document_the_plan_only_names_is_not_held(session, plan):
    # the plan asks for 排污许可证质量控制标准 to be drawn up; its scoring items are in the standard
    answer = service.answer_question(session, question="排污许可证质量控制标准里规定了哪些评分指标")
    assert not answer.answered
    assert "知识库中没有收录《排污许可证质量控制标准》" in answer.answer


def test_a_document_the_plan_names_is_still_asked_about_as_a_task_of_the_plan(session, plan):
    answer = service.answer_question(session, question="排污许可证质量控制标准什么时候出台")
    assert "知识库中没有收录" not in answer.answer


def test_a_law_looked_into_by_its_short_name_is_not_held_until_ingested(session, plan):
    # the plan names no such regulation: its fines are in the regulation itself
    answer = service.answer_question(session, question="建设项目环保条例里，没验收就投产罚多少")
    assert not answer.answered
    assert "知识库中没有收录《建设项目环保条例》" in answer.answer


def test_a_short_name_of_a_held_law_and_words_that_name_none_are_no_reference():
    from knowledge.normalize import fold
    from knowledge.references import _legal_names_looked_into

    assert _legal_names_looked_into(fold("大气法里对锅炉有什么要求")) == ["大气法"]
    # enforcement and breaches are no laws; 这个条例 and 想问问条例 name the one being discussed
    assert _legal_names_looked_into(fold("环保执法中发现违法中的问题怎么办")) == []
    assert _legal_names_looked_into(fold("想问问条例里对小诊所有没有规定")) == []
    assert _legal_names_looked_into(fold("这个办法里没写到的怎么办")) == []
    # … nor do the matter told (这种事条例里) and the document taken up by 把
    assert _legal_names_looked_into(fold("闸门一开脏水冲下来，这种事条例里有没有人管")) == []
    assert _legal_names_looked_into(fold("领导让我把条例里对处置单位的要求梳理一遍")) == []
    assert _legal_names_looked_into(fold("自己打井给厂里供水，这种在条例里算啥供水")) == []
    assert _legal_names_looked_into(fold("事业单位登记管理暂行条例里怎么说")) == [
        "事业单位登记管理暂行条例"
    ]


def _index_holding(session, markdown: str):
    """The knowledge base's index once the plan and this one small document are ingested."""
    service.ingest_bytes(session, data=markdown.encode(), filename="rules.md")
    return service.current_index(session)


def test_a_short_name_is_held_when_it_is_a_held_title_s_characters_in_order(session, plan):
    from knowledge.references import absent_references

    index = _index_holding(
        session, "# 建设项目环境保护管理条例\n第一条　为了防止建设项目污染，制定本条例。\n"
    )
    assert absent_references(index, "建设项目环保条例里有啥要求") == []


def test_a_category_of_the_hazardous_waste_list_is_in_the_list_itself(session, plan):
    answer = service.answer_question(session, question="废物代码HW49代表的是哪类危废？")
    assert not answer.answered
    assert "HW49" in answer.answer


def test_a_law_is_not_held_by_a_rule_whose_title_spells_it(session, plan):
    from knowledge.references import absent_references

    index = _index_holding(session, "# 示范行政处罚办法\n第一条　为了规范行政处罚，制定本办法。\n")
    # what a law says (…法规定的) is in the law, not in a ministry's rule named after it
    assert absent_references(index, "行政处罚法规定的追责期限是几年") == ["《行政处罚法》"]
    assert absent_references(index, "行政处罚办法里听证要交钱吗") == []


def test_a_standard_offered_as_the_alternative_to_what_is_asked_is_no_reference(session, plan):
    from knowledge.references import absent_references

    index = service.current_index(session)
    assert absent_references(index, "企业废水执行啥排放标准？还是按GB 8978走吗？") == []
    assert absent_references(index, "GB 8978第一类污染物有哪些") == ["GB 8978"]


def test_an_article_of_a_law_a_held_rule_only_cites_is_not_held(session, plan):
    from knowledge.references import absent_references

    index = _index_holding(
        session,
        "# 示范限制生产办法\n"
        "第一条　为规范限制生产，根据《中华人民共和国环境保护法》，制定本办法。\n",
    )
    # the rule names the law, so asking about the law is asking about the rule …
    assert absent_references(index, "《中华人民共和国环境保护法》和这个办法什么关系") == []
    # … but what one of the law's articles says is only in the law
    assert absent_references(index, "《中华人民共和国环境保护法》第六十条原文是怎么规定的") == [
        "《中华人民共和国环境保护法》"
    ]
    assert absent_references(index, "《示范限制生产办法》第一条说的啥") == []


def test_a_rule_named_by_an_acronym_is_a_document_of_its_own(session, plan):
    from knowledge.references import absent_references

    index = _index_holding(
        session, "# 示范碳排放权交易管理办法\n第一条　为规范碳排放权交易，制定本办法。\n"
    )
    assert absent_references(index, "2023年发布的CCER管理办法对计入期是如何规定的？") == [
        "《ccer管理办法》"
    ]
    assert absent_references(index, "碳排放权交易管理办法对交易主体是如何规定的？") == []


def test_what_a_law_says_of_a_case_is_looked_into_that_law(session, plan):
    from knowledge.references import absent_references

    index = _index_holding(
        session, "# 示范尾矿污染环境防治管理办法\n第一条　为了防治尾矿污染环境，制定本办法。\n"
    )
    assert absent_references(index, "固废法对没建尾矿台账的企业具体罚多少钱？") == ["《固废法》"]
    assert absent_references(index, "尾矿管理办法对台账有什么要求") == []
    # a law offered as the alternative to the rule is not looked into
    assert absent_references(index, "是照这个尾矿办法管，还是得按固废法里那套来？") == []
    # a question asked by a verb and its negation ends no name
    assert absent_references(index, "尾矿渣算不算尾矿管理办法里的尾矿") == []


def test_what_a_document_only_cited_says_of_a_case_is_not_in_the_knowledge_base(session, tmp_path):
    # the rule names the guideline (依照《…导则》) but does not hold it
    path = tmp_path / "示范微生物菌剂管理办法.md"
    path.write_text(
        "# 示范微生物菌剂管理办法\n\n"
        "第十一条　检测机构应当依照《环保用微生物菌剂使用环境安全评价导则》对样品进行检测。\n",
        encoding="utf-8",
    )
    service.ingest_path(session, path)
    question = "《环保用微生物菌剂使用环境安全评价导则》对生态毒性试验的具体方法是怎么规定的？"
    answer = service.preview_answer(session, question=question)
    assert not answer.answered
    assert "没有收录《环保用微生物菌剂使用环境安全评价导则》" in answer.answer


def test_which_documents_of_a_kind_nothing_names_are_asked_for_is_refused_naming_the_kind(
    session, plan
):
    # the plan never names 技术导则: nothing ingested lists them
    answer = service.answer_question(session, question="环评的技术导则有哪些，名单在哪查？")
    assert not answer.answered
    assert "知识库中没有收录技术导则" in answer.answer


def test_a_kind_the_documents_name_is_left_to_the_passages():
    from knowledge.normalize import fold
    from knowledge.references import _kinds_listed

    assert _kinds_listed(fold("环评的技术导则有哪些")) == ["技术导则"]
    # a named one is judged by its name; a kind not asked for its members is no list asked
    assert _kinds_listed(fold("大气环境影响评价技术导则有哪些要求")) == []
    assert _kinds_listed(fold("技术导则由谁制定")) == []
