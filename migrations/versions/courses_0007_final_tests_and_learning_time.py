"""final tests from a course's own pool with attempt limits; learning time per lesson

A course's final test no longer draws from the quiz bank by tag (test_tag is dropped): each
course keeps its own pool, and an admin adds its questions before the test can be taken.

Revision ID: courses_0007
Revises: courses_0006
Create Date: 2026-12-01 16:58:58.217366
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = "courses_0007"
down_revision: str | Sequence[str] | None = "courses_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "course_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("stem", sa.Text(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("answer", sa.String(length=8), nullable=False),
        sa.Column("retired", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["course.id"],
            name=op.f("fk_course_question_course_id_course"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_question")),
    )
    with op.batch_alter_table("course_question", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_course_question_course_id"), ["course_id"], unique=False
        )

    op.create_table(
        "learning_clock",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.Integer(), nullable=True),
        sa.Column("since", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["lesson.id"],
            name=op.f("fk_learning_clock_lesson_id_lesson"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_learning_clock_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_learning_clock")),
    )
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("max_attempts", sa.Integer(), server_default="3", nullable=False)
        )
        batch_op.add_column(
            sa.Column("retry_wait_minutes", sa.Integer(), server_default="60", nullable=False)
        )
        batch_op.drop_column("test_tag")

    with op.batch_alter_table("course_test_attempt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("questions", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("answers", sa.JSON(), nullable=True))

    with op.batch_alter_table("lesson", schema=None) as batch_op:
        batch_op.add_column(sa.Column("min_seconds", sa.Integer(), nullable=True))

    with op.batch_alter_table("lesson_progress", schema=None) as batch_op:
        batch_op.add_column(sa.Column("view_token", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("loaded_token", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("lesson_progress", schema=None) as batch_op:
        batch_op.drop_column("loaded_token")
        batch_op.drop_column("view_token")

    with op.batch_alter_table("lesson", schema=None) as batch_op:
        batch_op.drop_column("min_seconds")

    with op.batch_alter_table("course_test_attempt", schema=None) as batch_op:
        batch_op.drop_column("answers")
        batch_op.drop_column("questions")

    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.add_column(sa.Column("test_tag", sa.VARCHAR(length=64), nullable=True))
        batch_op.drop_column("retry_wait_minutes")
        batch_op.drop_column("max_attempts")

    op.drop_table("learning_clock")
    with op.batch_alter_table("course_question", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_question_course_id"))

    op.drop_table("course_question")
