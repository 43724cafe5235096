"""Course completion certificates: codes, validity, the PDF and the public check."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.accounts.models import User
from core.certificates import register_verifier
from core.config import get_settings
from core.errors import Conflict, NotFound
from courses.catalogue import DEFAULT_ISSUER
from courses.models import (
    Course,
    Enrolment,
    EnrolmentSource,
)

CERT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_certificate_code(session: Session) -> str:
    while True:
        code = "KC" + "".join(secrets.choice(CERT_ALPHABET) for _ in range(10))
        if session.scalar(select(Enrolment.id).where(Enrolment.certificate_code == code)) is None:
            return code


def issuer_of(course: Course) -> str:
    """The body named on the course's certificates."""
    return course.issuer or DEFAULT_ISSUER


def certificate_expiry(course: Course, completed_on: dt.date) -> dt.date | None:
    """The last day a certificate of the course is valid, or None when it does not expire."""
    if not course.valid_years:
        return None
    try:
        return completed_on.replace(year=completed_on.year + course.valid_years)
    except ValueError:  # 29 February
        return completed_on.replace(year=completed_on.year + course.valid_years, day=28)


def certificate_for(session: Session, *, enrolment_id: int, user: User) -> Enrolment:
    """The completed enrolment of this user (the only one who may download its certificate)."""
    enrolment = session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.user_id != user.id:
        raise NotFound("证书不存在")
    if enrolment.certificate_code is None:
        raise Conflict("完成课程后才能下载结业证书")
    return enrolment


def certificate_pdf(session: Session, enrolment: Enrolment) -> bytes:
    """The completion certificate as a PDF (reportlab's built-in Chinese CID font)."""
    import io

    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    course = session.get(Course, enrolment.course_id)
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"结业证书 {enrolment.certificate_code}")
    pdf.setLineWidth(3)
    pdf.rect(30, 30, width - 60, height - 60)
    pdf.setFont("STSong-Light", 36)
    pdf.drawCentredString(width / 2, height - 120, "结 业 证 书")
    pdf.setFont("STSong-Light", 18)
    how = "参加培训班" if enrolment.source == EnrolmentSource.CLASS.value else "在线学习"
    paragraphs = [
        f"{enrolment.person_name} 同志：",
        f"　　于 {enrolment.year} 年度{how}完成“{course.title}”（{course.code}，"
        f"{course.hours:g} 学时，{course.credits:g} 学分）的全部学习要求，准予结业。",
    ]
    if enrolment.test_score is not None:
        paragraphs.append(f"　　结业测试成绩：{enrolment.test_score:g} 分。")
    y = height - 190
    for paragraph in paragraphs:
        for line in _wrap(paragraph, "STSong-Light", 18, width - 160):
            pdf.drawString(80, y, line)
            y -= 32
    pdf.setFont("STSong-Light", 14)
    expires = certificate_expiry(course, enrolment.completed_on)
    pdf.drawString(80, 134, f"颁发日期：{enrolment.completed_on.isoformat()}")
    pdf.drawString(80, 110, f"有效期至：{expires.isoformat() if expires else '长期有效'}")
    pdf.drawString(80, 86, f"证书编号（查验码）：{enrolment.certificate_code}")
    pdf.drawString(80, 62, f"查验网址：{get_settings().base_url.rstrip('/')}/verify")
    pdf.drawRightString(width - 80, 110, f"颁发单位：{issuer_of(course)}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Break Chinese text into lines no wider than ``max_width`` (any character may break)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, current = [], ""
    for char in text:
        if current and stringWidth(current + char, font, size) > max_width:
            lines.append(current)
            current = char
        else:
            current += char
    return lines + [current] if current else lines


@register_verifier
def verify_course_certificate(session: Session, code: str) -> dict | None:
    """The /verify lookup for course completion certificates."""
    if not code.startswith("KC"):
        return None
    enrolment = session.scalar(select(Enrolment).where(Enrolment.certificate_code == code))
    if enrolment is None:
        return None
    course = session.get(Course, enrolment.course_id)
    expires = certificate_expiry(course, enrolment.completed_on)
    detail = f"{enrolment.year} 年度，{course.hours:g} 学时，{course.credits:g} 学分"
    if enrolment.test_score is not None:
        detail += f"，结业测试 {enrolment.test_score:g} 分"
    detail += f"；有效期至 {expires.isoformat()}" if expires else "；长期有效"
    return {
        "kind": "课程结业证书",
        "holder": enrolment.person_name,
        "title": f"{course.title}（{course.code}）",
        "issued_on": enrolment.completed_on.isoformat(),
        "detail": detail,
        "issuer": issuer_of(course),
    }
