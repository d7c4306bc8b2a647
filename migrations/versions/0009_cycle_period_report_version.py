"""cycle period and report version: each programme cycle has the period its missions must fall in (by default its
year), and a mission report carries a version so that a save from a stale page is refused

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:10:00

"""
from datetime import date

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

cycles = sa.table(
    'programme_cycle',
    sa.column('id', sa.Integer()),
    sa.column('year', sa.Integer()),
    sa.column('period_start', sa.Date()),
    sa.column('period_end', sa.Date()),
)


def upgrade():
    with op.batch_alter_table('programme_cycle', schema=None) as batch_op:
        batch_op.add_column(sa.Column('period_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('period_end', sa.Date(), nullable=True))
    # Existing cycles: their missions fall within their year (1 January to 31 December).
    bind = op.get_bind()
    for cycle_id, year in bind.execute(sa.select(cycles.c.id, cycles.c.year)).all():
        bind.execute(
            cycles.update()
            .where(cycles.c.id == cycle_id)
            .values(period_start=date(year, 1, 1), period_end=date(year, 12, 31))
        )
    with op.batch_alter_table('programme_cycle', schema=None) as batch_op:
        batch_op.alter_column('period_start', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('period_end', existing_type=sa.Date(), nullable=False)
        batch_op.create_check_constraint(op.f('ck_programme_cycle_period_order'), 'period_end >= period_start')

    with op.batch_alter_table('mission_report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('mission_report', schema=None) as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('programme_cycle', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_programme_cycle_period_order'), type_='check')
        batch_op.drop_column('period_end')
        batch_op.drop_column('period_start')
