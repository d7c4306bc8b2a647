"""a mission report has at most one indicator proposal waiting for the BRI: a partial unique index

The service replaces a pending proposal rather than adding a second; the index makes it hold when two saves of the
same report come at the same moment. Older duplicates (none is expected) keep their latest pending row.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-01 23:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = "0024"
branch_labels = None
depends_on = None

PENDING = sa.text("decision = 'pending'")


def upgrade():
    op.execute(
        "DELETE FROM indicator_proposal WHERE decision = 'pending' AND id NOT IN "
        "(SELECT max(id) FROM indicator_proposal WHERE decision = 'pending' GROUP BY request_id)"
    )
    op.create_index(
        'uq_indicator_proposal_one_pending',
        'indicator_proposal',
        ['request_id'],
        unique=True,
        postgresql_where=PENDING,
        sqlite_where=PENDING,
    )


def downgrade():
    op.drop_index('uq_indicator_proposal_one_pending', table_name='indicator_proposal')
