"""work: lists, units, tasks, reports, evidence, findings, policies

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 07:29:31.208259
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "work_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("region_code", "name"),
    )
    with op.batch_alter_table("work_units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_units_region_code"), ["region_code"], unique=False)

    op.create_table(
        "policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("tier", sa.String(length=1), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("doc_no", sa.String(length=100), nullable=False),
        sa.Column("issuer", sa.String(length=300), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("tokens", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["policies.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_policies_region_code"), ["region_code"], unique=False)

    op.create_table(
        "work_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("region_code", "kind", "year", "name"),
    )
    with op.batch_alter_table("work_lists", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_lists_region_code"), ["region_code"], unique=False)

    op.create_table(
        "policy_indicators",
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("indicator_code", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(["policy_id"], ["policies.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("policy_id", "indicator_code"),
    )
    with op.batch_alter_table("policy_indicators", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_policy_indicators_indicator_code"), ["indicator_code"], unique=False
        )

    op.create_table(
        "work_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("seq", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("group_name", sa.String(length=300), nullable=False),
        sa.Column("lead_unit_id", sa.Integer(), nullable=True),
        sa.Column("person", sa.String(length=100), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("due_text", sa.String(length=200), nullable=False),
        sa.Column("percent", sa.Float(), nullable=False),
        sa.Column("last_report_on", sa.Date(), nullable=True),
        sa.Column("checked_off_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_off_by", sa.String(length=100), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("plan_task_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_unit_id"],
            ["work_units.id"],
        ),
        sa.ForeignKeyConstraint(["list_id"], ["work_lists.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["plan_task_id"], ["tasks.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("work_tasks", schema=None) as batch_op:
        batch_op.create_index("ix_work_tasks_lead", ["lead_unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_tasks_list_id"), ["list_id"], unique=False)
        batch_op.create_index("ix_work_tasks_region_due", ["region_code", "due_date"], unique=False)

    op.create_table(
        "policy_tasks",
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["policy_id"], ["policies.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["task_id"], ["work_tasks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("policy_id", "task_id"),
    )
    with op.batch_alter_table("policy_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_policy_tasks_task_id"), ["task_id"], unique=False)

    op.create_table(
        "work_annual_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["work_tasks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("task_id", "year"),
    )
    with op.batch_alter_table("work_annual_goals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_annual_goals_task_id"), ["task_id"], unique=False)

    op.create_table(
        "work_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["work_tasks.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["work_units.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("work_findings", schema=None) as batch_op:
        batch_op.create_index("ix_work_findings_region_state", ["region_code", "state"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_findings_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_findings_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "work_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["task_id"], ["work_tasks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("work_milestones", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_milestones_task_id"), ["task_id"], unique=False)

    op.create_table(
        "work_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("percent", sa.Float(), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["work_tasks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("work_reports", schema=None) as batch_op:
        batch_op.create_index("ix_work_reports_task_on", ["task_id", "reported_on"], unique=False)

    op.create_table(
        "work_task_co_units",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["work_tasks.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["work_units.id"],
        ),
        sa.PrimaryKeyConstraint("task_id", "unit_id"),
    )
    with op.batch_alter_table("work_task_co_units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_task_co_units_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "work_task_indicators",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("indicator_code", sa.String(length=80), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["target_id"], ["targets.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["task_id"], ["work_tasks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("task_id", "indicator_code"),
    )
    with op.batch_alter_table("work_task_indicators", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_work_task_indicators_indicator_code"), ["indicator_code"], unique=False
        )

    op.create_table(
        "work_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("finding_id", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["finding_id"], ["work_findings.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["report_id"], ["work_reports.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["task_id"], ["work_tasks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("work_evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_evidence_finding_id"), ["finding_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_evidence_sha256"), ["sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_evidence_task_id"), ["task_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # PostgreSQL's own full-text index over the jieba words (see gongfu.work.policy)
        op.execute("CREATE INDEX ix_policies_fts ON policies USING gin (to_tsvector('simple', tokens))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_policies_fts")
    with op.batch_alter_table("work_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_evidence_task_id"))
        batch_op.drop_index(batch_op.f("ix_work_evidence_sha256"))
        batch_op.drop_index(batch_op.f("ix_work_evidence_finding_id"))

    op.drop_table("work_evidence")
    with op.batch_alter_table("work_task_indicators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_task_indicators_indicator_code"))

    op.drop_table("work_task_indicators")
    with op.batch_alter_table("work_task_co_units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_task_co_units_unit_id"))

    op.drop_table("work_task_co_units")
    with op.batch_alter_table("work_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_work_reports_task_on")

    op.drop_table("work_reports")
    with op.batch_alter_table("work_milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_milestones_task_id"))

    op.drop_table("work_milestones")
    with op.batch_alter_table("work_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_findings_unit_id"))
        batch_op.drop_index(batch_op.f("ix_work_findings_task_id"))
        batch_op.drop_index("ix_work_findings_region_state")

    op.drop_table("work_findings")
    with op.batch_alter_table("work_annual_goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_annual_goals_task_id"))

    op.drop_table("work_annual_goals")
    with op.batch_alter_table("policy_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_tasks_task_id"))

    op.drop_table("policy_tasks")
    with op.batch_alter_table("work_tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_work_tasks_region_due")
        batch_op.drop_index(batch_op.f("ix_work_tasks_list_id"))
        batch_op.drop_index("ix_work_tasks_lead")

    op.drop_table("work_tasks")
    with op.batch_alter_table("policy_indicators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_indicators_indicator_code"))

    op.drop_table("policy_indicators")
    with op.batch_alter_table("work_lists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_lists_region_code"))

    op.drop_table("work_lists")
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policies_region_code"))

    op.drop_table("policies")
    with op.batch_alter_table("work_units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_units_region_code"))

    op.drop_table("work_units")
