"""/policies: documents with issuing body, number, date and status, each with its passages."""

from __future__ import annotations

import pytest

from knowledge import policies
from tests.support.knowledge import plan_knowledge
from tests.support.web import csrf_from


@pytest.fixture
def knowledge(session, tmp_path):
    with plan_knowledge(session, tmp_path / "index") as service:
        yield service


def _plan(session):
    return policies.list_policies(session)[0]


def test_policy_list_shows_facts_and_links_passages(client, session, knowledge):
    document = _plan(session)
    policies.set_policy_facts(
        session,
        document_id=document.id,
        issuing_body="生态环境部",
        doc_number="环办环评函〔2022〕1号",
        issued_on=None,
        policy_status="draft",
    )
    page = client.get("/policies")
    assert page.status_code == 200
    assert f'href="/policies/{document.id}"' in page.text
    assert "生态环境部" in page.text and "环办环评函〔2022〕1号" in page.text
    assert "征求意见稿" in page.text
    assert document.title not in client.get("/policies", params={"status": "in_force"}).text
    detail = client.get(f"/policies/{document.id}")
    assert detail.status_code == 200
    assert "措施33" in detail.text and 'id="p-' in detail.text
    assert "修改文件信息" not in detail.text  # anonymous visitors only read


def test_admin_sets_facts_and_bad_date_is_explained(client, session, knowledge, make_user, login):
    document = _plan(session)
    make_user("national", username="nat")
    make_user("province", username="js", province="江苏省")
    login("js")
    token = csrf_from(client.get(f"/policies/{document.id}").text)
    refused = client.post(
        f"/policies/{document.id}", data={"csrf_token": token, "policy_status": "repealed"}
    )
    assert refused.status_code == 403  # a national document: national admins only
    client.post("/logout", data={"csrf_token": token})
    login("nat")
    page = client.get(f"/policies/{document.id}").text
    assert "修改文件信息" in page
    token = csrf_from(page)
    bad = client.post(
        f"/policies/{document.id}",
        data={"csrf_token": token, "issued_on": "2022-02-30", "policy_status": "in_force"},
    )
    assert bad.status_code == 422 and "不是有效日期" in bad.text
    done = client.post(
        f"/policies/{document.id}",
        data={
            "csrf_token": token,
            "issuing_body": "生态环境部办公厅",
            "issued_on": "2022-04-02",
            "policy_status": "repealed",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    session.refresh(document)
    assert (document.issuing_body, str(document.issued_on), document.policy_status) == (
        "生态环境部办公厅",
        "2022-04-02",
        "repealed",
    )
    assert "已废止" in client.get("/policies").text
