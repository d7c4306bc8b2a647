"""full-text search of requests: the search table of requests (names, texts, report), its triggers, its rows

PostgreSQL: the unaccent extension, the french_unaccent configuration, tsvector groups and a GIN index.
SQLite: an FTS5 virtual table (unicode61, diacritics removed).

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-01 14:00:00

"""
from alembic import op

from app.leave import search as request_search
from app.reports import search as report_search


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    dialect = op.get_bind().dialect.name
    for statement in request_search.create_ddl(dialect) + report_search.create_ddl(dialect):
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for statement in report_search.drop_ddl(dialect) + request_search.drop_ddl(dialect):
        op.execute(statement)
