"""History: the person's own time of each step (``occurred_at``) beside the portal's (``at``).

An offline action reaches the portal later than it was taken; the history shows when the
person acted and keeps the portal's time as the order of record. Existing rows get the
portal's time (nothing better is known for them).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"  # the newest on branch labday13; rechain onto 0003 when merging
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_history") as batch:
        batch.add_column(sa.Column("occurred_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE case_history SET occurred_at = at WHERE occurred_at IS NULL")


def downgrade() -> None:
    with op.batch_alter_table("case_history") as batch:
        batch.drop_column("occurred_at")
