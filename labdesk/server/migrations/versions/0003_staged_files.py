"""Staged attachments: ``case_files.staged_until`` (set while an attachment waits for the
action that carries it; such a file is not part of the case yet).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_files", schema=None) as batch_op:
        batch_op.add_column(sa.Column("staged_until", sa.DateTime(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_case_files_staged_until"), ["staged_until"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("case_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_files_staged_until"))
        batch_op.drop_column("staged_until")
