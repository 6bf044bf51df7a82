"""Follows

Who chose to follow a nomination, or to stop following one. The submitter and the supporters follow it without a
row; a row with following false is one of them who stopped, and a row with following true is anyone else who
chose to (queries/notices.people_following). Nothing needs writing for an imported or merged nomination.

Revision ID: 0026
Revises: 0025
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0026'
down_revision: Union[str, Sequence[str], None] = '0025'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'follows',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('nomination_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('following', sa.Boolean(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id']),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('nomination_id', 'user_id', name='uq_follow_once'),
    )
    op.create_index('ix_follows_nomination_id', 'follows', ['nomination_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_follows_nomination_id', table_name='follows')
    op.drop_table('follows')
