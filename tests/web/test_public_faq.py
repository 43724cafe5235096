"""/faq: published FAQ entries by tag, with search and a permanent page each; no login."""

from __future__ import annotations

from core.regions.scope import RegionScope
from knowledge import faq

NATIONAL = RegionScope()


def _faq(session, question, answer, basis="", tags=""):
    return faq.create_faq(
        session, scope=NATIONAL, question=question, answer=answer, basis=basis, tags=tags
    )


def test_faq_lists_published_entries_by_tag_and_search(client, session):
    a = _faq(
        session,
        "执行报告多久提交一次？",
        "按许可证规定的频次提交年报、季报或月报。",
        "行动计划措施21",
        "执行报告",
    )
    b = _faq(
        session, "排污许可证有效期多久？", "一般为五年。", "排污许可管理条例第十四条", "许可证核发"
    )
    retired = _faq(session, "已经下线的问题？", "旧答案。", tags="执行报告")
    faq.retire_faq(session, scope=NATIONAL, faq_id=retired.id)
    page = client.get("/faq")
    assert page.status_code == 200
    assert a.question in page.text and b.question in page.text
    assert retired.question not in page.text
    assert "执行报告（1）" in page.text and "许可证核发（1）" in page.text
    by_tag = client.get("/faq", params={"tag": "执行报告"}).text
    assert a.question in by_tag and b.question not in by_tag
    found = client.get("/faq", params={"q": "有效期"}).text
    assert b.question in found and a.question not in found
    assert "共 1 条" in found


def test_each_entry_has_a_permanent_page_with_basis_and_last_update(client, session):
    entry = _faq(
        session, "排污许可证有效期多久？", "一般为五年。", "排污许可管理条例第十四条", "许可证核发"
    )
    faq.update_faq(
        session,
        scope=NATIONAL,
        faq_id=entry.id,
        question=entry.question,
        answer="有效期为五年。",
        basis=entry.basis,
        tags=entry.tags,
    )
    page = client.get(f"/faq/{entry.id}")
    assert page.status_code == 200
    assert "有效期为五年。" in page.text and "排污许可管理条例第十四条" in page.text
    assert f'最后更新：<time datetime="{entry.updated_at.isoformat()}"' in page.text
    faq.retire_faq(session, scope=NATIONAL, faq_id=entry.id)
    assert client.get(f"/faq/{entry.id}").status_code == 404
    assert client.get("/faq/999999").status_code == 404
    assert client.get("/faq", params={"q": "x" * 101}).status_code == 422
