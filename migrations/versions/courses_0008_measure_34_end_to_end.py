"""measure 34 end to end: course year, hours, issuer and validity; an enrolment per year;
staff on class rosters; training done elsewhere with evidence and approval; courses, lessons
and classes can be retired

Existing enrolments take their course's year, or the year they were made.

Revision ID: courses_0008
Revises: courses_0007
Create Date: 2026-12-01 17:07:33.767359
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = "courses_0008"
down_revision: str | Sequence[str] | None = "courses_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "external_training",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("organiser", sa.String(length=200), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("credits", sa.Float(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("attachment_name", sa.String(length=255), nullable=False),
        sa.Column("attachment_file", sa.String(length=255), nullable=False),
        sa.Column("attachment_type", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("submitted_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_external_training_decided_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_external_training_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_training")),
    )
    with op.batch_alter_table("external_training", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_external_training_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_external_training_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("class_attendee", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("organisation", sa.String(length=128), server_default="", nullable=False)
        )
        batch_op.create_index(batch_op.f("ix_class_attendee_user_id"), ["user_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_class_attendee_user_id_user_account"),
            "user_account",
            ["user_id"],
            ["id"],
            ondelete="CASCADE",
        )

    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hours", sa.Float(), server_default="1", nullable=False))
        batch_op.add_column(
            sa.Column("issuer", sa.String(length=100), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("valid_years", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("retired", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    for table in ("lesson", "training_class"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("retired", sa.Boolean(), server_default=sa.false(), nullable=False)
            )

    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("year", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("source", sa.String(length=8), server_default="online", nullable=False)
        )
    _years_of_existing_enrolments()
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.alter_column("year", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(batch_op.f("uq_enrolment_course_id_user_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_enrolment_course_id_user_id_year"), ["course_id", "user_id", "year"]
        )


def _years_of_existing_enrolments() -> None:
    bind = op.get_bind()
    meta = sa.MetaData()
    enrolment = sa.Table("enrolment", meta, autoload_with=bind)
    course = sa.Table("course", meta, autoload_with=bind)
    rows = bind.execute(
        sa.select(enrolment.c.id, course.c.year, enrolment.c.enrolled_at).join(
            course, course.c.id == enrolment.c.course_id
        )
    ).all()
    for enrolment_id, course_year, enrolled_at in rows:
        if isinstance(enrolled_at, str):  # SQLite hands back text through a reflected table
            enrolled_at = sa.types.DateTime().result_processor(bind.dialect, None)(enrolled_at)
        bind.execute(
            enrolment.update()
            .where(enrolment.c.id == enrolment_id)
            .values(year=course_year or enrolled_at.year)
        )


def downgrade() -> None:
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_enrolment_course_id_user_id_year"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_enrolment_course_id_user_id"), ["course_id", "user_id"]
        )
        batch_op.drop_column("source")
        batch_op.drop_column("year")

    for table in ("lesson", "training_class"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("retired")

    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.drop_column("retired")
        batch_op.drop_column("valid_years")
        batch_op.drop_column("issuer")
        batch_op.drop_column("hours")

    with op.batch_alter_table("class_attendee", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_class_attendee_user_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_class_attendee_user_id"))
        batch_op.drop_column("organisation")
        batch_op.drop_column("user_id")

    with op.batch_alter_table("external_training", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_external_training_user_id"))
        batch_op.drop_index(batch_op.f("ix_external_training_status"))

    op.drop_table("external_training")
