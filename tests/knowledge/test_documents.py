"""Documents managed like data: uploads replace instead of copying, disable, delete, ownership."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from core.audit.models import AuditEntry
from core.errors import Conflict, Forbidden, NotFound
from core.regions.scope import NATIONAL, RegionScope
from knowledge import documents, service
from knowledge.index import read_state
from knowledge.ingest import content_sha256
from knowledge.models import DOCUMENT_ACTIVE, DOCUMENT_DISABLED, Chunk, Document
from tests.knowledge.document_support import (
    OTHER_MD,
    REGULATION_MD,
    REGULATION_TITLE,
    make_docx,
    make_pdf,
)

SUZHOU = RegionScope("江苏省", "苏州市")
QUESTION = "油烟净化设施多久清洗一次"


def _upload(session, data: bytes, filename: str, **kwargs):
    return service.ingest_bytes(session, data=data, filename=filename, **kwargs)


def _count(session) -> int:
    return session.scalar(select(func.count(Document.id)))


def _audits(session, action: str) -> list[dict]:
    rows = session.scalars(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    )
    return [json.loads(row.detail) for row in rows]


def test_layout_does_not_change_the_content_hash():
    assert content_sha256("第一条　餐饮单位\n应当清洗。") == content_sha256(
        "## 第一条 餐饮单位应当清洗。"
    )
    assert content_sha256("第一条 餐饮单位应当清洗。") != content_sha256(
        "第一条 餐饮单位应当检查。"
    )


def test_same_title_in_another_format_replaces_the_pdf_and_says_so(session):
    first = _upload(session, make_pdf(REGULATION_MD), "good.pdf", title="好文件")
    second = _upload(session, make_docx(OTHER_MD), "good.docx", title="好文件")

    assert (first.status, second.status) == ("created", "replaced")
    assert "替换了原有的PDF 文件“good.pdf”" in second.summary()
    assert _count(session) == 1
    document = session.get(Document, second.document_id)
    assert (document.kind, document.source) == ("docx", "good.docx")


def test_same_content_under_another_title_replaces_it_and_keeps_the_title(session):
    _upload(session, REGULATION_MD.encode(), "rules.md")
    again = _upload(session, make_docx(REGULATION_MD), "新规定.docx", title="另一个标题")

    assert again.status == "replaced"
    assert again.title == REGULATION_TITLE
    assert "“新规定.docx”与已有文档内容相同" in again.summary()
    assert "未新增副本" in again.summary()
    assert [d.title for d in documents.list_documents(session)] == [REGULATION_TITLE]
    answer = service.preview_answer(session, question=QUESTION)
    cited = [s.title for s in answer.sources]
    assert cited.count(REGULATION_TITLE) == len(cited) and len(
        set(s.text for s in answer.sources)
    ) == len(cited)


def test_the_same_file_under_another_title_is_not_stored_twice(session):
    _upload(session, REGULATION_MD.encode(), "rules.md")
    again = _upload(session, REGULATION_MD.encode(), "copy.md", title="换个标题")
    assert again.status == "unchanged"
    assert "未重复导入" in again.summary()
    assert _count(session) == 1


def test_title_of_one_document_and_content_of_another_is_refused(session):
    _upload(session, REGULATION_MD.encode(), "rules.md")
    _upload(session, OTHER_MD.encode(), "noise.md")
    with pytest.raises(Conflict, match="请指定要替换的文档"):
        _upload(session, OTHER_MD.encode(), "x.md", title=REGULATION_TITLE)
    assert _count(session) == 2


def test_replace_by_number_keeps_the_title_and_is_audited(session):
    created = _upload(session, REGULATION_MD.encode(), "rules.md")
    edited = REGULATION_MD.replace("每季度", "每月")
    result = _upload(session, edited.encode(), "rules-2024.md", replace_id=created.document_id)

    assert (result.status, result.title) == ("replaced", REGULATION_TITLE)
    chunks = session.scalars(select(Chunk.text).where(Chunk.document_id == created.document_id))
    assert any("每月" in text for text in chunks)
    (detail,) = _audits(session, "document.replace")
    assert detail["before"]["source"] == "rules.md"
    assert detail["after"]["source"] == "rules-2024.md"


def test_disabled_documents_are_not_searched_until_enabled(session):
    created = _upload(session, REGULATION_MD.encode(), "rules.md")
    assert service.preview_answer(session, question=QUESTION).answered
    version = read_state(session)[0]

    documents.set_document_status(
        session, document_id=created.document_id, status=DOCUMENT_DISABLED
    )

    assert read_state(session)[0] == version + 1  # every worker reloads
    answer = service.preview_answer(session, question=QUESTION)
    assert not answer.answered and answer.sources == []
    assert session.get(Document, created.document_id).chunk_count == created.chunks  # kept

    documents.set_document_status(session, document_id=created.document_id, status=DOCUMENT_ACTIVE)
    assert service.preview_answer(session, question=QUESTION).answered
    assert [d["after"]["status"] for d in _audits(session, "document.disable")] == ["disabled"]
    assert [d["after"]["status"] for d in _audits(session, "document.enable")] == ["active"]


def test_reuploading_a_disabled_document_says_it_stays_disabled(session):
    created = _upload(session, REGULATION_MD.encode(), "rules.md")
    documents.set_document_status(
        session, document_id=created.document_id, status=DOCUMENT_DISABLED
    )
    result = _upload(session, make_docx(REGULATION_MD), "rules.docx")
    assert "该文档已停用" in result.summary()
    assert session.get(Document, created.document_id).status == DOCUMENT_DISABLED


def test_delete_removes_passages_bumps_the_index_and_is_audited(session):
    created = _upload(session, REGULATION_MD.encode(), "rules.md")
    version = read_state(session)[0]

    documents.delete_document(session, document_id=created.document_id)

    assert _count(session) == 0
    assert session.scalar(select(func.count(Chunk.id))) == 0
    assert read_state(session)[0] == version + 1
    assert not service.preview_answer(session, question=QUESTION).answered
    (detail,) = _audits(session, "document.delete")
    assert detail == {"before": detail["before"], "after": None}
    assert detail["before"]["title"] == REGULATION_TITLE
    with pytest.raises(NotFound):
        documents.delete_document(session, document_id=created.document_id)


def test_uploads_are_audited_with_the_actor(session, make_user):
    boss = make_user("national", username="boss")
    _upload(session, REGULATION_MD.encode(), "rules.md", actor=boss)
    row = session.scalar(select(AuditEntry).where(AuditEntry.action == "document.create"))
    assert (row.actor, row.target_kind, row.province) == ("boss", "document", None)
    assert json.loads(row.detail)["before"] is None


def test_regional_admins_cannot_change_national_documents(session):
    created = _upload(session, REGULATION_MD.encode(), "rules.md")
    with pytest.raises(Forbidden, match="属于全国共用内容，只有部级管理员可以修改"):
        documents.set_document_status(
            session, document_id=created.document_id, status=DOCUMENT_DISABLED, scope=SUZHOU
        )
    with pytest.raises(Forbidden, match="只有部级管理员"):
        documents.delete_document(session, document_id=created.document_id, scope=SUZHOU)
    with pytest.raises(Forbidden, match="只有部级管理员"):
        _upload(session, OTHER_MD.encode(), "x.md", scope=SUZHOU, replace_id=created.document_id)
    local = _upload(session, OTHER_MD.encode(), "noise.md", scope=SUZHOU)
    owned = session.get(Document, local.document_id)
    assert (owned.province, owned.city) == ("江苏省", "苏州市")  # the city's own local rules
    assert session.get(Document, created.document_id).status == DOCUMENT_ACTIVE


def test_a_region_sees_national_documents_and_its_own_only(session):
    _upload(session, REGULATION_MD.encode(), "rules.md")
    local = _upload(session, OTHER_MD.encode(), "noise.md")
    document = session.get(Document, local.document_id)
    document.province, document.city = "江苏省", "苏州市"
    session.commit()

    nanjing = RegionScope("江苏省", "南京市")
    assert {d.title for d in documents.list_documents(session, scope=SUZHOU)} == {
        REGULATION_TITLE,
        "噪声管理办法",
    }
    assert [d.title for d in documents.list_documents(session, scope=nanjing)] == [REGULATION_TITLE]
    with pytest.raises(NotFound):
        documents.get_document(session, document_id=local.document_id, scope=nanjing)
    # the province owns its cities' documents; Suzhou owns its own
    documents.set_document_status(
        session, document_id=local.document_id, status=DOCUMENT_DISABLED, scope=SUZHOU
    )
    documents.delete_document(session, document_id=local.document_id, scope=RegionScope("江苏省"))
    assert [d.title for d in documents.list_documents(session, scope=NATIONAL)] == [
        REGULATION_TITLE
    ]


def test_find_document_by_number_or_title(session):
    created = _upload(session, REGULATION_MD.encode(), "rules.md")
    assert documents.find_document(session, ref=str(created.document_id)).title == REGULATION_TITLE
    assert documents.find_document(session, ref=f"#{created.document_id}").id == created.document_id
    assert documents.find_document(session, ref=REGULATION_TITLE).id == created.document_id
    with pytest.raises(NotFound, match="没有标题为《无此文》的文档"):
        documents.find_document(session, ref="无此文")
