"""a mission report proposes an update of one of its project's indicators; the BRI accepts or declines it

A new table only: ``leave_request`` is not altered (SQLite's batch mode would rebuild it and drop its search
triggers).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'indicator_proposal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('indicator_id', sa.Integer(), nullable=False),
        sa.Column('period_id', sa.Integer(), nullable=False),
        sa.Column('value', sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('proposed_by_id', sa.Integer(), nullable=False),
        sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decision', sa.String(length=10), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision_comment', sa.Text(), nullable=False),
        sa.CheckConstraint(
            "decision IN ('pending', 'accepted', 'declined')", name=op.f('ck_indicator_proposal_decision_known')
        ),
        sa.ForeignKeyConstraint(
            ['request_id'], ['leave_request.id'],
            name=op.f('fk_indicator_proposal_request_id_leave_request'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['indicator_id'], ['project_indicator.id'],
            name=op.f('fk_indicator_proposal_indicator_id_project_indicator'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['period_id'], ['project_indicator_period.id'],
            name=op.f('fk_indicator_proposal_period_id_project_indicator_period'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['proposed_by_id'], ['user.id'], name=op.f('fk_indicator_proposal_proposed_by_id_user')
        ),
        sa.ForeignKeyConstraint(
            ['decided_by_id'], ['user.id'], name=op.f('fk_indicator_proposal_decided_by_id_user')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_proposal')),
    )
    op.create_index('ix_indicator_proposal_request', 'indicator_proposal', ['request_id', 'id'])
    op.create_index('ix_indicator_proposal_decision', 'indicator_proposal', ['decision', 'indicator_id'])
    op.create_index(op.f('ix_indicator_proposal_indicator_id'), 'indicator_proposal', ['indicator_id'])
    op.create_index(op.f('ix_indicator_proposal_period_id'), 'indicator_proposal', ['period_id'])
    op.create_index(op.f('ix_indicator_proposal_proposed_by_id'), 'indicator_proposal', ['proposed_by_id'])
    op.create_index(op.f('ix_indicator_proposal_decided_by_id'), 'indicator_proposal', ['decided_by_id'])


def downgrade():
    op.drop_index(op.f('ix_indicator_proposal_decided_by_id'), table_name='indicator_proposal')
    op.drop_index(op.f('ix_indicator_proposal_proposed_by_id'), table_name='indicator_proposal')
    op.drop_index(op.f('ix_indicator_proposal_period_id'), table_name='indicator_proposal')
    op.drop_index(op.f('ix_indicator_proposal_indicator_id'), table_name='indicator_proposal')
    op.drop_index('ix_indicator_proposal_decision', table_name='indicator_proposal')
    op.drop_index('ix_indicator_proposal_request', table_name='indicator_proposal')
    op.drop_table('indicator_proposal')
