"""Training a staff member did elsewhere (measure 34): recorded with its evidence, counted once
an admin of the staff member's region approves it. Every decision is audited."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.accounts.models import Role, User
from core.audit.service import record_audit
from core.db import get_or_404, utcnow
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.regions.scope import RegionScope
from core.uploads import MB, FileKind, limits
from courses import catalogue
from courses.models import CourseKind, ExternalTraining, VerificationStatus

EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


def submit(
    session: Session,
    *,
    user: User,
    title: str,
    organiser: str,
    completed_on: dt.date,
    hours: float,
    credits: float,
    kind: str,
    filename: str,
    content: bytes,
    today: dt.date | None = None,
) -> ExternalTraining:
    """A staff member records training done elsewhere, with a certificate or notice attached."""
    if user.role != Role.STAFF.value:
        raise Forbidden("只有工作人员可以登记外部培训")
    title, organiser = title.strip(), organiser.strip()
    ext = Path(filename or "").suffix.lower()
    problems = []
    if not title or len(title) > 200:
        problems.append("培训名称不能为空且不超过200字")
    if not organiser or len(organiser) > 200:
        problems.append("举办单位不能为空且不超过200字")
    if completed_on > (today or dt.date.today()) or completed_on.year < 2000:
        problems.append("完成日期不能晚于今天")
    if not 0 < hours <= 200:
        problems.append("学时应在 0 到 200 之间")
    if not 0 < credits <= 20:
        problems.append("学分应在 0 到 20 之间")
    if kind not in {k.value for k in CourseKind}:
        problems.append("类别应为“必修”或“选修”")
    if not content:
        problems.append("请上传培训证书或通知等证明材料")
    elif ext not in EVIDENCE_TYPES:
        problems.append("证明材料应为 PDF、JPG 或 PNG 文件")
    elif len(content) > (cap := limits(FileKind.EVIDENCE).upload_bytes):
        problems.append(f"证明材料超过 {cap // MB} MB")
    if problems:
        raise Invalid("外部培训登记有误：" + "；".join(problems), details=problems)
    relative = f"courses/external/{uuid.uuid4().hex}{ext}"
    target = catalogue.data_path(relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    record = ExternalTraining(
        user_id=user.id,
        title=title,
        organiser=organiser,
        completed_on=completed_on,
        hours=hours,
        credits=credits,
        kind=kind,
        attachment_name=Path(filename).name[:255],
        attachment_file=relative,
        attachment_type=EVIDENCE_TYPES[ext],
    )
    session.add(record)
    session.commit()
    return record


def of_user(session: Session, *, user: User) -> list[ExternalTraining]:
    """The staff member's own records, newest first."""
    return list(
        session.scalars(
            select(ExternalTraining)
            .where(ExternalTraining.user_id == user.id)
            .order_by(ExternalTraining.submitted_at.desc(), ExternalTraining.id.desc())
        )
    )


def pending(session: Session, *, scope: RegionScope) -> list[tuple[ExternalTraining, User]]:
    """Records waiting for an admin of ``scope``, oldest first, with their staff member."""
    stmt = scope.apply(
        select(ExternalTraining, User)
        .join(User, User.id == ExternalTraining.user_id)
        .where(ExternalTraining.status == VerificationStatus.PENDING.value),
        User.province,
        User.city,
    ).order_by(ExternalTraining.submitted_at, ExternalTraining.id)
    return [(record, user) for record, user in session.execute(stmt)]


def _visible(session: Session, record_id: int, scope: RegionScope) -> tuple[ExternalTraining, User]:
    record = session.get(ExternalTraining, record_id)
    owner = session.get(User, record.user_id) if record else None
    if record is None or owner is None or not scope.allows(owner.province, owner.city):
        raise NotFound("外部培训记录不存在")
    return record, owner


def decide(
    session: Session,
    *,
    scope: RegionScope,
    actor: User,
    record_id: int,
    approve: bool,
    note: str = "",
) -> ExternalTraining:
    """Approve (the credits count) or reject a record of the admin's region; audited."""
    if not actor.role_enum.is_admin:
        raise Forbidden("只有管理员可以审核外部培训")
    record, owner = _visible(session, record_id, scope)
    if record.status != VerificationStatus.PENDING.value:
        raise Conflict(f"该记录已审核（{record.status}）")
    before = record.status
    record.status = (VerificationStatus.APPROVED if approve else VerificationStatus.REJECTED).value
    record.decided_at, record.decided_by_id = utcnow(), actor.id
    record.note = note.strip()[:200]
    record_audit(
        session,
        actor=actor,
        action="courses.external_training." + ("approve" if approve else "reject"),
        target_kind="external_training",
        target_id=record.id,
        province=owner.province,
        city=owner.city,
        detail={
            "before": before,
            "after": record.status,
            "user": owner.username,
            "title": record.title,
            "credits": record.credits,
            "kind": record.kind,
            "completed_on": record.completed_on,
            "note": record.note,
        },
    )
    session.commit()
    return record


def evidence_file(
    session: Session, *, record_id: int, user: User, scope: RegionScope | None
) -> tuple[ExternalTraining, Path]:
    """The attached evidence, for its owner or an admin of the owner's region."""
    record = get_or_404(session, ExternalTraining, record_id, "外部培训记录不存在")
    if record.user_id != user.id:
        if scope is None:
            raise NotFound("外部培训记录不存在")
        record, _ = _visible(session, record_id, scope)
    path = catalogue.data_path(record.attachment_file)
    if not path.exists():
        raise NotFound("证明材料文件不存在")
    return record, path
