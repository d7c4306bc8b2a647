"""append-only history: a trigger refuses UPDATE and DELETE on the requests' transitions and the projects' history

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 11:40:00

"""
from alembic import op

from app.core.database import append_only_ddl, drop_append_only_ddl


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

TABLES = ("transition", "project_change")


def upgrade():
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        for statement in append_only_ddl(table, dialect):
            op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        for statement in drop_append_only_ddl(table, dialect):
            op.execute(statement)
