"""project results: the results framework of a project after IATI 2.03 (results, their indicators with a baseline,
the indicators' periods with target and actual), each row versioned; the result a mission served.

SQLite: adding the mission's column with its foreign key copies leave_request (a batch), and the copy would lose the
triggers of the search table: the search table and its triggers are built again around it, both ways.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 19:33:17.328629

"""
from alembic import op
import sqlalchemy as sa

from app.leave import search as request_search
from app.reports import search as report_search

MISSION_FK = 'fk_leave_request_project_result_id_project_result'


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('project_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=1), nullable=False),
    sa.Column('title_fr', sa.String(length=250), nullable=False),
    sa.Column('title_en', sa.String(length=250), nullable=False),
    sa.Column('description_fr', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("type IN ('1', '2', '3', '9')", name=op.f('ck_project_result_type_known')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_result_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_result'))
    )
    with op.batch_alter_table('project_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_result_project_id'), ['project_id'], unique=False)

    op.create_table('project_indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=False),
    sa.Column('title_fr', sa.String(length=250), nullable=False),
    sa.Column('title_en', sa.String(length=250), nullable=False),
    sa.Column('description_fr', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('measure', sa.String(length=1), nullable=False),
    sa.Column('ascending', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('baseline_year', sa.Integer(), nullable=True),
    sa.Column('baseline_value', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('baseline_comment', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("measure IN ('1', '2', '5')", name=op.f('ck_project_indicator_measure_known')),
    sa.CheckConstraint('baseline_year IS NULL OR baseline_year BETWEEN 1900 AND 2200', name=op.f('ck_project_indicator_baseline_year_sane')),
    sa.ForeignKeyConstraint(['result_id'], ['project_result.id'], name=op.f('fk_project_indicator_result_id_project_result'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_indicator'))
    )
    with op.batch_alter_table('project_indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_indicator_result_id'), ['result_id'], unique=False)

    op.create_table('project_indicator_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('target_value', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('target_comment', sa.Text(), nullable=False),
    sa.Column('actual_value', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('actual_comment', sa.Text(), nullable=False),
    sa.Column('actual_recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('actual_recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('period_end >= period_start', name=op.f('ck_project_indicator_period_dates_order')),
    sa.ForeignKeyConstraint(['actual_recorded_by_id'], ['user.id'], name=op.f('fk_project_indicator_period_actual_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['indicator_id'], ['project_indicator.id'], name=op.f('fk_project_indicator_period_indicator_id_project_indicator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_indicator_period'))
    )
    with op.batch_alter_table('project_indicator_period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_indicator_period_actual_recorded_by_id'), ['actual_recorded_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_indicator_period_indicator_id'), ['indicator_id'], unique=False)

    dialect = op.get_bind().dialect.name
    _drop_search(dialect)
    with op.batch_alter_table('leave_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('project_result_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_leave_request_project_result_id', ['project_result_id'], unique=False)
        batch_op.create_foreign_key(
            MISSION_FK, 'project_result', ['project_result_id'], ['id'], ondelete='SET NULL'
        )
    _create_search(dialect)


def _drop_search(dialect):
    """SQLite's batch copies leave_request, and its copy has none of the triggers of the search table."""
    if dialect == 'sqlite':
        for statement in report_search.drop_ddl(dialect) + request_search.drop_ddl(dialect):
            op.execute(statement)


def _create_search(dialect):
    if dialect == 'sqlite':
        for statement in request_search.create_ddl(dialect) + report_search.create_ddl(dialect):
            op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    _drop_search(dialect)
    with op.batch_alter_table('leave_request', schema=None) as batch_op:
        batch_op.drop_constraint(MISSION_FK, type_='foreignkey')
        batch_op.drop_index('ix_leave_request_project_result_id')
        batch_op.drop_column('project_result_id')
    _create_search(dialect)

    with op.batch_alter_table('project_indicator_period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_indicator_period_indicator_id'))
        batch_op.drop_index(batch_op.f('ix_project_indicator_period_actual_recorded_by_id'))

    op.drop_table('project_indicator_period')
    with op.batch_alter_table('project_indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_indicator_result_id'))

    op.drop_table('project_indicator')
    with op.batch_alter_table('project_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_result_project_id'))

    op.drop_table('project_result')
