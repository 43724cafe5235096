"""Reminders delivered: each admin's list by e-mail (SMTP), once per period, and as text for chat.

``send_reminders`` mails every admin who receives a list (``courses.reminders``) and has an
e-mail address, and records each message in ``reminder_delivery``: one per admin and month
(the period of the list's date), so a daily cron job mails each admin once a month and a run
that failed halfway sends only what is missing the next time. SMTP settings:
``PERMITHUB_SMTP_HOST``, ``_PORT``, ``_SECURITY`` (starttls, ssl or none), ``_USERNAME``,
``_PASSWORD``, ``_SENDER``, ``_TIMEOUT_SECONDS``.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid, parseaddr

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.accounts.models import User
from core.config import Settings, get_settings
from core.db import utcnow
from core.errors import Invalid
from core.regions.scope import RegionScope
from courses.models import ReminderDelivery
from courses.reminders import Reminder, reminders

logger = logging.getLogger(__name__)
EMAIL_UNITS_LISTED = 500  # beyond this the mail points to the export on the coverage page


def period_of(day: dt.date) -> str:
    """The period a list belongs to: its month, ``YYYY-MM``."""
    return day.isoformat()[:7]


def reminder_text(reminder: Reminder, *, limit: int | None = None, base_url: str = "") -> str:
    """The list as plain text (the e-mail body, the Telegram reply)."""
    rolled = (
        f"（代管没有市级管理员的{'、'.join(reminder.rolled_up)}）" if reminder.rolled_up else ""
    )
    lines = [
        f"{reminder.label}法定代表人培训提醒{rolled}",
        f"截至 {reminder.as_of.isoformat()}，重点管理排污单位中法定代表人尚未培训的有 "
        f"{len(reminder.units)} 家，其中法定代表人新近变更 {len(reminder.newly_changed)} 家。",
        "依据：《排污许可提质增效行动计划》措施33，重点管理排污单位的法定代表人须在2024年12月底前全部参加过培训。",
        "",
    ]
    shown = reminder.units[:limit] if limit else reminder.units
    for unit in shown:
        tag = "新任未培训" if reminder.is_new(unit) else "尚未培训"
        since = f"（{unit.legal_rep_since.isoformat()}起任职）" if unit.legal_rep_since else ""
        where = f"{unit.city} " if reminder.level != "city" else ""
        rep = f"法定代表人：{unit.legal_rep_name}{since}"
        lines.append(f"[{tag}] {where}{unit.name} {unit.credit_code} {rep}")
    if len(shown) < len(reminder.units):
        lines.append(
            f"…… 另有 {len(reminder.units) - len(shown)} 家，完整名单请在“培训覆盖”页面导出。"
        )
    if base_url:
        lines += ["", f"培训覆盖报表：{base_url.rstrip('/')}/coverage"]
    return "\n".join(lines)


def build_message(reminder: Reminder, *, to: str, name: str, settings: Settings) -> EmailMessage:
    """The e-mail for one admin."""
    message = EmailMessage()
    message["Subject"] = (
        f"【PermitHub】{reminder.label}法定代表人培训提醒：{len(reminder.units)} 家未覆盖"
        f"（截至 {reminder.as_of.isoformat()}）"
    )
    message["From"] = settings.smtp_sender
    message["To"] = formataddr((name, to))
    message["Message-ID"] = make_msgid(
        domain=parseaddr(settings.smtp_sender)[1].split("@")[-1] or None
    )
    body = f"{name}，您好：\n\n" + reminder_text(
        reminder, limit=EMAIL_UNITS_LISTED, base_url=settings.base_url
    )
    message.set_content(body + "\n\n（本邮件由 PermitHub 自动发送，每月一次。）\n")
    return message


@dataclass
class DeliveryReport:
    """What ``send_reminders`` did, one line per admin."""

    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    no_email: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Chinese lines for the command line."""
        out = [
            f"已发送 {len(self.sent)} 封提醒邮件"
            + (f"：{'、'.join(self.sent)}" if self.sent else "")
        ]
        if self.already:
            out.append(f"本期已发送过，未重复发送：{'、'.join(self.already)}")
        if self.no_email:
            out.append(f"没有邮箱、未能发送（请在“账号管理”中填写）：{'、'.join(self.no_email)}")
        if self.failed:
            out.append(f"发送失败（下次运行时重试）：{'；'.join(self.failed)}")
        return out


def _connect(settings: Settings) -> smtplib.SMTP:
    timeout = settings.smtp_timeout_seconds
    if settings.smtp_security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.smtp_host,
            settings.smtp_port,
            timeout=timeout,
            context=ssl.create_default_context(),
        )
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
        if settings.smtp_security == "starttls":
            client.starttls(context=ssl.create_default_context())
    if settings.smtp_username:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
        client.login(settings.smtp_username, password)
    return client


def send_reminders(
    session: Session,
    *,
    as_of: dt.date,
    scope: RegionScope | None = None,
    settings: Settings | None = None,
) -> DeliveryReport:
    """Mail each admin their list for ``as_of``'s period, unless it was mailed already."""
    settings = settings or get_settings()
    if not settings.smtp_host:
        raise Invalid("未配置邮件服务器：请设置 PERMITHUB_SMTP_HOST（以及端口、加密方式、发件人）")
    period = period_of(as_of)
    result = reminders(session, as_of=as_of, scope=scope)
    report = DeliveryReport()
    pending: list[tuple[Reminder, User]] = []
    for reminder in result.lists:
        users = session.scalars(select(User).where(User.username.in_(reminder.admins))).all()
        for user in users:
            done = session.scalar(
                select(ReminderDelivery.id).where(
                    ReminderDelivery.user_id == user.id,
                    ReminderDelivery.period == period,
                    ReminderDelivery.channel == "email",
                )
            )
            if done is not None:
                report.already.append(user.username)
            elif not user.email:
                report.no_email.append(user.username)
            else:
                pending.append((reminder, user))
    if not pending:
        return report
    try:
        client = _connect(settings)
    except (OSError, smtplib.SMTPException) as exc:
        raise Invalid(
            f"无法连接邮件服务器 {settings.smtp_host}:{settings.smtp_port}：{exc}"
        ) from None
    try:
        for reminder, user in pending:
            message = build_message(
                reminder, to=user.email, name=user.display_name or user.username, settings=settings
            )
            try:
                client.send_message(message)
            except smtplib.SMTPException as exc:
                report.failed.append(f"{user.username}（{exc}）")
                continue
            # recorded right after each message: a later failure never causes a second copy
            session.add(
                ReminderDelivery(
                    user_id=user.id,
                    period=period,
                    channel="email",
                    recipient=user.email,
                    region=reminder.label[:80],
                    units=len(reminder.units),
                    as_of_on=as_of,
                    sent_at=utcnow(),
                )
            )
            session.commit()
            report.sent.append(user.username)
            logger.info(
                "提醒邮件已发送给 %s（%s，%d 家）",
                user.username,
                reminder.label,
                len(reminder.units),
            )
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return report


def deliveries(session: Session, *, period: str | None = None) -> list[ReminderDelivery]:
    """Recorded deliveries, newest first (one period, or all)."""
    stmt = select(ReminderDelivery).order_by(ReminderDelivery.id.desc())
    if period:
        stmt = stmt.where(ReminderDelivery.period == period)
    return list(session.scalars(stmt))


def list_for_admin(session: Session, *, user: User, as_of: dt.date) -> Reminder | None:
    """The list this admin receives (the Telegram /remind reply)."""
    from core.accounts.service import region_scope

    scope = region_scope(user)
    return reminders(session, as_of=as_of, scope=scope).for_admin(user)
