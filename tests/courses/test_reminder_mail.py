"""Reminders delivered by e-mail through a real SMTP server (aiosmtpd on loopback), once a month;
the same list in Telegram for a linked admin."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from core.errors import Invalid
from courses import reminder_delivery
from courses.models import ReminderDelivery
from tests.support.registry import load_registry

AS_OF = dt.date(2024, 6, 30)


class Inbox:
    """An aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"


@pytest.fixture
def smtp_server(configure):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    configure(
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        smtp_sender="PermitHub <noreply@permithub.test>",
        base_url="https://permit.example.cn",
    )
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def registry(session, generated):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    return gen


def _two_cities(registry) -> list[str]:
    return [
        key.split("/")[1]
        for key, bucket in sorted(registry.truth["by_city"].items())
        if key.startswith("江苏省/") and bucket["key_units"] > bucket["covered"]
    ][:2]


def test_each_admin_is_mailed_their_list_once_per_month(session, registry, make_user, smtp_server):
    city, other = _two_cities(registry)
    suzhou = make_user(
        "city", username="sz-admin", province="江苏省", city=city, display_name="市级管理员"
    )
    suzhou.email = "sz@example.cn"
    nomail = make_user("city", username="wx-admin", province="江苏省", city=other)
    session.flush()
    report = reminder_delivery.send_reminders(session, as_of=AS_OF)
    assert report.sent == ["sz-admin"], report.lines()
    assert nomail.username in report.no_email
    assert len(smtp_server.messages) == 1
    recipients, message = smtp_server.messages[0]
    assert recipients == ["sz@example.cn"]
    assert city in message["Subject"] and "2024-06-30" in message["Subject"]
    body = message.get_content()
    truth = registry.truth["by_city"][f"江苏省/{city}"]
    missing = truth["key_units"] - truth["covered"]
    assert f"尚未培训的有 {missing} 家" in body
    assert "https://permit.example.cn/coverage" in body
    assert body.count("法定代表人：") == min(missing, reminder_delivery.EMAIL_UNITS_LISTED)
    row = session.scalar(select(ReminderDelivery).where(ReminderDelivery.user_id == suzhou.id))
    assert (row.period, row.recipient, row.units) == ("2024-06", "sz@example.cn", missing)

    again = reminder_delivery.send_reminders(session, as_of=AS_OF - dt.timedelta(days=3))
    assert again.sent == [] and again.already == ["sz-admin"]
    assert len(smtp_server.messages) == 1  # once per period

    next_month = reminder_delivery.send_reminders(session, as_of=dt.date(2024, 7, 1))
    assert next_month.sent == ["sz-admin"] and len(smtp_server.messages) == 2


def test_without_smtp_host_the_command_explains(session, configure):
    configure(smtp_host="")
    with pytest.raises(Invalid, match="PERMITHUB_SMTP_HOST"):
        reminder_delivery.send_reminders(session, as_of=AS_OF)


def test_unreachable_server_is_a_clear_error(session, registry, make_user, configure):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here
    configure(smtp_host="127.0.0.1", smtp_port=port, smtp_security="none")
    admin = make_user("city", province="江苏省", city=_two_cities(registry)[0])
    admin.email = "a@example.cn"
    session.flush()
    with pytest.raises(Invalid, match="无法连接邮件服务器"):
        reminder_delivery.send_reminders(session, as_of=AS_OF)
    assert session.scalar(select(ReminderDelivery.id)) is None


def test_remind_send_command_mails_through_smtp(tmp_path, generated, smtp_server):
    import typer
    from sqlalchemy.orm import Session
    from typer.testing import CliRunner

    from core.accounts import service as account_service
    from core.db import make_engine, upgrade_database, use_engine
    from courses import cli as courses_cli

    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    url = f"sqlite:///{tmp_path / 'mail.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    use_engine(engine)
    try:
        with Session(engine) as session:
            load_registry(session, gen)
            session.commit()
            user = account_service.create_user(
                session,
                username="gz",
                password="gz-reminder-pass-1",
                role="city",
                province="广东省",
                city="广州市",
            )
            user.email = "gz@example.cn"
            session.commit()
        app = typer.Typer()
        courses_cli.register(app, typer.Typer())

        @app.callback()
        def _root() -> None:
            """Group."""

        runner = CliRunner()
        first = runner.invoke(app, ["remind", "--as-of", "2024-06-30", "--send"])
        assert first.exit_code == 0, first.output
        assert "已发送 1 封提醒邮件：gz" in first.output
        second = runner.invoke(app, ["remind", "--as-of", "2024-06-30", "--send"])
        assert "已发送 0 封" in second.output and "本期已发送过" in second.output
        assert [r for r, _ in smtp_server.messages] == [["gz@example.cn"]]
    finally:
        use_engine(None)
        engine.dispose()


def test_linked_admin_gets_the_same_list_in_telegram(session, registry, make_user):
    from bot.handlers.admin import _reminder_reply

    city = _two_cities(registry)[0]
    admin = make_user("city", province="江苏省", city=city)
    admin.telegram_user_id = 424242
    staff = make_user("staff", province="江苏省", city=city)
    staff.telegram_user_id = 434343
    session.flush()
    reply = _reminder_reply(session, telegram_user_id=424242, today=AS_OF)
    truth = registry.truth["by_city"][f"江苏省/{city}"]
    assert f"尚未培训的有 {truth['key_units'] - truth['covered']} 家" in reply
    assert len(reply) < 4096
    assert "仅供" in _reminder_reply(session, telegram_user_id=434343, today=AS_OF)
    assert "还没有关联" in _reminder_reply(session, telegram_user_id=1, today=AS_OF)
