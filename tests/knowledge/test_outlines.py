"""A part's items asked for by the part's name are answered by the titles of its items."""

from __future__ import annotations

import pytest

from core.regions.scope import RegionScope
from knowledge import documents, service
from knowledge.index import refresh_index
from knowledge.ingest import parse_document
from knowledge.outlines import asked_outline
from tests.support.shared import CORPUS_DIR, require_shared

WORK_PLAN = """关于加强工业园区环境管理的工作方案

一、工作目标
到2025年底前，园区污染源全部纳入排污许可管理，环境风险得到有效管控。

二、重点任务
（一）加强源头管控。新建项目严格落实环境影响评价制度，园区管理机构建立项目准入清单。
（二）强化执法监管。生态环境部门每季度对园区排污单位开展一次现场检查，发现问题及时处理。
（三）提升监测能力。园区建设环境质量自动监测站，数据实时上传省级平台。

三、保障措施
（四）压实工作责任。园区管理机构主要负责人为第一责任人。
（五）加大资金投入。各级财政安排专项资金支持园区环境基础设施建设。
"""


@pytest.fixture
def work_plan(session):
    return service.ingest_bytes(session, data=WORK_PLAN.encode(), filename="工作方案.txt")


def _outline_asked(session, question: str):
    return asked_outline(service.current_index(session), question)


def test_a_part_named_and_its_items_asked_gets_the_part_s_outline(session, work_plan):
    outline = _outline_asked(session, "重点任务包括哪几项？")
    assert outline is not None
    assert outline.part == "二、重点任务"
    assert outline.items == ("（一）加强源头管控", "（二）强化执法监管", "（三）提升监测能力")
    found = service.preview_answer(session, question="保障措施都有哪些？")
    assert "（四）压实工作责任\n（五）加大资金投入" in found.answer
    assert [s.section for s in found.sources[:2]] == [
        "三、保障措施 > （四）压实工作责任",
        "三、保障措施 > （五）加大资金投入",
    ]


@pytest.mark.parametrize(
    "question",
    [
        "强化执法监管包括哪些内容？",  # an item's title said: its paragraph answers
        "重点任务由谁负责？",  # no parts asked
        "现场检查查哪些方面的问题",  # asked what is checked, not what the part holds
        "园区有哪些企业？",  # no part named
    ],
)
def test_an_item_named_or_no_parts_asked_gets_no_outline(session, work_plan, question):
    assert _outline_asked(session, question) is None


def test_a_law_s_chapters_give_no_outline(session):
    require_shared()
    service.ingest_path(session, CORPUS_DIR / "大气污染防治法.md")
    assert _outline_asked(session, "总则包括哪几条？") is None
    assert _outline_asked(session, "法律责任这一章包括哪些内容？") is None


def test_a_province_s_own_plan_is_outlined_only_for_its_askers(session):
    parsed = parse_document(WORK_PLAN.encode(), "工作方案.txt")
    documents.store_upload(session, parsed, scope=RegionScope("江苏省"))
    refresh_index(session)
    index = service.current_index(session)
    assert asked_outline(index, "重点任务包括哪几项？", ("江苏省", None)) is not None
    assert asked_outline(index, "重点任务包括哪几项？", ("浙江省", None)) is None
    assert asked_outline(index, "重点任务包括哪几项？") is None  # an asker of no region
    found = service.preview_answer(session, question="保障措施都有哪些？", province="浙江省")
    assert "包括以下" not in found.answer
