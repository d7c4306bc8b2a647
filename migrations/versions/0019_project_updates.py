"""progress updates of a project and their photos (project_update, project_photo)

The project's page reads its newest updates through (project_id, update_date, id); a photo's update is found through
the unique (update_id, source_attachment_id), which also keeps a mission report's file from being copied twice
into one update.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 19:35:29.504746

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('project_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('update_date', sa.Date(), nullable=False),
    sa.Column('title_fr', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('body_fr', sa.Text(), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published', sa.Boolean(), server_default='0', nullable=False),
    sa.CheckConstraint("body_fr <> ''", name=op.f('ck_project_update_body_not_empty')),
    sa.CheckConstraint("title_fr <> ''", name=op.f('ck_project_update_title_not_empty')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_project_update_author_id_user')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_update_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_update'))
    )
    with op.batch_alter_table('project_update', schema=None) as batch_op:
        batch_op.create_index('ix_project_update_project_date', ['project_id', 'update_date', 'id'], unique=False)

    op.create_table('project_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('caption_fr', sa.String(length=300), nullable=False),
    sa.Column('caption_en', sa.String(length=300), nullable=False),
    sa.Column('consent_to_publish', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('source_attachment_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("content_type IN ('image/jpeg', 'image/png')", name=op.f('ck_project_photo_content_type_known')),
    sa.CheckConstraint('position >= 0', name=op.f('ck_project_photo_position_not_negative')),
    sa.CheckConstraint('size > 0', name=op.f('ck_project_photo_size_positive')),
    sa.CheckConstraint('width > 0 AND height > 0', name=op.f('ck_project_photo_dimensions_positive')),
    sa.ForeignKeyConstraint(['source_attachment_id'], ['attachment.id'], name=op.f('fk_project_photo_source_attachment_id_attachment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['update_id'], ['project_update.id'], name=op.f('fk_project_photo_update_id_project_update'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_photo')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_project_photo_stored_name')),
    sa.UniqueConstraint('update_id', 'source_attachment_id', name='uq_project_photo_source')
    )


def downgrade():
    op.drop_table('project_photo')
    with op.batch_alter_table('project_update', schema=None) as batch_op:
        batch_op.drop_index('ix_project_update_project_date')

    op.drop_table('project_update')
