"""projects: cooperation projects, their partners, funding, expenditures, milestones and history; the project of
a leave request; the reference list of sectors (OECD DAC purpose codes), seeded here.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 18:35:39.629562

"""
from alembic import op
import sqlalchemy as sa


# The curated OECD DAC purpose codes relevant to municipal cooperation (editable afterwards on the sectors page).
SECTORS = [
    ("14020", "Distribution d'eau et assainissement – systèmes à grande échelle", "Water supply and sanitation – large systems"),
    ("14021", "Distribution d'eau – systèmes à grande échelle", "Water supply – large systems"),
    ("14022", "Assainissement – systèmes à grande échelle", "Sanitation – large systems"),
    ("14030", "Eau potable et assainissement de base", "Basic drinking water supply and basic sanitation"),
    ("14050", "Traitement des déchets", "Waste management and disposal"),
    ("15111", "Gestion des finances publiques", "Public finance management"),
    ("15112", "Décentralisation et soutien aux administrations infranationales", "Decentralisation and support to subnational government"),
    ("15114", "Mobilisation des ressources intérieures", "Domestic revenue mobilisation"),
    ("15150", "Participation démocratique et société civile", "Democratic participation and civil society"),
    ("16010", "Protection sociale", "Social protection"),
    ("41010", "Politique de l'environnement et gestion administrative", "Environmental policy and administrative management"),
    ("43030", "Développement et gestion urbaine", "Urban development and management"),
    ("43060", "Réduction des risques de catastrophe", "Disaster risk reduction"),
]

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('project_sector',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=5), nullable=False),
    sa.Column('name_fr', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_sector')),
    sa.UniqueConstraint('code', name=op.f('uq_project_sector_code'))
    )
    sector_table = sa.table(
        'project_sector',
        sa.column('code', sa.String),
        sa.column('name_fr', sa.String),
        sa.column('name_en', sa.String),
        sa.column('active', sa.Boolean),
    )
    op.bulk_insert(
        sector_table,
        [{'code': code, 'name_fr': fr, 'name_en': en, 'active': True} for code, fr, en in SECTORS],
    )
    op.create_table('project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('title_fr', sa.String(length=250), nullable=False),
    sa.Column('title_en', sa.String(length=250), nullable=False),
    sa.Column('description_fr', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('country_code', sa.String(length=2), server_default='HT', nullable=False),
    sa.Column('locality', sa.String(length=200), nullable=False),
    sa.Column('sector_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('budget', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('planned', 'active', 'on_hold', 'completed', 'cancelled')", name=op.f('ck_project_status_known')),
    sa.CheckConstraint('budget >= 0', name=op.f('ck_project_budget_not_negative')),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_project_dates_order')),
    sa.ForeignKeyConstraint(['sector_id'], ['project_sector.id'], name=op.f('fk_project_sector_id_project_sector')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project')),
    sa.UniqueConstraint('code', name=op.f('uq_project_code'))
    )
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_sector_id'), ['sector_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_status'), ['status'], unique=False)

    op.create_table('project_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=False),
    sa.Column('new_value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_project_change_actor_id_user')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_change_project_id_project'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_change'))
    )
    with op.batch_alter_table('project_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_change_project_id'), ['project_id'], unique=False)

    op.create_table('project_expenditure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('spent_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('attachment_name', sa.String(length=255), nullable=True),
    sa.Column('attachment_stored', sa.String(length=64), nullable=True),
    sa.Column('attachment_type', sa.String(length=100), nullable=True),
    sa.Column('attachment_size', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('bri_operating', 'federal', 'quebec', 'other')", name=op.f('ck_project_expenditure_source_known')),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_project_expenditure_amount_not_negative')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_expenditure_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_project_expenditure_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_expenditure')),
    sa.UniqueConstraint('attachment_stored', name=op.f('uq_project_expenditure_attachment_stored'))
    )
    with op.batch_alter_table('project_expenditure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_expenditure_project_id'), ['project_id'], unique=False)

    op.create_table('project_funding_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('note', sa.String(length=250), nullable=False),
    sa.CheckConstraint("source IN ('bri_operating', 'federal', 'quebec', 'other')", name=op.f('ck_project_funding_line_source_known')),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_project_funding_line_amount_not_negative')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_funding_line_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_funding_line'))
    )
    with op.batch_alter_table('project_funding_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_funding_line_project_id'), ['project_id'], unique=False)

    op.create_table('project_milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=250), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done', sa.Boolean(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_milestone_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_milestone'))
    )
    with op.batch_alter_table('project_milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_milestone_project_id'), ['project_id'], unique=False)

    op.create_table('project_partner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.CheckConstraint("role IN ('funding', 'accountable', 'extending', 'implementing')", name=op.f('ck_project_partner_role_known')),
    sa.ForeignKeyConstraint(['partner_id'], ['partner_organisation.id'], name=op.f('fk_project_partner_partner_id_partner_organisation')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_partner_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_partner')),
    sa.UniqueConstraint('project_id', 'partner_id', 'role', name='uq_project_partner_role')
    )
    with op.batch_alter_table('project_partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_partner_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_partner_project_id'), ['project_id'], unique=False)

    with op.batch_alter_table('leave_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('project_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_leave_request_project_id'), ['project_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_leave_request_project_id_project'), 'project', ['project_id'], ['id'])



def downgrade():
    with op.batch_alter_table('leave_request', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_leave_request_project_id_project'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_leave_request_project_id'))
        batch_op.drop_column('project_id')

    with op.batch_alter_table('project_partner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_partner_project_id'))
        batch_op.drop_index(batch_op.f('ix_project_partner_partner_id'))

    op.drop_table('project_partner')
    with op.batch_alter_table('project_milestone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_milestone_project_id'))

    op.drop_table('project_milestone')
    with op.batch_alter_table('project_funding_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_funding_line_project_id'))

    op.drop_table('project_funding_line')
    with op.batch_alter_table('project_expenditure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_expenditure_project_id'))

    op.drop_table('project_expenditure')
    with op.batch_alter_table('project_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_change_project_id'))

    op.drop_table('project_change')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_status'))
        batch_op.drop_index(batch_op.f('ix_project_sector_id'))

    op.drop_table('project')
    op.drop_table('project_sector')
