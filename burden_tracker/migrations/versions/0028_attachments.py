"""Attachments

Screenshots and PDFs added to a nomination. The bytes are files under the attachments folder, named by their
SHA-256; this table says which nomination holds which, who added it, and whether the board has released it.

Revision ID: 0028
Revises: 0027
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0028'
down_revision: Union[str, Sequence[str], None] = '0027'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'attachments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('nomination_id', sa.Integer(), nullable=False),
        sa.Column('uploader_id', sa.Integer(), nullable=False),
        sa.Column('acted_as', sa.Enum('board', 'submitter', name='actor', native_enum=False, length=32),
                  nullable=True),
        sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('media_type', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('released_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('released_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id']),
        sa.ForeignKeyConstraint(['uploader_id'], ['users.id']),
        sa.ForeignKeyConstraint(['released_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_attachments_nomination_id', 'attachments', ['nomination_id'], unique=False)
    op.create_index('ix_attachments_sha256', 'attachments', ['sha256'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_attachments_sha256', table_name='attachments')
    op.drop_index('ix_attachments_nomination_id', table_name='attachments')
    op.drop_table('attachments')
