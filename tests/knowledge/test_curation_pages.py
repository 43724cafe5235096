"""Knowledge admin pages: the curation queue, FAQ and synonym forms, the retrieval test."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from core.regions.scope import NATIONAL
from knowledge import faq
from knowledge.curation_models import QuestionReview
from knowledge.models import FAQ_RETIRED, FaqEntry, QuestionLog, Synonym
from tests.knowledge.curation_support import log_question
from tests.support.web import csrf_from


@pytest.fixture
def admin(make_user, login):
    user = make_user("national", username="kb-admin")
    login("kb-admin")
    return user


def _token(client, url="/admin/knowledge/faq"):
    return csrf_from(client.get(url).text)


def _group_log_ids(html: str) -> list[str]:
    return re.findall(r'name="log_ids" value="([^"]+)"', html)


def test_anonymous_visitors_are_sent_to_login_and_non_admins_get_403(client, make_user, login):
    response = client.get("/admin/knowledge", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    make_user("staff", username="staff-1", province="江苏省", city="苏州市")
    login("staff-1")
    for url in (
        "/admin/knowledge",
        "/admin/knowledge/faq",
        "/admin/knowledge/synonyms",
        "/admin/knowledge/search-test?q=x",
    ):
        assert client.get(url).status_code == 403, url
    token = csrf_from(client.get("/").text)
    response = client.post(
        "/admin/knowledge/synonyms",
        data={"term": "废机油", "canonical": "危险废物", "csrf_token": token},
    )
    assert response.status_code == 403


def test_queue_page_shows_groups_by_frequency_with_regions(client, session, admin):
    for minutes in range(3):
        log_question(session, "执行报告什么时候提交", province="江苏省", minutes=minutes)
    log_question(session, "执行报告提交时间", province="浙江省", minutes=5)
    log_question(session, "平台密码忘了怎么办", province="江苏省", minutes=6)

    html = client.get("/admin/knowledge").text

    assert "共 5 条待处理问题，归为 2 组" in html
    assert html.index("4 次") < html.index("1 次")
    assert "江苏省 3、浙江省 1" in html
    assert "最近提问：2026-11-20 17:05" in html  # logged 09:05 UTC, shown in Beijing time
    assert len(_group_log_ids(html)) == 2 * 3  # three forms per group


def test_promoting_a_group_from_the_page_creates_the_entry_and_clears_the_group(
    client, session, admin
):
    logs = [log_question(session, "废机油台账保存几年", minutes=m) for m in range(2)]
    page = client.get("/admin/knowledge").text
    ids = _group_log_ids(page)[0]

    response = client.post(
        "/admin/knowledge/questions/promote",
        data={
            "csrf_token": csrf_from(page),
            "log_ids": ids,
            "question": "危险废物管理台账要保存几年？",
            "answer": "一般不少于五年。",
            "basis": "危险废物管理计划和管理台账制定技术导则",
        },
        follow_redirects=False,
    )

    assert response.status_code == 303
    entry = session.scalar(
        select(FaqEntry).where(FaqEntry.question == "危险废物管理台账要保存几年？")
    )
    assert entry is not None and [p.text for p in entry.phrasings] == ["废机油台账保存几年"]
    handled = session.scalars(select(QuestionReview.question_log_id)).all()
    assert sorted(handled) == [log.id for log in logs]
    assert reviewer_is(session, admin.id)
    after = client.get(response.headers["location"]).text
    assert f"已新建 FAQ 条目 #{entry.id}" in after and "暂无待处理的问题" in after
    reply = client.post("/api/ask", json={"question": "废机油台账保存几年"}).json()
    assert reply["answered"] and reply["faq_id"] == entry.id


def reviewer_is(session, user_id):
    return set(session.scalars(select(QuestionReview.reviewer_id))) == {user_id}


def test_promote_without_an_answer_keeps_the_typed_text_and_says_why(client, session, admin):
    log_question(session, "废机油台账保存几年")
    page = client.get("/admin/knowledge").text

    response = client.post(
        "/admin/knowledge/questions/promote",
        data={
            "csrf_token": csrf_from(page),
            "log_ids": _group_log_ids(page)[0],
            "question": "危险废物台账保存期限",
            "answer": "   ",
            "basis": "导则",
        },
    )

    assert response.status_code == 422
    assert "答案不能为空" in response.text
    assert 'value="危险废物台账保存期限"' in response.text
    assert (
        session.scalar(select(FaqEntry.id).where(FaqEntry.question == "危险废物台账保存期限"))
        is None
    )


def test_forms_without_a_valid_csrf_token_are_refused(client, session, admin):
    log = log_question(session, "废机油台账保存几年")
    response = client.post(
        "/admin/knowledge/questions/dismiss", data={"log_ids": str(log.id), "csrf_token": "forged"}
    )
    assert response.status_code == 403
    assert session.scalar(select(QuestionReview.id)) is None


def test_attaching_a_group_to_a_suggested_entry_from_the_page(client, session, admin):
    entry = faq.create_faq(
        session,
        scope=NATIONAL,
        question="排污许可证到期后如何延续？",
        answer="届满前六十日申请延续。",
    )
    log = log_question(session, "排污许可证过期了怎么延续")
    page = client.get("/admin/knowledge").text
    assert f'<option value="{entry.id}">' in page

    response = client.post(
        "/admin/knowledge/questions/attach",
        data={"csrf_token": csrf_from(page), "log_ids": str(log.id), "faq_id": str(entry.id)},
        follow_redirects=False,
    )

    assert response.status_code == 303
    session.refresh(entry)
    assert [p.text for p in entry.phrasings] == ["排污许可证过期了怎么延续"]
    assert client.get("/admin/knowledge").text.count('name="log_ids"') == 0


def test_city_admin_cannot_handle_questions_from_another_region(client, session, make_user, login):
    make_user("city", username="suzhou", province="江苏省", city="苏州市")
    login("suzhou")
    log_question(session, "废机油台账保存几年", province="江苏省", city="苏州市")
    log_question(session, "平台密码忘了怎么办", province="江苏省", city="南京市")
    elsewhere = log_question(session, "执行报告提交时间", province="浙江省", city="杭州市")
    page = client.get("/admin/knowledge").text
    assert "废机油台账保存几年" in page
    assert "平台密码忘了怎么办" not in page and "执行报告提交时间" not in page
    assert 'name="province"' not in page  # nothing to drill down to

    response = client.post(
        "/admin/knowledge/questions/dismiss",
        data={"csrf_token": csrf_from(page), "log_ids": str(elsewhere.id)},
    )
    assert response.status_code == 403
    assert client.get("/admin/knowledge?province=浙江省").status_code == 403
    assert client.get("/admin/knowledge?province=江苏省&city=南京市").status_code == 403


def test_province_admin_sees_their_province_only(client, session, make_user, login):
    make_user("province", username="js", province="江苏省")
    login("js")
    log_question(session, "执行报告提交时间", province="江苏省")
    log_question(session, "平台密码忘了怎么办", province="浙江省")
    html = client.get("/admin/knowledge").text
    assert "执行报告提交时间" in html and "平台密码忘了怎么办" not in html


# ---- FAQ pages ---------------------------------------------------------------------------


def test_faq_created_on_the_page_is_answerable_through_the_api_at_once(client, session, admin):
    question = "油烟净化器多久清洗一次"
    assert client.post("/api/ask", json={"question": question}).json()["faq_id"] is None

    response = client.post(
        "/admin/knowledge/faq/new",
        data={
            "csrf_token": _token(client, "/admin/knowledge/faq/new"),
            "question": "餐饮油烟净化设施的清洗周期是多久？",
            "phrasings": f"{question}\n\n油烟净化器清洗周期\n",
            "answer": "按设备说明书和当地规定定期清洗。",
            "basis": "地方餐饮油烟管理规定",
            "tags": "油烟",
        },
        follow_redirects=False,
    )

    assert response.status_code == 303
    entry = session.scalar(select(FaqEntry).where(FaqEntry.tags == "油烟"))
    assert [p.text for p in entry.phrasings] == [question, "油烟净化器清洗周期"]
    reply = client.post("/api/ask", json={"question": question}).json()
    assert reply["answered"] and reply["faq_id"] == entry.id
    assert reply["answer"].startswith("按设备说明书")


def test_faq_edit_page_changes_the_answer_served_by_the_api(client, session, admin):
    entry = faq.create_faq(
        session,
        scope=NATIONAL,
        question="执行报告什么时候提交？",
        answer="旧答案。",
        phrasings=["年报啥时候交"],
    )
    form = client.get(f"/admin/knowledge/faq/{entry.id}").text
    assert "年报啥时候交</textarea>" in form

    response = client.post(
        f"/admin/knowledge/faq/{entry.id}",
        data={
            "csrf_token": csrf_from(form),
            "question": "执行报告什么时候提交？",
            "phrasings": "年报啥时候交\n执行报告截止日期",
            "answer": "按排污许可证规定的频次和时间提交。",
            "basis": "排污许可管理条例",
        },
        follow_redirects=False,
    )

    assert response.status_code == 303
    reply = client.post("/api/ask", json={"question": "执行报告截止日期"}).json()
    assert reply["faq_id"] == entry.id and reply["answer"].startswith("按排污许可证规定")


def test_faq_form_errors_name_the_field_and_the_line(client, session, admin):
    token = _token(client, "/admin/knowledge/faq/new")
    response = client.post(
        "/admin/knowledge/faq/new",
        data={"csrf_token": token, "question": "问题", "answer": "", "phrasings": ""},
    )
    assert response.status_code == 422 and "答案不能为空" in response.text
    response = client.post(
        "/admin/knowledge/faq/new",
        data={
            "csrf_token": token,
            "question": "问题",
            "answer": "答",
            "phrasings": "好\n" + "长" * 501,
        },
    )
    assert response.status_code == 422 and "第2行: 相似问法过长" in response.text


def test_faq_list_searches_phrasings_and_retire_restore_toggle(client, session, admin):
    entry = faq.create_faq(
        session,
        scope=NATIONAL,
        question="执行报告什么时候提交？",
        answer="按规定提交。",
        phrasings=["年报啥时候交"],
    )
    faq.create_faq(session, scope=NATIONAL, question="排污许可证如何延续？", answer="届满前申请。")

    listing = client.get("/admin/knowledge/faq?q=年报").text
    assert "执行报告什么时候提交？" in listing and "排污许可证如何延续？" not in listing

    client.post(f"/admin/knowledge/faq/{entry.id}/retire", data={"csrf_token": csrf_from(listing)})
    session.refresh(entry)
    assert entry.status == FAQ_RETIRED
    assert client.post("/api/ask", json={"question": "年报啥时候交"}).json()["faq_id"] != entry.id
    retired = client.get("/admin/knowledge/faq?status=retired").text
    assert "执行报告什么时候提交？" in retired and "恢复" in retired

    client.post(f"/admin/knowledge/faq/{entry.id}/restore", data={"csrf_token": csrf_from(listing)})
    assert client.post("/api/ask", json={"question": "年报啥时候交"}).json()["faq_id"] == entry.id


def test_unknown_faq_is_a_404_page(client, admin):
    assert client.get("/admin/knowledge/faq/999999").status_code == 404


# ---- synonyms ----------------------------------------------------------------------------


def test_synonym_page_adds_edits_and_deletes(client, session, admin):
    token = _token(client, "/admin/knowledge/synonyms")
    response = client.post(
        "/admin/knowledge/synonyms",
        data={"csrf_token": token, "term": "废机油", "canonical": "危险废物"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    synonym = session.scalar(select(Synonym).where(Synonym.term == "废机油"))
    assert synonym.canonical == "危险废物"
    assert "已添加同义词" in client.get(response.headers["location"]).text

    duplicate = client.post(
        "/admin/knowledge/synonyms", data={"csrf_token": token, "term": "废机油", "canonical": "x"}
    )
    assert duplicate.status_code == 409 and "已在词典中" in duplicate.text

    client.post(
        f"/admin/knowledge/synonyms/{synonym.id}",
        data={"csrf_token": token, "term": "废机油品", "canonical": "危险废物"},
    )
    session.refresh(synonym)
    assert synonym.term == "废机油品"
    client.post(f"/admin/knowledge/synonyms/{synonym.id}/delete", data={"csrf_token": token})
    assert session.scalar(select(Synonym).where(Synonym.id == synonym.id)) is None


# ---- retrieval test ----------------------------------------------------------------------


def test_search_test_page_shows_ranked_passages_scores_and_the_decision(client, session, admin):
    from knowledge import service as knowledge_service

    knowledge_service.ingest_bytes(
        session,
        data="一、执行报告\n排污单位应按时提交执行报告。\n二、信息公开\n排污单位应公开排污信息。".encode(),
        filename="rules.txt",
        title="测试规定",
    )
    html = client.get("/admin/knowledge/search-test", params={"q": "执行报告要按时提交吗"}).text

    assert "作答判断" in html and "置信度" in html and "融合得分" in html and "作答阈值" in html
    assert html.index("按时提交执行报告") < html.index("公开排污信息")
    assert session.scalar(select(QuestionLog.id)) is None  # testing is not logged


def test_queue_page_shows_what_the_unhelpful_answer_said(client, session, admin):
    log_question(
        session, "执行报告怎么写", answered=True, votes=(False,), answer="请参考执行报告模板。"
    )
    html = client.get("/admin/knowledge?reason=unhelpful").text
    assert "被评为“没有帮助”的回答（1）" in html and "请参考执行报告模板。" in html


def test_home_page_tells_admins_how_many_questions_wait(client, session, admin):
    log_question(session, "执行报告提交时间", province="江苏省")
    log_question(session, "执行报告怎么写", answered=True, votes=(False,))
    html = client.get("/").text
    assert "知识库待处理问题" in html
    assert "有 <strong>2</strong> 条问题等待处理：未能回答 1 条，回答无帮助 1 条" in html


def test_queue_page_ranks_regions_and_links_to_each(client, session, admin):
    log_question(session, "执行报告提交时间", province="江苏省", minutes=1)
    log_question(session, "执行报告提交时间", province="江苏省", minutes=2)
    log_question(session, "平台密码忘了怎么办", province="浙江省", minutes=3)
    html = client.get("/admin/knowledge").text
    assert html.index(">江苏省</a> 2") < html.index(">浙江省</a> 1")
    only = client.get("/admin/knowledge", params={"province": "浙江省"}).text
    assert "平台密码忘了怎么办" in only and "执行报告提交时间" not in only


def test_handling_a_group_returns_to_the_same_filtered_view(client, session, admin):
    log_question(session, "平台密码忘了怎么办", province="浙江省")
    page = client.get(
        "/admin/knowledge", params={"province": "浙江省", "reason": "unanswered"}
    ).text
    filters = re.search(r'name="filters" value="([^"]*)"', page).group(1)

    response = client.post(
        "/admin/knowledge/questions/dismiss",
        data={
            "csrf_token": csrf_from(page),
            "log_ids": _group_log_ids(page)[0],
            "filters": filters.replace("&amp;", "&") + "&next=https://example.com",
        },
        follow_redirects=False,
    )

    location = response.headers["location"]
    assert location.startswith("/admin/knowledge?province=")
    assert "reason=unanswered" in location and "done=dismiss" in location
    assert "example.com" not in location


def test_the_faq_template_has_the_import_headers_and_a_filled_copy_imports(client, session, admin):
    from knowledge.importer import import_faq

    csv_template = client.get("/admin/knowledge/faq/template.csv")
    assert csv_template.status_code == 200
    header = csv_template.content.decode("utf-8-sig").splitlines()[0]
    assert header == "问题,相似问法,答案,依据,标签"
    assert client.get("/admin/knowledge/faq/template.doc").status_code == 404
    workbook = load_workbook(io.BytesIO(client.get("/admin/knowledge/faq/template.xlsx").content))
    row = ["模板导入的问题？", "模板问题|另一种问法", "模板答案。", "措施29", "模板"]
    workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = import_faq(session, buffer.getvalue(), filename="问答表.xlsx")
    assert report.created == 1 and not report.errors
