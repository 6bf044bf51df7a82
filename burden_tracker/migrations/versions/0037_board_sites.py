"""The sites a board member may decide for

A board member with no site listed decides for every site, as every board member did before.

Revision ID: 0037
Revises: 0036
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0037'
down_revision: Union[str, Sequence[str], None] = '0036'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'board_sites',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.ForeignKeyConstraint(['site_id'], ['sites.id']),
        sa.PrimaryKeyConstraint('user_id', 'site_id'),
    )
    op.create_index('ix_board_sites_site_id', 'board_sites', ['site_id'])


def downgrade() -> None:
    op.drop_index('ix_board_sites_site_id', table_name='board_sites')
    op.drop_table('board_sites')
