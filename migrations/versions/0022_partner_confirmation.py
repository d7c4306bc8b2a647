"""the host partner confirms a mission: partner contacts, the confirmations asked and answered, and the name and
e-mail of an actor without an account on the request's history

``transition`` is append-only (its triggers, migration 0007): its two new columns are added in place, never by
copying the table (SQLite's batch mode would drop the triggers with the old table).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 19:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'partner_contact',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('partner_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("language IN ('fr', 'en')", name=op.f('ck_partner_contact_language_known')),
        sa.ForeignKeyConstraint(
            ['partner_id'], ['partner_organisation.id'],
            name=op.f('fk_partner_contact_partner_id_partner_organisation'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_contact')),
    )
    op.create_index('ix_partner_contact_partner', 'partner_contact', ['partner_id', 'id'])
    op.create_table(
        'partner_confirmation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('contact_id', sa.Integer(), nullable=True),
        sa.Column('contact_name', sa.String(length=120), nullable=False),
        sa.Column('contact_email', sa.String(length=254), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('token_digest', sa.String(length=64), nullable=True),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('sent_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('answer', sa.String(length=10), nullable=True),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('used', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "answer IS NULL OR answer IN ('confirmed', 'declined')", name=op.f('ck_partner_confirmation_answer_known')
        ),
        sa.CheckConstraint(
            'answer IS NULL OR answered_at IS NOT NULL', name=op.f('ck_partner_confirmation_answer_dated')
        ),
        sa.CheckConstraint("language IN ('fr', 'en')", name=op.f('ck_partner_confirmation_language_known')),
        sa.ForeignKeyConstraint(
            ['contact_id'], ['partner_contact.id'],
            name=op.f('fk_partner_confirmation_contact_id_partner_contact'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['request_id'], ['leave_request.id'],
            name=op.f('fk_partner_confirmation_request_id_leave_request'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['sent_by_id'], ['user.id'], name=op.f('fk_partner_confirmation_sent_by_id_user')
        ),
        sa.ForeignKeyConstraint(
            ['recorded_by_id'], ['user.id'], name=op.f('fk_partner_confirmation_recorded_by_id_user')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_confirmation')),
        sa.UniqueConstraint('token_digest', name=op.f('uq_partner_confirmation_token_digest')),
    )
    op.create_index('ix_partner_confirmation_request', 'partner_confirmation', ['request_id', 'id'])
    op.add_column('transition', sa.Column('actor_name', sa.String(length=120), nullable=True))
    op.add_column('transition', sa.Column('actor_email', sa.String(length=254), nullable=True))


def downgrade():
    # In place as well (SQLite 3.35+ drops a column without copying the table): the history keeps its triggers.
    op.drop_column('transition', 'actor_email')
    op.drop_column('transition', 'actor_name')
    op.drop_index('ix_partner_confirmation_request', table_name='partner_confirmation')
    op.drop_table('partner_confirmation')
    op.drop_index('ix_partner_contact_partner', table_name='partner_contact')
    op.drop_table('partner_contact')
