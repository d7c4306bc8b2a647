"""the pre-departure checklist: the items the BRI adds to a cycle, the employee's entries, the reminders' log

New tables only: ``leave_request`` is not altered (SQLite's batch mode would drop its search triggers), and the
BRI's exception to an incomplete checklist is a row of the append-only ``transition`` table (no new column).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'checklist_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cycle_id', sa.Integer(), nullable=False),
        sa.Column('label_fr', sa.String(length=200), nullable=False),
        sa.Column('label_en', sa.String(length=200), nullable=False),
        sa.Column('document_required', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['cycle_id'], ['programme_cycle.id'],
            name=op.f('fk_checklist_item_cycle_id_programme_cycle'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_checklist_item_created_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_item')),
    )
    op.create_index('ix_checklist_item_cycle', 'checklist_item', ['cycle_id', 'id'])
    op.create_table(
        'checklist_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=20), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=True),
        sa.Column('done_on', sa.Date(), nullable=True),
        sa.Column('expires_on', sa.Date(), nullable=True),
        sa.Column('needed', sa.Boolean(), nullable=True),
        sa.Column('reference', sa.String(length=120), nullable=False),
        sa.Column('contact_name', sa.String(length=120), nullable=False),
        sa.Column('contact_phone', sa.String(length=40), nullable=False),
        sa.Column('original_name', sa.String(length=255), nullable=True),
        sa.Column('stored_name', sa.String(length=64), nullable=True),
        sa.Column('content_type', sa.String(length=100), nullable=True),
        sa.Column('size', sa.Integer(), nullable=True),
        sa.Column('completed_by_id', sa.Integer(), nullable=True),
        sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('size IS NULL OR size >= 0', name=op.f('ck_checklist_entry_size_not_negative')),
        sa.ForeignKeyConstraint(
            ['request_id'], ['leave_request.id'],
            name=op.f('fk_checklist_entry_request_id_leave_request'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['item_id'], ['checklist_item.id'],
            name=op.f('fk_checklist_entry_item_id_checklist_item'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['completed_by_id'], ['user.id'], name=op.f('fk_checklist_entry_completed_by_id_user')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_entry')),
        sa.UniqueConstraint('request_id', 'key', name='uq_checklist_entry_request_key'),
        sa.UniqueConstraint('stored_name', name=op.f('uq_checklist_entry_stored_name')),
    )
    op.create_table(
        'checklist_reminder',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('recipient_id', sa.Integer(), nullable=False),
        sa.Column('sent_on', sa.Date(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('missing', 'escalation', 'blocked')", name=op.f('ck_checklist_reminder_kind_known')
        ),
        sa.ForeignKeyConstraint(
            ['request_id'], ['leave_request.id'],
            name=op.f('fk_checklist_reminder_request_id_leave_request'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['recipient_id'], ['user.id'], name=op.f('fk_checklist_reminder_recipient_id_user'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_reminder')),
    )
    op.create_index(
        'ix_checklist_reminder_request_kind', 'checklist_reminder', ['request_id', 'kind', 'sent_on']
    )


def downgrade():
    op.drop_index('ix_checklist_reminder_request_kind', table_name='checklist_reminder')
    op.drop_table('checklist_reminder')
    op.drop_table('checklist_entry')
    op.drop_index('ix_checklist_item_cycle', table_name='checklist_item')
    op.drop_table('checklist_item')
