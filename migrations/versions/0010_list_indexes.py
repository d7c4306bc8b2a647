"""list indexes: composite indexes matched to each list's filter and order, so that keyset pagination reads the
first rows of a page in index order (no sort, no scan of the table)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 14:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# (table, index, columns)
INDEXES = [
    ('leave_request', 'ix_leave_request_applicant_list', ['applicant_id', 'id']),
    ('leave_request', 'ix_leave_request_status_waiting', ['status', 'status_changed_at', 'id']),
    ('leave_request', 'ix_leave_request_status_end', ['status', 'end_date', 'id']),
    ('leave_request', 'ix_leave_request_status_list', ['status', 'id']),
    ('leave_request', 'ix_leave_request_cycle_status', ['cycle_id', 'status', 'id']),
    ('leave_request', 'ix_leave_request_country_list', ['country_code', 'id']),
    ('user', 'ix_user_name_list', ['full_name', 'id']),
    ('notification', 'ix_notification_recipient_list', ['recipient_id', 'created_at', 'id']),
    ('notification', 'ix_notification_recipient_unread', ['recipient_id', 'read_at']),
]


def upgrade():
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns)
    # The planner's statistics, so that the new indexes are chosen at once on a large database.
    if op.get_bind().dialect.name == 'postgresql':
        for table in sorted({table for table, _name, _columns in INDEXES}):
            op.execute(f'ANALYZE "{table}"')


def downgrade():
    for table, name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
