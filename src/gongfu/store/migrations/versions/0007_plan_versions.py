"""plans: versions — a plan replaced by a new edition of the same document is kept, marked superseded

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-01 22:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("superseded_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key("fk_plans_superseded_by", "plans", ["superseded_by"], ["id"])
        batch.create_index("ix_plans_superseded_by", ["superseded_by"])


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_index("ix_plans_superseded_by")
        batch.drop_constraint("fk_plans_superseded_by", type_="foreignkey")
        batch.drop_column("superseded_at")
        batch.drop_column("superseded_by")
        batch.drop_column("version")
