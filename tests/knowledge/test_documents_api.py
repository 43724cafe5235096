"""Documents API: list, upload that replaces (and says so), replace, disable/enable, delete."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.audit.models import AuditEntry
from knowledge.models import Document
from tests.knowledge.document_support import (
    OTHER_MD,
    REGULATION_MD,
    REGULATION_TITLE,
    make_docx,
    make_pdf,
)

API = "/api/knowledge/documents"
QUESTION = {"question": "油烟净化设施多久清洗一次"}


@pytest.fixture
def national(make_user, auth_headers):
    return auth_headers(make_user("national", username="boss"))


@pytest.fixture
def city(make_user, auth_headers):
    return auth_headers(make_user("city", province="江苏省", city="苏州市"))


def _upload(client, headers, name: str, data: bytes, **form):
    return client.post(API, headers=headers, data=form, files={"file": (name, data)})


def test_upload_then_list(client, national):
    response = _upload(client, national, "rules.md", REGULATION_MD.encode())
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["title"]) == ("created", REGULATION_TITLE)
    assert body["chunks"] > 0

    (listed,) = client.get(API, headers=national).json()
    assert (listed["id"], listed["chunk_count"]) == (body["document_id"], body["chunks"])
    assert (listed["status"], listed["kind"], listed["owner"], listed["editable"]) == (
        "active",
        "markdown",
        "全国",
        True,
    )
    assert len(listed["content_sha256"]) == 64


def test_pdf_then_docx_with_the_same_title_says_it_replaced_the_pdf(client, national):
    first = _upload(client, national, "good.pdf", make_pdf(REGULATION_MD), title="好文件")
    second = _upload(client, national, "good.docx", make_docx(OTHER_MD), title="好文件")

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["status"] == "replaced"
    assert "替换了原有的PDF 文件“good.pdf”" in second.json()["message"]
    assert [d["source"] for d in client.get(API, headers=national).json()] == ["good.docx"]


def test_the_same_content_under_another_title_never_makes_a_second_copy(client, national):
    _upload(client, national, "rules.md", REGULATION_MD.encode())
    again = _upload(
        client, national, "办法（修订稿）.docx", make_docx(REGULATION_MD), title="新标题"
    )

    assert again.status_code == 200
    assert again.json()["status"] == "replaced" and again.json()["title"] == REGULATION_TITLE
    assert [d["title"] for d in client.get(API, headers=national).json()] == [REGULATION_TITLE]
    sources = client.post("/api/ask", json=QUESTION).json()["sources"]
    assert len({s["text"] for s in sources}) == len(sources)  # no clause cited twice


def test_replace_disable_enable_and_delete(client, session, national):
    document_id = _upload(client, national, "rules.md", REGULATION_MD.encode()).json()[
        "document_id"
    ]

    replaced = client.put(
        f"{API}/{document_id}",
        headers=national,
        files={"file": ("v2.md", REGULATION_MD.replace("每季度", "每月").encode())},
    )
    assert replaced.status_code == 200 and replaced.json()["title"] == REGULATION_TITLE
    assert "每月" in client.post("/api/ask", json=QUESTION).json()["answer"]

    disabled = client.post(f"{API}/{document_id}/disable", headers=national)
    assert disabled.status_code == 200 and disabled.json()["status"] == "disabled"
    assert not client.post("/api/ask", json=QUESTION).json()["answered"]

    enabled = client.post(f"{API}/{document_id}/enable", headers=national)
    assert enabled.json()["status"] == "active"
    assert client.post("/api/ask", json=QUESTION).json()["answered"]

    assert client.delete(f"{API}/{document_id}", headers=national).status_code == 204
    assert client.get(API, headers=national).json() == []
    assert client.delete(f"{API}/{document_id}", headers=national).status_code == 404
    actions = session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.target_kind == "document")
        .order_by(AuditEntry.id)
    ).all()
    assert actions == [
        "document.create",
        "document.replace",
        "document.disable",
        "document.enable",
        "document.delete",
    ]


def test_city_admin_sees_national_documents_read_only(client, session, national, city):
    document_id = _upload(client, national, "rules.md", REGULATION_MD.encode()).json()[
        "document_id"
    ]

    (listed,) = client.get(API, headers=city).json()
    assert listed["editable"] is False
    for response in (
        client.post(f"{API}/{document_id}/disable", headers=city),
        client.delete(f"{API}/{document_id}", headers=city),
        client.put(
            f"{API}/{document_id}", headers=city, files={"file": ("x.md", OTHER_MD.encode())}
        ),
    ):
        assert response.status_code == 403
        assert "只有部级管理员可以修改" in response.json()["detail"]
    upload = _upload(client, city, "noise.md", OTHER_MD.encode())
    assert upload.status_code == 201  # the city's own local rules, owned by the city
    assert session.get(Document, document_id).status == "active"


def test_bad_uploads_are_422_in_chinese_and_non_admins_are_refused(
    client, national, make_user, auth_headers
):
    table = _upload(client, national, "faq.csv", "问题,答案\n问,答\n".encode())
    assert table.status_code == 422 and "此接口只接受文档" in table.json()["detail"]
    broken = _upload(client, national, "broken.docx", b"PK\x03\x04 not a zip")
    assert broken.status_code == 422 and "无法读取 Word 文件" in broken.json()["detail"]
    missing = client.put(f"{API}/999999", headers=national, files={"file": ("x.md", b"# x\n")})
    assert missing.status_code == 404

    staff = auth_headers(make_user("staff", province="江苏省", city="苏州市"))
    assert client.get(API, headers=staff).status_code == 403
    assert client.get(API).status_code == 401
