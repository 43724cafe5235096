"""coverage evidence: legal-representative verification, attendees who are not the registered
representative, the evidence source in the coverage index

Online completions of 法定代表人 courses that earlier versions counted straight away become
claims waiting for a bureau's verification (待核实); their training records are removed until an
admin approves the claim.

Revision ID: courses_0005
Revises: courses_0004
Create Date: 2026-12-01 16:44:00.132441
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = "courses_0005"
down_revision: str | Sequence[str] | None = "courses_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    verification = op.create_table(
        "rep_verification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("person_name", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("requested_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_rep_verification_decided_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprise.id"],
            name=op.f("fk_rep_verification_enterprise_id_enterprise"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_rep_verification_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rep_verification")),
        sa.UniqueConstraint(
            "user_id",
            "enterprise_id",
            "person_name",
            name=op.f("uq_rep_verification_user_id_enterprise_id_person_name"),
        ),
    )
    with op.batch_alter_table("rep_verification", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rep_verification_enterprise_id"), ["enterprise_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_rep_verification_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_rep_verification_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("class_attendee", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("not_current_rep", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    with op.batch_alter_table("training_record", schema=None) as batch_op:
        batch_op.drop_index("ix_training_record_coverage")
        batch_op.create_index(
            "ix_training_record_coverage",
            ["enterprise_id", "person_name", "completed_on", "course_id", "passed", "source"],
            unique=False,
        )

    _unverified_completions_wait_for_a_bureau(verification)


def _unverified_completions_wait_for_a_bureau(verification: sa.Table) -> None:
    bind = op.get_bind()
    meta = sa.MetaData()
    record = sa.Table("training_record", meta, autoload_with=bind)
    course = sa.Table("course", meta, autoload_with=bind)
    enrolment = sa.Table("enrolment", meta, autoload_with=bind)
    user = sa.Table("user_account", meta, autoload_with=bind)
    lr_platform = (
        sa.select(record.c.id, record.c.enterprise_id, record.c.person_name)
        .join(course, course.c.id == record.c.course_id)
        .where(record.c.source == "platform", course.c.audience == "法定代表人")
    )
    rows = bind.execute(lr_platform).all()
    if not rows:
        return
    claims = set()
    for _record_id, enterprise_id, person in rows:
        owners = bind.execute(
            sa.select(user.c.id)
            .join(enrolment, enrolment.c.user_id == user.c.id)
            .where(user.c.enterprise_id == enterprise_id, enrolment.c.person_name == person)
        ).scalars()
        claims.update((uid, enterprise_id, person) for uid in owners)
    now = core.db.utcnow()
    if claims:
        op.bulk_insert(
            verification,
            [
                {
                    "user_id": uid,
                    "enterprise_id": eid,
                    "person_name": person,
                    "status": "待核实",
                    "requested_at": now,
                }
                for uid, eid, person in sorted(claims)
            ],
        )
    bind.execute(record.delete().where(record.c.id.in_([r[0] for r in rows])))


def downgrade() -> None:
    with op.batch_alter_table("training_record", schema=None) as batch_op:
        batch_op.drop_index("ix_training_record_coverage")
        batch_op.create_index(
            "ix_training_record_coverage",
            ["enterprise_id", "person_name", "completed_on", "course_id", "passed"],
            unique=False,
        )

    with op.batch_alter_table("class_attendee", schema=None) as batch_op:
        batch_op.drop_column("not_current_rep")

    with op.batch_alter_table("rep_verification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rep_verification_user_id"))
        batch_op.drop_index(batch_op.f("ix_rep_verification_status"))
        batch_op.drop_index(batch_op.f("ix_rep_verification_enterprise_id"))

    op.drop_table("rep_verification")
