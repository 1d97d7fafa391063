"""the person's routine (reminders) and private calendar feeds with their audit log

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _owner_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["owner_id"], ["owners.id"], name=op.f(f"fk_{table}_owner_id_owners"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "routines",
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("dismissed", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _owner_fk("routines"),
        sa.PrimaryKeyConstraint("owner_id", name=op.f("pk_routines")),
    )
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        _owner_fk("calendar_feeds"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
    )
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_feeds_owner_id"), ["owner_id"], unique=False)
    op.create_table(
        "calendar_feed_accesses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_agent", sa.String(length=200), nullable=True),
        _owner_fk("calendar_feed_accesses"),
        sa.ForeignKeyConstraint(
            ["feed_id"],
            ["calendar_feeds.id"],
            name=op.f("fk_calendar_feed_accesses_feed_id_calendar_feeds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feed_accesses")),
    )
    with op.batch_alter_table("calendar_feed_accesses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calendar_feed_accesses_owner_id"), ["owner_id"], unique=False
        )


def downgrade() -> None:
    for table in ("calendar_feed_accesses", "calendar_feeds"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_owner_id"))
        op.drop_table(table)
    op.drop_table("routines")
