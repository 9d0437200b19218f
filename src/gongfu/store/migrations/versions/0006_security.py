"""security: sign-in throttle per account and source, every region an audit event touched, finding raiser's region

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01 21:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_event_regions",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["audit_events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "region_code"),
    )
    with op.batch_alter_table("audit_event_regions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_regions_region_code"), ["region_code"], unique=False)
    op.create_table(
        "signin_throttle",
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("strikes", sa.Integer(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("work_findings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("raised_in", sa.String(length=12), nullable=True))
    # Events written before this revision: their one region is the region they touched.
    op.execute(
        "INSERT INTO audit_event_regions (event_id, region_code) "
        "SELECT id, region_code FROM audit_events WHERE region_code IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("work_findings", schema=None) as batch_op:
        batch_op.drop_column("raised_in")
    op.drop_table("signin_throttle")
    with op.batch_alter_table("audit_event_regions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_regions_region_code"))
    op.drop_table("audit_event_regions")
