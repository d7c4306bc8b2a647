"""the budget a cycle has committed read from one index: (cycle, status, amount, id)

The BRI's queue, its home page, its decision panel and the dashboard sum the amounts of a cycle's committed requests
at every view; with this index the sum is an index-only range scan of those requests, not a walk of all of the
cycle's requests and their rows.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 18:00:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_leave_request_cycle_status_amount', 'leave_request', ['cycle_id', 'status', 'amount_requested', 'id']
    )


def downgrade():
    op.drop_index('ix_leave_request_cycle_status_amount', table_name='leave_request')
