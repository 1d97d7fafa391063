"""alerts a person marked as seen on Today

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seen_alerts",
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("alert_key", sa.String(length=160), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["owners.id"],
            name=op.f("fk_seen_alerts_owner_id_owners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("owner_id", "alert_key", name=op.f("pk_seen_alerts")),
    )


def downgrade() -> None:
    op.drop_table("seen_alerts")
