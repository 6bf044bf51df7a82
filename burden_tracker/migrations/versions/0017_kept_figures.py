"""kept figures

The figures of the quarters a dashboard shows, kept up to date as nominations change, so that no page counts the
whole history (queries/kept_figures.py). They can be dropped at any time: they are counted again when asked.

Revision ID: 0017
Revises: 0016
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0017'
down_revision: Union[str, Sequence[str], None] = '0016'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _key_columns() -> list:
    return [sa.Column('quarter', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
            sa.Column('grouping', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
            sa.Column('group_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
            sa.Column('measure', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False)]


def upgrade() -> None:
    op.create_table(
        'kept_quarters',
        sa.Column('quarter', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('last_nomination_id', sa.Integer(), nullable=False),
        sa.Column('last_event_id', sa.Integer(), nullable=False),
        sa.Column('reference_stamp', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column('kept_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('quarter'),
    )
    op.create_table(
        'kept_figures', *_key_columns(), sa.Column('value', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('quarter', 'grouping', 'group_key', 'measure'),
    )
    op.create_table(
        'kept_days', *_key_columns(), sa.Column('day', sa.Integer(), nullable=False),
        sa.Column('value', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('quarter', 'grouping', 'group_key', 'measure', 'day'),
    )


def downgrade() -> None:
    op.drop_table('kept_days')
    op.drop_table('kept_figures')
    op.drop_table('kept_quarters')
