"""project publication: when a project was published (its public page and its activity in the IATI 2.03 file)

The IATI file reads the published projects by id: an index on (published_at, id).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 19:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_project_published', ['published_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index('ix_project_published')
        batch_op.drop_column('published_at')
