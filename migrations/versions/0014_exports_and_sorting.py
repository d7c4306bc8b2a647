"""exports and sorting: the log of every export of a list (export_log), and the indexes of the orders the lists
offer by their column headers (?sort=), so that a sorted page reads its rows in index order (no sort, no scan)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 17:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

# (table, index, columns)
INDEXES = [
    ('leave_request', 'ix_leave_request_start_list', ['start_date', 'id']),
    ('leave_request', 'ix_leave_request_amount_list', ['amount_requested', 'id']),
    ('leave_request', 'ix_leave_request_status_start', ['status', 'start_date', 'id']),
    ('leave_request', 'ix_leave_request_status_amount', ['status', 'amount_requested', 'id']),
    ('leave_request', 'ix_leave_request_status_reference', ['status', 'reference']),
    ('leave_request', 'ix_leave_request_applicant_start', ['applicant_id', 'start_date', 'id']),
    ('leave_request', 'ix_leave_request_applicant_reference', ['applicant_id', 'reference']),
    ('project', 'ix_project_start_list', ['start_date', 'id']),
]


def upgrade():
    op.create_table(
        'export_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('list_name', sa.String(length=40), nullable=False),
        sa.Column('filters', sa.JSON(), nullable=False),
        sa.Column('format', sa.String(length=4), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("format IN ('csv', 'xlsx')", name=op.f('ck_export_log_format_known')),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_export_log_user_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_export_log')),
    )
    with op.batch_alter_table('export_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_log_user_id'), ['user_id'], unique=False)
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns)
    if op.get_bind().dialect.name == 'postgresql':
        for table in sorted({table for table, _name, _columns in INDEXES}):
            op.execute(f'ANALYZE "{table}"')


def downgrade():
    for table, name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table('export_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_log_user_id'))
    op.drop_table('export_log')
