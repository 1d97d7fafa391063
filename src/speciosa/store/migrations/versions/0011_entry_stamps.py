"""a stamp per entry, replaced with every write: the entry's fingerprint in one column

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

Rows stored before this revision keep no stamp (NULL). That is exact, not a gap: any later
write to such a row gives it a stamp, and a row inserted in a deleted one's place gets a
new one, so an entry whose stamp is still NULL is the entry that was stored.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entries") as batch:
        batch.add_column(sa.Column("stamp", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("entries") as batch:
        batch.drop_column("stamp")
