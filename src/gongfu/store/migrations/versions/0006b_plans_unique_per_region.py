"""plans: a document is stored once per region, not once overall (no existence oracle on re-upload)

Revision ID: 0006b
Revises: 0008
Create Date: 2026-12-01 22:15:00
"""

from alembic import op

revision = "0006b"
down_revision = "0008"
branch_labels = None
depends_on = None

_SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}  # names SQLite's unnamed UNIQUE(sha256)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("plans_sha256_key", "plans", type_="unique")
        op.create_unique_constraint("uq_plans_sha256_region", "plans", ["sha256", "region_code"])
        op.create_index("ix_plans_sha256", "plans", ["sha256"], unique=False)
    else:
        with op.batch_alter_table("plans", naming_convention=_SQLITE_NAMES) as batch_op:
            batch_op.drop_constraint("uq_plans_sha256", type_="unique")
            batch_op.create_unique_constraint("uq_plans_sha256_region", ["sha256", "region_code"])
            batch_op.create_index("ix_plans_sha256", ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_index("ix_plans_sha256")
        batch_op.drop_constraint("uq_plans_sha256_region", type_="unique")
        batch_op.create_unique_constraint("plans_sha256_key", ["sha256"])
