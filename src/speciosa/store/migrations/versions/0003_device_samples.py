"""device samples from wearable exports

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_samples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("start_at", sa.DateTime(), nullable=False),
        sa.Column("end_at", sa.DateTime(), nullable=False),
        sa.Column("utc_offset_minutes", sa.Integer(), nullable=True),
        sa.Column("zone", sa.String(length=64), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=20), nullable=True),
        sa.Column("detail", sa.String(length=80), nullable=True),
        sa.Column("dedup_key", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["owners.id"],
            name=op.f("fk_device_samples_owner_id_owners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_samples")),
        sa.UniqueConstraint(
            "owner_id", "dedup_key", name=op.f("uq_device_samples_owner_id_dedup_key")
        ),
    )
    with op.batch_alter_table("device_samples", schema=None) as batch_op:
        batch_op.create_index(
            "ix_device_samples_owner_kind_start", ["owner_id", "kind", "start_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("device_samples", schema=None) as batch_op:
        batch_op.drop_index("ix_device_samples_owner_kind_start")
    op.drop_table("device_samples")
