"""The regulatory-myth library, and the nominations that cite its entries

Revision ID: 0038
Revises: 0037
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0038'
down_revision: Union[str, Sequence[str], None] = '0037'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'myths',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
        sa.Column('belief', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('actually', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column('citation', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('source_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('source_date', sa.Date(), nullable=True),
        sa.Column('keywords', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('reviewed_on', sa.Date(), nullable=False),
        sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
        sa.Column('published', sa.Boolean(), nullable=False),
        sa.Column('draft_of_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id']),
        sa.ForeignKeyConstraint(['draft_of_id'], ['myths.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key'),
        sa.UniqueConstraint('draft_of_id'),
    )
    op.create_table(
        'myths_cited',
        sa.Column('nomination_id', sa.Integer(), nullable=False),
        sa.Column('myth_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id']),
        sa.ForeignKeyConstraint(['myth_id'], ['myths.id']),
        sa.PrimaryKeyConstraint('nomination_id', 'myth_id'),
    )
    op.create_index('ix_myths_cited_myth_id', 'myths_cited', ['myth_id'])


def downgrade() -> None:
    op.drop_index('ix_myths_cited_myth_id', table_name='myths_cited')
    op.drop_table('myths_cited')
    op.drop_table('myths')
