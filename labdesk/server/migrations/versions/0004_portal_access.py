"""Portal access: clinic-lab links (a clinic sends cases only to linked labs) and the client
address of failed sign-ins (throttling per user and address, and per address).

Existing clinics keep what they already did: each is linked to its default lab and to every
lab it has sent a case to.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clinic_lab_links",
        sa.Column("lab_id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_clinic_lab_links_clinic_id_clinics")
        ),
        sa.ForeignKeyConstraint(
            ["lab_id"], ["labs.id"], name=op.f("fk_clinic_lab_links_lab_id_labs")
        ),
        sa.PrimaryKeyConstraint("lab_id", "clinic_id", name=op.f("pk_clinic_lab_links")),
    )
    with op.batch_alter_table("clinic_lab_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_clinic_lab_links_clinic_id"), ["clinic_id"], unique=False
        )
    op.execute(
        """
        INSERT INTO clinic_lab_links (lab_id, clinic_id, created_at)
        SELECT lab_id, clinic_id, CURRENT_TIMESTAMP FROM (
            SELECT default_lab_id AS lab_id, id AS clinic_id FROM clinics
            WHERE default_lab_id IS NOT NULL
            UNION
            SELECT DISTINCT lab_id, clinic_id FROM cases
        ) AS used
        """
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("address", sa.String(length=64), server_default="", nullable=False)
        )
        batch_op.create_index("ix_login_failures_address_at", ["address", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failures_address_at")
        batch_op.drop_column("address")
    with op.batch_alter_table("clinic_lab_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clinic_lab_links_clinic_id"))
    op.drop_table("clinic_lab_links")
