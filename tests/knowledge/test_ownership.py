"""Ownership of shared knowledge content: national FAQ entries and synonyms belong to national
admins, a region's entries to that region; every change leaves an audit row (issue 10 finding 2)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from core.audit.models import AuditEntry
from core.errors import Forbidden
from core.regions.scope import NATIONAL, RegionScope
from knowledge import faq, importer
from knowledge.models import FAQ_ACTIVE, FaqEntry, Synonym
from tests.knowledge.curation_support import log_question
from tests.support.web import csrf_from

API = "/api/knowledge/admin"
SUZHOU = RegionScope("江苏省", "苏州市")


@pytest.fixture
def national_faq(session):
    return faq.create_faq(
        session, scope=NATIONAL, question="排污许可证到期后如何延续？", answer="届满前六十日申请。"
    )


@pytest.fixture
def city(make_user, auth_headers):
    return auth_headers(make_user("city", province="江苏省", city="苏州市"))


def _audit(session, action: str) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


# ---- the API ------------------------------------------------------------------------------


def test_city_admin_cannot_retire_or_rewrite_a_national_faq_entry(
    client, session, national_faq, city
):
    retire = client.post(f"{API}/faq/{national_faq.id}/retire", headers=city)
    rewrite = client.put(
        f"{API}/faq/{national_faq.id}",
        json={"question": national_faq.question, "answer": "请访问 http://example.com"},
        headers=city,
    )

    for response in (retire, rewrite):
        assert response.status_code == 403
        assert "全国共用内容，只有部级管理员可以修改" in response.json()["detail"]
    session.refresh(national_faq)
    assert (national_faq.status, national_faq.answer) == (FAQ_ACTIVE, "届满前六十日申请。")
    answer = client.post("/api/ask", json={"question": "排污许可证到期后如何延续？"}).json()
    assert "example.com" not in answer["answer"]


def test_city_admin_cannot_add_change_or_delete_synonyms(
    client, session, city, make_user, auth_headers
):
    response = client.post(
        f"{API}/synonyms", json={"term": "小排证", "canonical": "排污许可证"}, headers=city
    )
    assert response.status_code == 403
    assert "同义词词典属于全国共用内容" in response.json()["detail"]
    assert session.scalar(select(Synonym).where(Synonym.term == "小排证")) is None

    national = auth_headers(make_user("national"))
    created = client.post(
        f"{API}/synonyms", json={"term": "废机油", "canonical": "废矿物油"}, headers=national
    ).json()
    edit = client.put(
        f"{API}/synonyms/{created['id']}",
        json={"term": "废机油", "canonical": "别的"},
        headers=city,
    )
    delete = client.delete(f"{API}/synonyms/{created['id']}", headers=city)
    assert (edit.status_code, delete.status_code) == (403, 403)
    listed = client.get(f"{API}/synonyms?q=废机油", headers=city).json()
    assert [(s["term"], s["canonical"]) for s in listed] == [("废机油", "废矿物油")]


def test_city_admin_creates_and_edits_its_own_entries(client, session, city):
    created = client.post(
        f"{API}/faq",
        json={"question": "苏州排污许可窗口在哪？", "answer": "市政务中心三楼。"},
        headers=city,
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["province"], body["city"], body["owner"], body["editable"]) == (
        "江苏省",
        "苏州市",
        "江苏省苏州市",
        True,
    )
    edited = client.put(
        f"{API}/faq/{body['id']}",
        json={"question": "苏州排污许可窗口在哪？", "answer": "市政务中心四楼。"},
        headers=city,
    )
    retired = client.post(f"{API}/faq/{body['id']}/retire", headers=city)
    assert (edited.status_code, retired.status_code) == (200, 200)
    assert retired.json()["status"] == "retired"


def test_lists_show_national_entries_read_only_and_only_the_own_region(
    client, session, national_faq, city, make_user, auth_headers
):
    faq.create_faq(session, scope=SUZHOU, question="苏州的问题", answer="苏州的答案")
    faq.create_faq(
        session, scope=RegionScope("江苏省", "南京市"), question="南京的问题", answer="南京的答案"
    )
    items = client.get(f"{API}/faq", headers=city).json()["items"]
    assert {(i["question"], i["editable"]) for i in items} == {
        (national_faq.question, False),
        ("苏州的问题", True),
    }
    nanjing_id = session.scalar(select(FaqEntry.id).where(FaqEntry.question == "南京的问题"))
    assert client.get(f"{API}/faq/{nanjing_id}", headers=city).status_code == 404
    assert client.post(f"{API}/faq/{nanjing_id}/retire", headers=city).status_code == 404

    province = auth_headers(make_user("province", province="江苏省"))
    seen = {
        i["question"]: i["editable"]
        for i in client.get(f"{API}/faq", headers=province).json()["items"]
    }
    assert seen == {national_faq.question: False, "苏州的问题": True, "南京的问题": True}
    national = auth_headers(make_user("national"))
    assert all(i["editable"] for i in client.get(f"{API}/faq", headers=national).json()["items"])


def test_city_admin_cannot_attach_questions_to_a_national_entry(
    client, session, national_faq, city
):
    log = log_question(session, "排污证到期了咋办", province="江苏省", city="苏州市")
    response = client.post(
        f"{API}/questions/attach",
        json={"log_ids": [log.id], "faq_id": national_faq.id},
        headers=city,
    )
    assert response.status_code == 403
    session.refresh(national_faq)
    assert national_faq.phrasings == []


def test_a_promoted_group_belongs_to_the_promoting_region(client, session, city):
    log = log_question(session, "苏州的危废台账交给谁", province="江苏省", city="苏州市")
    response = client.post(
        f"{API}/questions/promote",
        json={"log_ids": [log.id], "question": "苏州危废台账交给谁？", "answer": "交市局固废科。"},
        headers=city,
    )
    assert response.status_code == 201
    entry = session.get(FaqEntry, response.json()["faq"]["id"])
    assert (entry.province, entry.city) == ("江苏省", "苏州市")
    (row,) = _audit(session, "faq.create")
    assert (row.province, row.city, row.target_id) == ("江苏省", "苏州市", str(entry.id))


# ---- the audit trail ----------------------------------------------------------------------


def test_every_faq_and_synonym_change_is_audited_with_before_and_after(session, make_user):
    boss = make_user("national", username="boss")
    entry = faq.create_faq(session, scope=NATIONAL, question="问甲", answer="旧答案", actor=boss)
    faq.update_faq(
        session, scope=NATIONAL, faq_id=entry.id, question="问甲", answer="新答案", actor=boss
    )
    faq.retire_faq(session, scope=NATIONAL, faq_id=entry.id, actor=boss)
    faq.restore_faq(session, scope=NATIONAL, faq_id=entry.id, actor=boss)
    synonym = faq.add_synonym(
        session, scope=NATIONAL, term="废机油", canonical="废矿物油", actor=boss
    )
    faq.update_synonym(
        session,
        scope=NATIONAL,
        synonym_id=synonym.id,
        term="废机油品",
        canonical="废矿物油",
        actor=boss,
    )
    faq.delete_synonym(session, scope=NATIONAL, synonym_id=synonym.id, actor=boss)

    rows = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [r.action for r in rows] == [
        "faq.create",
        "faq.update",
        "faq.retire",
        "faq.restore",
        "synonym.create",
        "synonym.update",
        "synonym.delete",
    ]
    assert {r.actor for r in rows} == {"boss"}
    details = [json.loads(r.detail) for r in rows]
    assert details[0]["before"] is None and details[0]["after"]["answer"] == "旧答案"
    assert (details[1]["before"]["answer"], details[1]["after"]["answer"]) == ("旧答案", "新答案")
    assert details[2]["after"]["status"] == "retired"
    assert (details[5]["before"]["term"], details[5]["after"]["term"]) == ("废机油", "废机油品")
    assert details[6] == {"before": {"term": "废机油品", "canonical": "废矿物油"}, "after": None}


def test_a_refused_change_leaves_no_audit_row(session, national_faq):
    with pytest.raises(Forbidden):
        faq.retire_faq(session, scope=SUZHOU, faq_id=national_faq.id)
    assert _audit(session, "faq.retire") == []


# ---- FAQ tables ---------------------------------------------------------------------------


def test_cli_import_is_national_and_a_city_import_owns_its_entries(
    session, write_faq, national_faq
):
    national = importer.import_faq(session, write_faq([("全国问题", "", "全国答案", "", "")]))
    assert national.created == 1
    entry = session.scalar(select(FaqEntry).where(FaqEntry.question == "全国问题"))
    assert entry.province is None

    table = write_faq(
        [("苏州问题", "", "苏州答案", "", ""), (national_faq.question, "", "改写", "", "")]
    )
    refused = importer.import_faq(session, table, scope=SUZHOU)
    assert not refused.written
    assert list(refused.error_lines()) == [
        f"第3行: 问题与全国共用的 FAQ 条目 #{national_faq.id} 相同，只有部级管理员可以修改该条目"
    ]

    report = importer.import_faq(session, table, scope=SUZHOU, skip_invalid=True)
    assert (report.created, report.updated) == (1, 0)
    local = session.scalar(select(FaqEntry).where(FaqEntry.question == "苏州问题"))
    assert (local.province, local.city) == ("江苏省", "苏州市")
    session.refresh(national_faq)
    assert national_faq.answer == "届满前六十日申请。"
    created = [r for r in _audit(session, "faq.create") if r.target_id == str(local.id)]
    assert len(created) == 1 and json.loads(created[0].detail)["via"] == "import"


# ---- the pages ----------------------------------------------------------------------------


def test_city_admin_pages_show_national_content_read_only_and_refuse_changes(
    client, session, national_faq, make_user, login
):
    faq.add_synonym(session, scope=NATIONAL, term="废机油", canonical="废矿物油")
    make_user("city", username="suzhou", province="江苏省", city="苏州市")
    login("suzhou")

    listing = client.get("/admin/knowledge/faq").text
    assert national_faq.question in listing
    assert f"/admin/knowledge/faq/{national_faq.id}/retire" not in listing
    assert "只读" in listing
    detail = client.get(f"/admin/knowledge/faq/{national_faq.id}").text
    assert "属于全国共用内容，只有部级管理员可以修改" in detail
    assert 'name="answer"' not in detail
    synonyms = client.get("/admin/knowledge/synonyms").text
    assert "只有部级管理员可以修改" in synonyms and 'name="term"' not in synonyms

    token = csrf_from(listing)
    retire = client.post(
        f"/admin/knowledge/faq/{national_faq.id}/retire", data={"csrf_token": token}
    )
    assert retire.status_code == 403 and "只有部级管理员可以修改" in retire.text
    save = client.post(
        f"/admin/knowledge/faq/{national_faq.id}",
        data={"csrf_token": token, "question": national_faq.question, "answer": "改写"},
    )
    assert save.status_code == 403
    add = client.post(
        "/admin/knowledge/synonyms",
        data={"csrf_token": token, "term": "小排证", "canonical": "排污许可证"},
    )
    assert add.status_code == 403 and "同义词词典属于全国共用内容" in add.text
    session.refresh(national_faq)
    assert (national_faq.status, national_faq.answer) == (FAQ_ACTIVE, "届满前六十日申请。")


def test_city_admin_creates_an_entry_of_its_own_on_the_page(client, session, make_user, login):
    make_user("city", username="suzhou", province="江苏省", city="苏州市")
    login("suzhou")
    form = client.get("/admin/knowledge/faq/new")
    assert "所属：江苏省苏州市" in form.text
    response = client.post(
        "/admin/knowledge/faq/new",
        data={"csrf_token": csrf_from(form.text), "question": "苏州窗口在哪", "answer": "三楼"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    entry = session.scalar(select(FaqEntry).where(FaqEntry.question == "苏州窗口在哪"))
    assert (entry.province, entry.city) == ("江苏省", "苏州市")
    listing = client.get("/admin/knowledge/faq").text
    assert f"/admin/knowledge/faq/{entry.id}/retire" in listing


def test_city_admin_imports_a_faq_table_on_the_web_for_its_region(
    client, session, make_user, login
):
    make_user("city", username="suzhou", province="江苏省", city="苏州市")
    login("suzhou")
    page = client.get("/admin/knowledge/documents")
    csv = "问题,相似问法,答案,依据,标签\n苏州窗口在哪,,三楼,,\n".encode()
    response = client.post(
        "/admin/knowledge/ingest",
        data={"csrf_token": csrf_from(page.text)},
        files={"file": ("faq.csv", csv, "text/csv")},
    )
    assert response.status_code == 200, response.text
    entry = session.scalar(select(FaqEntry).where(FaqEntry.question == "苏州窗口在哪"))
    assert (entry.province, entry.city) == ("江苏省", "苏州市")


def test_a_question_taken_nationally_tells_the_city_admin_what_to_do(client, national_faq, city):
    response = client.post(
        f"{API}/faq", json={"question": national_faq.question, "answer": "本市答案"}, headers=city
    )
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert detail.startswith(f"全国共用的 FAQ 条目 #{national_faq.id} 已有相同问题")
    assert detail.endswith("请换一种问法")
