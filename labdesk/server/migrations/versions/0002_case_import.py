"""Intake: dentists' licence numbers; a case's import source, unique per lab.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("license_number", sa.String(length=60), nullable=True))
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("import_format", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("import_order_id", sa.String(length=100), nullable=True))
        batch.create_unique_constraint(
            "uq_cases_lab_import_order", ["lab_id", "import_format", "import_order_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_constraint("uq_cases_lab_import_order", type_="unique")
        batch.drop_column("import_order_id")
        batch.drop_column("import_format")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("license_number")
