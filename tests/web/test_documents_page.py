"""The documents page (/admin/knowledge/documents) and batch evaluation on the search-test page."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from knowledge import service
from knowledge.embedder import HashingEmbedder
from knowledge.index import IndexManager
from knowledge.models import Document
from tests.knowledge.document_support import (
    OTHER_MD,
    REGULATION_MD,
    REGULATION_TITLE,
    make_docx,
    make_pdf,
)
from tests.support.web import csrf_from

PAGE = "/admin/knowledge/documents"


@pytest.fixture(autouse=True)
def fake_index(tmp_path):
    previous = service.set_index_manager(IndexManager(tmp_path, lambda: HashingEmbedder()))
    yield
    service.set_index_manager(previous)


@pytest.fixture
def boss(make_user, login):
    make_user("national", username="boss")
    login("boss")


def _upload(client, name: str, data: bytes, **fields):
    token = csrf_from(client.get(PAGE).text)
    return client.post(
        "/admin/knowledge/ingest",
        data={"csrf_token": token, **fields},
        files={"file": (name, data, "application/octet-stream")},
    )


def _document(session) -> Document:
    return session.scalar(select(Document).where(Document.title == REGULATION_TITLE))


def test_page_lists_documents_with_their_actions(client, session, boss):
    _upload(client, "rules.md", REGULATION_MD.encode())
    page = client.get(PAGE)
    assert page.status_code == 200
    document = _document(session)
    assert f'data-document="{document.id}"' in page.text
    assert f"{PAGE}/{document.id}/disable" in page.text
    assert f"{PAGE}/{document.id}/delete" in page.text
    assert f"{PAGE}/{document.id}/replace" in page.text
    assert 'aria-current="page">文档管理' in page.text


def test_uploading_the_docx_after_the_pdf_says_it_replaced_the_pdf(client, session, boss):
    _upload(client, "good.pdf", make_pdf(REGULATION_MD), title="好文件")
    response = _upload(client, "good.docx", make_docx(OTHER_MD), title="好文件")
    assert response.status_code == 200
    assert re.search(r"《好文件》已更新（\d+ 段）：替换了原有的PDF 文件“good\.pdf”", response.text)
    assert session.scalar(select(Document.source).where(Document.title == "好文件")) == "good.docx"


def test_disable_enable_and_delete_with_confirmation(client, session, boss):
    _upload(client, "rules.md", REGULATION_MD.encode())
    document = _document(session)
    token = csrf_from(client.get(PAGE).text)

    disabled = client.post(f"{PAGE}/{document.id}/disable", data={"csrf_token": token})
    assert disabled.status_code == 200  # after the redirect
    assert f"已停用《{REGULATION_TITLE}》" in disabled.text
    assert f"{PAGE}/{document.id}/enable" in disabled.text
    assert not client.post("/api/ask", json={"question": "油烟净化设施多久清洗一次"}).json()[
        "answered"
    ]

    enabled = client.post(f"{PAGE}/{document.id}/enable", data={"csrf_token": token})
    assert f"已启用《{REGULATION_TITLE}》" in enabled.text

    confirm = client.get(f"{PAGE}/{document.id}/delete")
    assert f"删除文档《{REGULATION_TITLE}》？" in confirm.text and "确认删除" in confirm.text
    assert _document(session) is not None  # asking is not deleting
    deleted = client.post(f"{PAGE}/{document.id}/delete", data={"csrf_token": token})
    assert f"已删除《{REGULATION_TITLE}》及其全部段落" in deleted.text
    assert "知识库中还没有文档" in deleted.text
    assert _document(session) is None


def test_replacing_from_the_page_keeps_the_title(client, session, boss):
    _upload(client, "rules.md", REGULATION_MD.encode())
    document = _document(session)
    token = csrf_from(client.get(PAGE).text)
    response = client.post(
        f"{PAGE}/{document.id}/replace",
        data={"csrf_token": token},
        files={"file": ("v2.md", REGULATION_MD.replace("每季度", "每月").encode())},
    )
    assert response.status_code == 200
    replaced = rf"《{REGULATION_TITLE}》已更新（\d+ 段）：替换了原有的Markdown 文件“rules\.md”"
    assert re.search(replaced, response.text)


def test_forms_need_the_csrf_token(client, session, boss):
    _upload(client, "rules.md", REGULATION_MD.encode())
    response = client.post(f"{PAGE}/{_document(session).id}/delete", data={"csrf_token": "x"})
    assert response.status_code == 403
    assert _document(session) is not None


def test_city_admin_sees_national_documents_read_only(client, session, make_user, login):
    service.ingest_bytes(session, data=REGULATION_MD.encode(), filename="rules.md")
    document = _document(session)
    make_user("city", username="suzhou", province="江苏省", city="苏州市")
    login("suzhou")

    page = client.get(PAGE).text
    assert REGULATION_TITLE in page and "只读" in page
    assert f"{PAGE}/{document.id}/disable" not in page
    token = csrf_from(page)
    for action in ("disable", "delete"):
        response = client.post(f"{PAGE}/{document.id}/{action}", data={"csrf_token": token})
        assert response.status_code == 403
        assert "属于全国共用内容，只有部级管理员可以修改" in response.text
    assert client.get(f"{PAGE}/{document.id}/delete").status_code == 403
    assert _document(session).status == "active"


# ---- batch evaluation on the retrieval-test page ------------------------------------------


def _jsonl(rows) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()


def _evaluate(client, data: bytes, name: str = "qa.jsonl"):
    token = csrf_from(client.get("/admin/knowledge/search-test").text)
    return client.post(
        "/admin/knowledge/search-test/eval",
        data={"csrf_token": token},
        files={"file": (name, data, "application/x-ndjson")},
    )


def test_retrieval_test_page_evaluates_an_uploaded_file(client, session, boss):
    service.ingest_bytes(session, data=REGULATION_MD.encode(), filename="rules.md")
    rows = [
        {"q": "油烟净化设施多久清洗一次", "in_scope": True, "must_contain_any": ["每季度"]},
        {"q": "企业所得税汇算清缴截止到几号", "in_scope": True, "must_contain_any": ["5月31日"]},
        {"q": "明天上海会下雨吗", "in_scope": False},
    ]
    page = client.get("/admin/knowledge/search-test").text
    assert 'action="/admin/knowledge/search-test/eval"' in page

    response = _evaluate(client, _jsonl(rows))
    assert response.status_code == 200
    assert "共 3 个问题（应回答 2 个，应拒答 1 个），按全国提问者作答" in response.text
    assert "首条正确（top-1）<strong>50.0%</strong>" in response.text
    assert "应拒答的被拒答<strong>100.0%</strong>" in response.text
    assert "未答对的问题（1 个）" in response.text
    assert "企业所得税汇算清缴截止到几号" in response.text and "应答却拒答" in response.text


def test_retrieval_test_page_names_the_bad_lines(client, boss):
    response = _evaluate(client, b'{"q": "x", "in_scope": true}\n{"q": ""}\n')
    assert response.status_code == 422
    assert "qa.jsonl：评测文件有 2 行有误" in response.text
    assert "第1行: must_contain_any 应为非空的文本列表" in response.text
    assert "第2行: q（问题）不能为空" in response.text
