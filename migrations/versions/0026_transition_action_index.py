"""an index of the history's steps by action: the requests that went through a rare step (the BRI's exception to a
checklist) are found from its few rows, not by reading every step (460,000 at the scale of the city)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-01 23:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_transition_action_request', 'transition', ['action', 'request_id'])


def downgrade():
    op.drop_index('ix_transition_action_request', table_name='transition')
