"""closed quarters

An executive signs a quarter's figures once. Closing a quarter stores its report and its sheets' rows as they
stand; a later change that alters them is kept as a restatement beside them, never written over them.

Revision ID: 0015
Revises: 0014
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0015'
down_revision: Union[str, Sequence[str], None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'quarter_closings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('quarter', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('closed_by_id', sa.Integer(), nullable=True),
        sa.Column('report', sa.Text(), nullable=True),
        sa.Column('reopened_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('reopened_by_id', sa.Integer(), nullable=True),
        sa.Column('reopen_reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['closed_by_id'], ['users.id']),
        sa.ForeignKeyConstraint(['reopened_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ux_quarter_closings_in_force', 'quarter_closings', ['quarter'], unique=True,
                    sqlite_where=sa.text('reopened_at IS NULL'), postgresql_where=sa.text('reopened_at IS NULL'))
    op.create_table(
        'closed_rows',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('closing_id', sa.Integer(), nullable=False),
        sa.Column('sheet', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('nomination_id', sa.Integer(), nullable=True),
        sa.Column('values', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['closing_id'], ['quarter_closings.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_closed_rows_sheet', 'closed_rows', ['closing_id', 'sheet', 'position'])
    op.create_index(op.f('ix_closed_rows_nomination_id'), 'closed_rows', ['nomination_id'])
    op.create_table(
        'restatements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('closing_id', sa.Integer(), nullable=False),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('nomination_id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('change', sa.Text(), nullable=False),
        sa.Column('difference', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['closing_id'], ['quarter_closings.id']),
        sa.ForeignKeyConstraint(['event_id'], ['events.id']),
        sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_restatements_closing_id'), 'restatements', ['closing_id'])


def downgrade() -> None:
    op.drop_table('restatements')
    op.drop_table('closed_rows')
    op.drop_table('quarter_closings')
