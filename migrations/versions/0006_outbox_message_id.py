"""outbox message id: every e-mail keeps the Message-ID given when it was queued, so that a resend (delivery is
at least once) carries the same one and mail clients fold the duplicate

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 11:35:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.String(length=255), nullable=True))
    # E-mails queued before this migration get a stable id of their own.
    op.execute("UPDATE outbox_email SET message_id = '<outbox-' || id || '@conges-solidaires.montreal>'")
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.alter_column('message_id', existing_type=sa.String(length=255), nullable=False)


def downgrade():
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.drop_column('message_id')
