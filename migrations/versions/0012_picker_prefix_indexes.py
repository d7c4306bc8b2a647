"""picker prefix indexes: the search-as-you-type fields look people up by the start of their name or e-mail and
requests by the start of their reference, ``lower(column) LIKE 'x%'``, which PostgreSQL serves with a
``text_pattern_ops`` index on ``lower(column)`` (SQLite, the embedded default, reads the table)

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-01 14:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

INDEXES = (
    ('ix_user_full_name_prefix', 'user', 'full_name'),
    ('ix_user_email_prefix', 'user', 'email'),
    ('ix_leave_request_reference_prefix', 'leave_request', 'reference'),
)


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for name, table, column in INDEXES:
        op.create_index(
            name, table, [sa.text(f'lower({column})')], postgresql_ops={f'lower({column})': 'text_pattern_ops'}
        )


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for name, table, _column in INDEXES:
        op.drop_index(name, table_name=table)
