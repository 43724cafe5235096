"""Course completion certificates: codes, validity, the PDF and the public check (the code,
font and page come from ``core.certificates``)."""

from __future__ import annotations

import datetime as dt

from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.accounts.models import User
from core.certificates import certificate_pdf as render_certificate
from core.certificates import new_code, register_verifier, verify_url, wrap
from core.db import get_or_404
from core.errors import Conflict
from courses.catalogue import DEFAULT_ISSUER
from courses.models import (
    Course,
    Enrolment,
    EnrolmentSource,
)


def new_certificate_code(session: Session) -> str:
    """A course certificate's verification code: ``KC`` and ten characters."""

    def taken(code: str) -> bool:
        found = session.scalar(select(Enrolment.id).where(Enrolment.certificate_code == code))
        return found is not None

    return new_code("KC", taken)


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
    enrolment = get_or_404(
        session, Enrolment, enrolment_id, "证书不存在", allowed=lambda e: e.user_id == user.id
    )
    if enrolment.certificate_code is None:
        raise Conflict("完成课程后才能下载结业证书")
    return enrolment


def certificate_pdf(session: Session, enrolment: Enrolment) -> bytes:
    """The completion certificate as a PDF."""
    course = session.get(Course, enrolment.course_id)

    def draw(pdf: Canvas, font: str, width: float, height: float) -> None:
        pdf.setLineWidth(3)
        pdf.rect(30, 30, width - 60, height - 60)
        pdf.setFont(font, 36)
        pdf.drawCentredString(width / 2, height - 120, "结 业 证 书")
        pdf.setFont(font, 18)
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
            for line in wrap(paragraph, font, 18, width - 160):
                pdf.drawString(80, y, line)
                y -= 32
        pdf.setFont(font, 14)
        expires = certificate_expiry(course, enrolment.completed_on)
        pdf.drawString(80, 134, f"颁发日期：{enrolment.completed_on.isoformat()}")
        pdf.drawString(80, 110, f"有效期至：{expires.isoformat() if expires else '长期有效'}")
        pdf.drawString(80, 86, f"证书编号（查验码）：{enrolment.certificate_code}")
        pdf.drawString(80, 62, f"查验地址：{verify_url(enrolment.certificate_code)}")
        pdf.drawRightString(width - 80, 110, f"颁发单位：{issuer_of(course)}")

    return render_certificate(f"结业证书 {enrolment.certificate_code}", draw)


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
