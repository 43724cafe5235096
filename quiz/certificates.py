"""Contest certificates: awarding them by rank and pass, the holder's list, the public check
and the PDF (pass certificates are written when an attempt is marked, in ``quiz.marking``; the
code, font and page come from ``core.certificates``)."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.accounts import service as account_service
from core.accounts.models import User
from core.certificates import certificate_pdf as render_certificate
from core.certificates import normalise_code, register_verifier, verify_url
from core.errors import NotFound
from core.times import in_beijing
from quiz import schemas, scoring
from quiz.contests import managed_contest
from quiz.marking import ensure_certificate, finalise_expired
from quiz.models import Attempt, Certificate, Contest, ContestState
from quiz.ranking import best_attempts
from quiz.rules import contest_state


def issue_certificates(session: Session, *, contest_id: int, admin: User) -> int:
    """Certificates for the top ranks (after the contest closes) and for everyone who passed.

    Returns the number of certificates created or upgraded. Re-running changes nothing; a pass
    certificate becomes a rank certificate under the same verification code.
    """
    contest = managed_contest(session, contest_id, admin)
    finalise_expired(session, contest_id=contest.id)
    closed = contest_state(contest) is ContestState.CLOSED
    best = best_attempts(session, contest.id)
    ranked = scoring.rank_by_score_then_time(best, lambda b: b.score, lambda b: b.seconds)
    attempts = {
        a.id: a
        for a in session.scalars(
            select(Attempt).where(Attempt.id.in_([b.attempt_id for _, b in ranked]))
        )
    }
    existing = {
        c.attempt_id: c
        for c in session.scalars(select(Certificate).where(Certificate.contest_id == contest.id))
    }
    changed = 0
    for rank, b in ranked:
        attempt = attempts[b.attempt_id]
        top = closed and rank <= contest.certificate_top_n and b.score > 0
        if top:
            before = existing.get(attempt.id)
            if before is None or before.rank != rank:
                ensure_certificate(session, attempt, contest, award=f"第{rank}名", rank=rank)
                changed += 1
        elif attempt.passed and attempt.id not in existing:
            ensure_certificate(session, attempt, contest, award="合格证书", rank=None)
            changed += 1
    session.commit()
    return changed


def _certificate_read(cert: Certificate, contest: Contest) -> schemas.CertificateRead:
    return schemas.CertificateRead(
        code=cert.code,
        contest_id=contest.id,
        contest_title=contest.title,
        holder_name=cert.holder_name,
        award=cert.award,
        rank=cert.rank,
        score=cert.score,
        issued_at=cert.issued_at,
    )


def my_certificates(session: Session, *, user: User) -> list[schemas.CertificateRead]:
    """The user's contest certificates, newest first."""
    rows = session.execute(
        select(Certificate, Contest)
        .join(Contest, Contest.id == Certificate.contest_id)
        .where(Certificate.user_id == user.id)
        .order_by(Certificate.issued_at.desc())
    )
    return [_certificate_read(c, k) for c, k in rows]


def get_certificate(session: Session, *, code: str, user: User) -> tuple[Certificate, Contest]:
    """A certificate for its holder, or for an admin whose region covers the holder's attempt."""

    cert = session.scalar(select(Certificate).where(Certificate.code == normalise_code(code)))
    if cert is None:
        raise NotFound("证书不存在")
    if cert.user_id != user.id:
        attempt = session.get(Attempt, cert.attempt_id)
        if not (
            user.role_enum.is_admin
            and account_service.region_scope(user).allows(attempt.province, attempt.city)
        ):
            raise NotFound("证书不存在")
    return cert, session.get(Contest, cert.contest_id)


@register_verifier
def verify_contest_certificate(session: Session, code: str) -> dict | None:
    """Verifier for ``core.certificates``: a contest certificate's public facts."""
    row = session.execute(
        select(Certificate, Contest)
        .join(Contest, Contest.id == Certificate.contest_id)
        .where(Certificate.code == code)
    ).first()
    if row is None:
        return None
    cert, contest = row
    return {
        "kind": f"{contest.kind}证书",
        "holder": cert.holder_name,
        "title": contest.title,
        "issued_on": in_beijing(cert.issued_at).date().isoformat(),
        "detail": f"{cert.award}，成绩 {cert.score:g} 分",
        "issuer": "PermitHub 排污许可知识竞赛",
    }


def certificate_pdf(cert: Certificate, contest: Contest) -> bytes:
    """One A4 landscape page: holder, contest, award, score, date and the verification code."""

    def draw(pdf: Canvas, font: str, width: float, height: float) -> None:
        green = HexColor("#0b6e4f")
        pdf.setStrokeColor(green)
        pdf.setLineWidth(4)
        pdf.rect(28, 28, width - 56, height - 56)
        pdf.setLineWidth(1)
        pdf.rect(38, 38, width - 76, height - 76)

        pdf.setFillColor(green)
        pdf.setFont(font, 40)
        pdf.drawCentredString(
            width / 2, height - 120, "荣 誉 证 书" if cert.rank else "合 格 证 书"
        )
        pdf.setFillColor(HexColor("#1d2733"))
        pdf.setFont(font, 22)
        pdf.drawCentredString(width / 2, height - 190, f"{cert.holder_name} 同志：")
        pdf.setFont(font, 18)
        result = f"荣获{cert.award}" if cert.rank else "成绩合格"
        pdf.drawCentredString(
            width / 2, height - 240, f"在“{contest.title}”（{contest.kind}）中{result}，"
        )
        pdf.drawCentredString(
            width / 2, height - 275, f"成绩 {cert.score:g} 分。特发此证，以资鼓励。"
        )

        issued = in_beijing(cert.issued_at)
        pdf.setFont(font, 14)
        pdf.drawRightString(width - 90, 130, "PermitHub 排污许可问答与培训平台")
        pdf.drawRightString(width - 90, 108, f"{issued.year}年{issued.month}月{issued.day}日")
        pdf.setFont(font, 11)
        pdf.drawString(90, 108, f"证书查验码：{cert.code}")
        pdf.drawString(90, 90, f"查验地址：{verify_url(cert.code)}")

    return render_certificate(f"{contest.title} 证书 {cert.code}", draw)
