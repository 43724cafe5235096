"""The web chat page /chat: cited answers, feedback, suggestions, kept per browser session."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot import texts
from core.regions.scope import NATIONAL
from knowledge import faq
from knowledge.models import AnswerFeedback, QuestionLog
from tests.support.knowledge import plan_knowledge
from tests.support.web import csrf_from

QUESTION = "老板要参加什么培训，截止到啥时候？"


@pytest.fixture
def knowledge(session, tmp_path):
    with plan_knowledge(session, tmp_path / "index") as service:
        yield service


def ask(client: TestClient, question: str, **kwargs):
    token = csrf_from(client.get("/chat").text)
    return client.post("/chat", data={"question": question, "csrf_token": token}, **kwargs)


def test_empty_chat_page_offers_examples_and_a_local_script(client):
    page = client.get("/chat")
    assert page.status_code == 200
    assert 'id="ask-form"' in page.text and 'maxlength="500"' in page.text
    assert texts.EXAMPLE_QUESTIONS[0] in page.text
    assert '<script src="/static/chat.js"' in page.text
    assert not re.search(r'(src|href)="(https?:)?//', page.text)  # nothing from a CDN
    assert client.get("/static/chat.js").status_code == 200


def test_question_without_javascript_redirects_to_the_cited_answer(client, session, knowledge):
    response = ask(client, QUESTION, follow_redirects=False)
    assert response.status_code == 303
    assert re.fullmatch(r"/chat#turn-\d+", response.headers["location"])
    page = client.get("/chat").text
    assert QUESTION in page
    assert "法定代表人专题培训班" in page
    assert "措施33" in page and "完成时限：2024年12月" in page
    assert "责任部门：生态环境部、省级生态环境部门" in page
    log = session.scalar(select(QuestionLog))
    assert (log.channel, log.question, log.answered) == ("web", QUESTION, True)


def test_question_from_the_script_returns_the_rendered_turn(client, knowledge):
    response = ask(client, QUESTION, headers={"Accept": "application/json"})
    body = response.json()
    assert response.status_code == 200
    assert f'id="turn-{body["turn_id"]}"' in body["html"]
    assert "措施33" in body["html"] and "data-chat-feedback" in body["html"]


def test_feedback_is_recorded_once_per_browser_session(client, session, knowledge):
    turn_id = ask(client, QUESTION, headers={"Accept": "application/json"}).json()["turn_id"]
    token = csrf_from(client.get("/chat").text)
    form = {"turn_id": turn_id, "helpful": 0, "csrf_token": token}
    headers = {"Accept": "application/json"}
    first = client.post("/chat/feedback", data=form, headers=headers).json()
    second = client.post("/chat/feedback", data=form, headers=headers).json()
    assert (first["message"], second["message"]) == (texts.FEEDBACK_THANKS, texts.FEEDBACK_ALREADY)
    assert [v.helpful for v in session.scalars(select(AnswerFeedback))] == [False]
    page = client.get("/chat").text
    assert re.search(r'value="0" aria-pressed="true"', page)


def test_feedback_without_javascript_redirects_back(client, session, knowledge):
    ask(client, QUESTION)
    page = client.get("/chat").text
    turn_id = re.search(r'name="turn_id" value="(\d+)"', page).group(1)
    response = client.post(
        "/chat/feedback",
        data={"turn_id": turn_id, "helpful": 1, "csrf_token": csrf_from(page)},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == f"/chat#turn-{turn_id}"
    assert session.scalar(select(AnswerFeedback)).helpful is True


def test_refusal_offers_suggestion_buttons_that_ask_them(client, session, knowledge):
    ask(client, "年假怎么请")
    page = client.get("/chat").text
    # leave is a labour matter: the refusal names it rather than sending the asker to the bureau
    assert "没有关于“年假”的规定" in page and "您是不是想问" in page
    suggestions = re.findall(
        r'<input type="hidden" name="question" value="([^"]+)">\s*'
        r'<button type="submit" class="suggestion">',
        page,
    )
    assert 1 <= len(suggestions) <= 3
    ask(client, suggestions[0].replace("&#34;", '"').replace("&amp;", "&"))
    questions = [
        log.question for log in session.scalars(select(QuestionLog).order_by(QuestionLog.id))
    ]
    assert len(questions) == 2


def test_conversation_belongs_to_its_browser_session(app, client, knowledge):
    turn_id = ask(client, QUESTION, headers={"Accept": "application/json"}).json()["turn_id"]
    with TestClient(app) as other:
        page = other.get("/chat").text
        assert QUESTION not in page
        response = other.post(
            "/chat/feedback",
            data={"turn_id": turn_id, "helpful": 1, "csrf_token": csrf_from(page)},
            headers={"Accept": "application/json"},
        )
    assert response.status_code == 404


def test_question_over_500_characters_asks_to_shorten(client, session, knowledge):
    response = ask(client, "排" * 501)
    assert response.status_code == 422
    assert "501" in response.text and "精简" in response.text
    assert session.scalar(select(func.count()).select_from(QuestionLog)) == 0


def test_empty_question_is_refused_in_chinese(client, knowledge):
    response = ask(client, "   ", headers={"Accept": "application/json"})
    assert response.status_code == 422 and response.json()["detail"] == texts.EMPTY_QUESTION


def test_form_without_csrf_token_is_refused(client, session, knowledge):
    response = client.post("/chat", data={"question": QUESTION})
    assert response.status_code == 403
    assert session.scalar(select(func.count()).select_from(QuestionLog)) == 0


def test_answers_are_escaped(client, session, knowledge):
    faq.create_faq(
        session,
        scope=NATIONAL,
        question="申请材料要附哪些附件",
        answer="请提交 <script>alert(1)</script> & 附件",
        basis="行动计划措施7",
    )
    ask(client, "申请材料要附哪些附件")
    page = client.get("/chat").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 附件" in page
    assert "<script>alert(1)" not in page


def test_rate_limit_answers_politely(client, configure, knowledge):
    configure(chat_rate_per_minute=2)
    headers = {"Accept": "application/json"}
    codes = [ask(client, QUESTION, headers=headers).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert ask(client, QUESTION, headers=headers).json()["detail"] == texts.RATE_LIMITED


def test_new_conversation_starts_empty(client, knowledge):
    ask(client, QUESTION)
    page = client.get("/chat").text
    client.post("/chat/new", data={"csrf_token": csrf_from(page)})
    assert QUESTION not in client.get("/chat").text


def test_logged_in_user_gets_a_telegram_link_command_and_can_unlink(
    client, session, make_user, login
):
    user = make_user("staff", username="li", province="江苏省", city="苏州市")
    login("li")
    page = client.get("/chat").text
    command = re.search(r'id="telegram-link-command">(/start [0-9a-z-]+)<', page).group(1)
    from bot.service import link_account

    link_account(session, telegram_user_id=777, code=command.split()[1])
    page = client.get("/chat").text
    assert texts.WEB_LINKED in page
    client.post("/chat/telegram/unlink", data={"csrf_token": csrf_from(page)})
    session.refresh(user)
    assert user.telegram_user_id is None


def test_anonymous_visitors_see_no_telegram_link(client):
    assert "telegram-link-command" not in client.get("/chat").text


def test_a_follow_up_on_the_chat_page_is_answered_in_context(client, knowledge):
    ask(client, "法定代表人专题培训是什么要求")
    page = ask(client, "那它的截止时间呢", follow_redirects=True)
    last = page.text.rsplit('class="turn"', 1)[1]
    assert "2024年12月" in last and "措施33" in last


def test_a_faq_answer_without_a_basis_shows_no_citations(client, session, knowledge):
    faq.create_faq(
        session,
        scope=NATIONAL,
        question="平台的问答机器人怎么使用？",
        answer="在本页输入问题即可。",
    )
    page = ask(client, "平台的问答机器人怎么使用？", follow_redirects=True)
    last = page.text.rsplit('class="turn"', 1)[1]
    assert "在本页输入问题即可" in last
    assert 'class="citations"' not in last


def test_starting_a_new_conversation_does_not_renew_the_rate_limit(client, configure, knowledge):
    configure(chat_rate_per_minute=2)
    headers = {"Accept": "application/json"}
    assert [ask(client, QUESTION, headers=headers).status_code for _ in range(2)] == [200, 200]
    client.post("/chat/new", data={"csrf_token": csrf_from(client.get("/chat").text)})
    assert ask(client, QUESTION, headers=headers).status_code == 429


def test_a_logged_in_user_has_one_budget_in_every_browser(
    app, client, configure, make_user, knowledge
):
    configure(chat_rate_per_minute=2)
    make_user("staff", username="li", province="江苏省", city="苏州市")
    other_browser = TestClient(app)
    for browser in (client, other_browser):
        token = csrf_from(browser.get("/login").text)
        form = {"username": "li", "password": "correct-horse-1", "csrf_token": token}
        browser.post("/login", data=form)
    headers = {"Accept": "application/json"}
    assert [ask(client, QUESTION, headers=headers).status_code for _ in range(2)] == [200, 200]
    assert ask(other_browser, QUESTION, headers=headers).status_code == 429
    anonymous = TestClient(app)  # counted by address
    assert ask(anonymous, QUESTION, headers=headers).status_code == 200


def test_questions_of_a_city_user_are_logged_with_province_and_city(
    client, session, make_user, login, knowledge
):
    make_user("staff", username="li", province="江苏省", city="苏州市")
    login("li")
    ask(client, QUESTION)
    log = session.scalars(select(QuestionLog).order_by(QuestionLog.id.desc())).first()
    assert (log.channel, log.province, log.city) == ("web", "江苏省", "苏州市")
