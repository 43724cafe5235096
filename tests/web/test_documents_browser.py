"""The documents page in headless Chromium: list, disable, delete (with its confirmation page)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.accounts import service as account_service
from knowledge import service
from knowledge.embedder import HashingEmbedder
from knowledge.index import IndexManager
from knowledge.models import Document
from tests.knowledge.document_support import OTHER_MD, REGULATION_MD, REGULATION_TITLE
from tests.support.web import ARTIFACTS, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(autouse=True)
def fake_index(tmp_path):
    previous = service.set_index_manager(IndexManager(tmp_path, lambda: HashingEmbedder()))
    yield
    service.set_index_manager(previous)


def test_admin_lists_disables_and_deletes_documents(live_server, browser_page):
    with live_server.session_factory() as session:
        account_service.create_user(
            session, username="kb-boss", password="correct-horse-1", role="national"
        )
        service.ingest_bytes(session, data=REGULATION_MD.encode(), filename="rules.md")
        service.ingest_bytes(session, data=OTHER_MD.encode(), filename="noise.md")

    page = browser_page
    browser_login(page, live_server.url, "kb-boss", "correct-horse-1")
    page.goto(f"{live_server.url}/admin/knowledge")
    page.get_by_role("link", name="文档管理").click()
    page.wait_for_url(f"{live_server.url}/admin/knowledge/documents")
    rows = page.locator("#documents tbody tr")
    assert rows.count() == 2
    regulation = rows.filter(has_text=REGULATION_TITLE)
    assert "在用" in regulation.inner_text()

    regulation.get_by_role("button", name="停用").click()
    page.wait_for_selector("p.alert[role=status]")
    assert f"已停用《{REGULATION_TITLE}》" in page.locator("p.alert[role=status]").inner_text()
    regulation = page.locator("#documents tbody tr").filter(has_text=REGULATION_TITLE)
    assert "已停用" in regulation.inner_text()
    assert regulation.get_by_role("button", name="启用").is_visible()
    reply = page.request.post(
        f"{live_server.url}/api/ask", data={"question": "油烟净化设施多久清洗一次"}
    ).json()
    assert not reply["answered"]

    noise = page.locator("#documents tbody tr").filter(has_text="噪声管理办法")
    noise.get_by_role("link", name="删除").click()
    page.wait_for_selector("text=删除文档《噪声管理办法》？")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "knowledge-document-delete.png"), full_page=True)
    page.get_by_role("button", name="确认删除").click()
    page.wait_for_url(f"{live_server.url}/admin/knowledge/documents?*")
    assert "已删除《噪声管理办法》" in page.locator("p.alert[role=status]").inner_text()
    assert page.locator("#documents tbody tr").count() == 1
    page.screenshot(path=str(ARTIFACTS / "knowledge-documents.png"), full_page=True)

    with live_server.session_factory() as session:
        stored = session.execute(select(Document.title, Document.status)).all()
        assert [tuple(row) for row in stored] == [(REGULATION_TITLE, "disabled")]
