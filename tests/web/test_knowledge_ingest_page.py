"""The admin page that uploads documents into the knowledge base."""

from __future__ import annotations

import pytest

from knowledge import service
from knowledge.embedder import HashingEmbedder
from knowledge.index import IndexManager
from tests.support.web import csrf_from


@pytest.fixture(autouse=True)
def fake_index(tmp_path):
    previous = service.set_index_manager(IndexManager(tmp_path, lambda: HashingEmbedder()))
    yield
    service.set_index_manager(previous)


def _upload(client, name: str, data: bytes, **fields):
    page = client.get("/admin/knowledge/ingest")
    token = csrf_from(page.text)
    return client.post(
        "/admin/knowledge/ingest",
        data={"csrf_token": token, **fields},
        files={"file": (name, data, "application/octet-stream")},
    )


def test_national_admin_uploads_a_document_and_it_becomes_answerable(client, make_user, login):
    make_user("national", username="boss")
    login("boss")
    text = "# 油烟管理办法\n## 一、总则\n餐饮单位应当每季度清洗油烟净化设施，并保存清洗记录。"
    response = _upload(client, "rules.md", text.encode("utf-8"))
    assert response.status_code == 200
    assert "《油烟管理办法》已导入（1 段）" in response.text
    answer = client.post("/api/ask", json={"question": "油烟净化设施多久清洗一次"}).json()
    assert answer["answered"] and answer["sources"][0]["title"] == "油烟管理办法"


def test_faq_table_upload_reports_bad_lines(client, make_user, login):
    make_user("national", username="boss")
    login("boss")
    csv = "问题,相似问法,答案,依据,标签\n,,没有问题,,\n".encode()
    response = _upload(client, "faq.csv", csv)
    assert response.status_code == 422
    assert "第2行: 问题不能为空" in response.text


def test_unsupported_file_gets_a_clear_message(client, make_user, login):
    make_user("national", username="boss")
    login("boss")
    response = _upload(client, "slides.pptx", b"PK\x03\x04")
    assert response.status_code == 422
    assert "不支持的文件类型" in response.text


def test_a_city_admins_documents_belong_to_the_city(client, session, make_user, login):
    from knowledge.models import Document

    make_user("city", username="suzhou", province="江苏省", city="苏州市")
    login("suzhou")
    assert "只回答江苏省苏州市的提问者" in client.get("/admin/knowledge/ingest").text
    response = _upload(client, "rules.md", "# 苏州市餐饮油烟规定\n## 一、总则\n内容。".encode())
    assert response.status_code == 200
    document = session.query(Document).one()
    assert (document.province, document.city) == ("江苏省", "苏州市")
