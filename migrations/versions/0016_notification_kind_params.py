"""notification kind and params: the text is written in the reader's language when it is read or e-mailed

Rows written before keep their stored subject and body as the fallback.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 16:45:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('params')
        batch_op.drop_column('kind')
