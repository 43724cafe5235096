"""Typical cases: region-scoped editing, publish/retire, import, the public list and the Q&A."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cases import service
from cases.demo import STARTER_CASES, load_demo_cases
from cases.models import TypicalCase
from cases.schemas import CaseCreate, CaseUpdate
from core.errors import Forbidden, Invalid, NotFound
from core.regions.scope import RegionScope
from tests.support.knowledge import plan_knowledge
from tests.support.web import csrf_from

JIANGSU = RegionScope("江苏省")
ZHEJIANG = RegionScope("浙江省")


@pytest.fixture
def knowledge(session, tmp_path):
    with plan_knowledge(session, tmp_path / "index") as knowledge_service:
        yield knowledge_service


def _data(**changes) -> CaseCreate:
    values = dict(STARTER_CASES[0])
    values.update(changes)
    return CaseCreate(**values)


def test_province_admin_writes_only_in_own_province(session):
    case = service.create_case(session, data=_data(province=None, city=None), scope=JIANGSU)
    assert case.province == "江苏省" and case.status == "draft"
    with pytest.raises(Forbidden):
        service.create_case(session, data=_data(province="浙江省", city="杭州市"), scope=JIANGSU)
    with pytest.raises(NotFound):  # another province's case is not even shown to exist
        service.update_case(session, case_id=case.id, data=CaseUpdate(title="改"), scope=ZHEJIANG)
    national = service.create_case(session, data=_data(province=None, city=None))
    with pytest.raises(Forbidden):
        service.publish_case(session, case_id=national.id, scope=JIANGSU)
    assert [c.id for c in service.list_for_editor(session, scope=JIANGSU)] == [case.id]


def test_bad_fields_are_named(session):
    with pytest.raises(Invalid) as caught:
        service.create_case(session, data=_data(kind="乱写", title=" "))
    assert "标题不能为空" in caught.value.message and "类型“乱写”" in caught.value.message


def test_published_case_answers_a_question_and_cites_it(session, knowledge):
    case = service.create_case(session, data=_data())
    assert service.list_published(session)[1] == 0
    service.publish_case(session, case_id=case.id)
    answer = knowledge.answer_question(session, question="有没有无证排污被处罚的案例？")
    assert answer.answered, answer.answer
    assert answer.sources[0].title == service.document_title(case)
    assert "未依法申请取得排污许可证" in answer.answer
    service.retire_case(session, case_id=case.id)
    after = knowledge.answer_question(session, question="有没有无证排污被处罚的案例？")
    assert all(s.title != service.document_title(case) for s in after.sources)
    assert service.list_published(session)[1] == 0


def test_import_is_all_or_nothing_with_line_numbers(session):
    good = "标题,日期,类型,案情,省份\n案例甲,2023-01-05,台账,台账缺失被整改,江苏省\n"
    bad = good + "案例乙,2023-13-40,乱写,,浙江省\n"
    with pytest.raises(Invalid) as caught:
        service.import_cases(session, bad.encode(), filename="cases.csv", scope=JIANGSU)
    details = "\n".join(caught.value.details)
    assert "第3行" in details and "日期" in details and "类型“乱写”" in details
    assert "案情不能为空" in details and "不在您的辖区" in details
    assert session.scalar(select(func.count()).select_from(TypicalCase)) == 0
    report = service.import_cases(session, good.encode(), filename="cases.csv", scope=JIANGSU)
    assert report.created == 1
    assert session.scalar(select(TypicalCase.status)) == "draft"


def test_public_list_filters_by_kind_region_and_search(client, session, knowledge):
    load_demo_cases(session)
    page = client.get("/cases")
    assert page.status_code == 200
    assert f"共 {len(STARTER_CASES)} 个案例" in page.text
    by_kind = client.get("/cases", params={"kind": "台账"}).text
    assert "环境管理台账记录不全" in by_kind and "未取得排污许可证" not in by_kind
    by_region = client.get("/cases", params={"region": "浙江省"}).text
    assert "印染企业" in by_region and "电镀企业" not in by_region
    national = client.get("/cases", params={"region": "全国"}).text
    assert "制药企业" in national and "印染企业" not in national
    found = client.get("/cases", params={"q": "自行监测"}).text
    assert "钢铁企业" in found
    case = session.scalar(select(TypicalCase).where(TypicalCase.kind == "自行监测"))
    detail = client.get(f"/cases/{case.id}").text
    assert case.clauses in detail and "对企业的启示" in detail


def test_admin_pages_publish_and_city_admins_are_refused(
    client, session, make_user, login, knowledge
):
    make_user("province", username="js-admin", province="江苏省")
    make_user("city", username="sz-admin", province="江苏省", city="苏州市")
    login("sz-admin")
    assert client.get("/admin/cases").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").text)})
    login("js-admin")
    token = csrf_from(client.get("/admin/cases").text)
    form = {
        "csrf_token": token,
        "title": "某企业未按证排污案例",
        "occurred_on": "2023-07-01",
        "kind": "不按证排污",
        "province": "",
        "city": "苏州市",
        "summary": "排放浓度超过许可限值。",
        "clauses": "条例第三十四条",
        "lesson": "按证排污。",
    }
    bad = client.post("/admin/cases", data={**form, "occurred_on": "2023-02-30"})
    assert bad.status_code == 422 and "不是有效日期" in bad.text
    saved = client.post("/admin/cases", data=form, follow_redirects=False)
    assert saved.status_code == 303
    case = session.scalar(select(TypicalCase))
    assert (case.province, case.city, case.status) == ("江苏省", "苏州市", "draft")
    assert case.title not in client.get("/cases").text
    client.post(f"/admin/cases/{case.id}/publish", data={"csrf_token": token})
    assert case.title in client.get("/cases").text
    client.post(f"/admin/cases/{case.id}/retire", data={"csrf_token": token})
    assert case.title not in client.get("/cases").text
    assert client.get(f"/cases/{case.id}").status_code == 404


def test_api_reads_published_and_admins_write_in_their_region(
    client, session, make_user, auth_headers, knowledge
):
    province = auth_headers(make_user("province", username="js-api", province="江苏省"))
    city = auth_headers(make_user("city", username="sz-api", province="江苏省", city="苏州市"))
    payload = {**STARTER_CASES[3], "occurred_on": "2022-11-08", "province": None, "city": None}
    assert client.post("/api/cases", json=payload).status_code == 401
    assert client.post("/api/cases", json=payload, headers=city).status_code == 403
    created = client.post("/api/cases", json=payload, headers=province)
    assert created.status_code == 201 and created.json()["province"] == "江苏省"
    case_id = created.json()["id"]
    assert client.get(f"/api/cases/{case_id}").status_code == 404  # a draft is not public
    kept = client.patch(
        f"/api/cases/{case_id}", json={"clauses": None, "lesson": None}, headers=province
    )
    assert kept.status_code == 200 and kept.json()["clauses"] == STARTER_CASES[3]["clauses"]
    bad = client.patch(f"/api/cases/{case_id}", json={"kind": "乱写"}, headers=province)
    assert bad.status_code == 422 and "类型“乱写”" in bad.json()["detail"]
    published = client.post(f"/api/cases/{case_id}/publish", headers=province)
    assert published.status_code == 200 and published.json()["status"] == "published"
    listed = client.get("/api/cases", params={"kind": "台账"}).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == case_id
    assert client.post(f"/api/cases/{case_id}/retire", headers=province).json()["status"] == (
        "retired"
    )
    assert client.get("/api/cases").json()["total"] == 0
