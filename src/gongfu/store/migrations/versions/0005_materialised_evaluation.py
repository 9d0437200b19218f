"""materialised evaluation: evaluation_records, evaluation_state

Revision ID: 0005
Revises: 0008 (revision id 0005 was assigned before 0006–0008 landed; the chain stays linear)
Create Date: 2026-12-01 22:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0006b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluation_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("region_name", sa.String(length=100), nullable=False),
        sa.Column("indicator_key", sa.String(length=300), nullable=False),
        sa.Column("indicator_name", sa.String(length=300), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("colour", sa.String(length=10), nullable=False),
        sa.Column("colour_reason", sa.String(length=300), nullable=False),
        sa.Column("attainment", sa.Float(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["target_id"], ["targets.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("target_id", "as_of", name="uq_evaluation_target_asof"),
    )
    op.create_index("ix_evaluation_region_asof", "evaluation_records", ["region_code", "as_of"])
    op.create_table(
        "evaluation_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.String(length=200), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("regions", sa.Integer(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("evaluation_state")
    op.drop_index("ix_evaluation_region_asof", table_name="evaluation_records")
    op.drop_table("evaluation_records")
