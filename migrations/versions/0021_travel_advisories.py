"""travel advisories: each country's Government of Canada level, checked date and regional note, their append-only
history, and the level a BRI approval made an exception for

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 19:45:00

"""

from alembic import op
import sqlalchemy as sa

from app.core.database import append_only_ddl, drop_append_only_ddl


# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("country", schema=None) as batch_op:
        batch_op.add_column(sa.Column("advisory_level", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("advisory_checked_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("advisory_note_fr", sa.String(length=1000), server_default="", nullable=False))
        batch_op.add_column(sa.Column("advisory_note_en", sa.String(length=1000), server_default="", nullable=False))
        batch_op.add_column(sa.Column("advisory_raised_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_country_advisory_level_known"), "advisory_level IS NULL OR advisory_level BETWEEN 1 AND 4"
        )
    op.create_table(
        "country_advisory_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("old_level", sa.Integer(), nullable=True),
        sa.Column("new_level", sa.Integer(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("note_fr", sa.String(length=1000), nullable=False),
        sa.Column("note_en", sa.String(length=1000), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("new_level BETWEEN 1 AND 4", name=op.f("ck_country_advisory_change_new_level_known")),
        sa.CheckConstraint(
            "old_level IS NULL OR old_level BETWEEN 1 AND 4", name=op.f("ck_country_advisory_change_old_level_known")
        ),
        sa.ForeignKeyConstraint(["actor_id"], ["user.id"], name=op.f("fk_country_advisory_change_actor_id_user")),
        sa.ForeignKeyConstraint(
            ["country_code"],
            ["country.code"],
            name=op.f("fk_country_advisory_change_country_code_country"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_country_advisory_change")),
    )
    op.create_index("ix_country_advisory_change_country_list", "country_advisory_change", ["country_code", "id"])
    dialect = op.get_bind().dialect.name
    for statement in append_only_ddl("country_advisory_change", dialect):
        op.execute(statement)
    # Adding a column keeps the table (and its append-only triggers): no copy of the history.
    op.add_column("transition", sa.Column("advisory_exception_level", sa.Integer(), nullable=True))


def downgrade():
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("transition", schema=None) as batch_op:
        batch_op.drop_column("advisory_exception_level")
    if dialect == "sqlite":
        # Dropping a column rebuilt the table without its triggers.
        for statement in [*drop_append_only_ddl("transition", dialect), *append_only_ddl("transition", dialect)]:
            op.execute(statement)
    for statement in drop_append_only_ddl("country_advisory_change", dialect):
        op.execute(statement)
    op.drop_index("ix_country_advisory_change_country_list", table_name="country_advisory_change")
    op.drop_table("country_advisory_change")
    with op.batch_alter_table("country", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_country_advisory_level_known"), type_="check")
        batch_op.drop_column("advisory_raised_at")
        batch_op.drop_column("advisory_note_en")
        batch_op.drop_column("advisory_note_fr")
        batch_op.drop_column("advisory_checked_on")
        batch_op.drop_column("advisory_level")
