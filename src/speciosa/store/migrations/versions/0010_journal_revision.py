"""a revision per journal, replaced with every write: cached results' key in one lookup

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("owners") as batch:
        batch.add_column(sa.Column("journal_revision", sa.String(length=32), nullable=True))
    owners = sa.table("owners", sa.column("id", sa.Integer), sa.column("journal_revision"))
    connection = op.get_bind()
    for (owner_id,) in connection.execute(sa.select(owners.c.id)).all():
        connection.execute(
            owners.update()
            .where(owners.c.id == owner_id)
            .values(journal_revision=secrets.token_hex(16))
        )
    with op.batch_alter_table("owners") as batch:
        batch.alter_column("journal_revision", existing_type=sa.String(length=32), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("owners") as batch:
        batch.drop_column("journal_revision")
