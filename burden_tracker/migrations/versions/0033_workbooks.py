"""Kept workbooks

A closed quarter's workbook, written once and served as it was kept; and a workbook too large to write while a
reader waits, written by the job queue. Each file is kept in parts, so that a download streams it.

Revision ID: 0033
Revises: 0032
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0033'
down_revision: Union[str, Sequence[str], None] = '0032'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'workbooks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('quarter', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('closing_id', sa.Integer(), nullable=True),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('state', sa.Enum('queued', 'writing', 'ready', 'failed', name='workbookstate', native_enum=False,
                                   length=32), nullable=False),
        sa.Column('rows_written', sa.Integer(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('requested_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('problem', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.ForeignKeyConstraint(['closing_id'], ['quarter_closings.id']),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sqlite_autoincrement=True,  # a forgotten workbook's id is never given to another
    )
    op.create_index('ix_workbooks_quarter_closing', 'workbooks', ['quarter', 'closing_id'], unique=False)
    op.create_table(
        'workbook_parts',
        sa.Column('workbook_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['workbook_id'], ['workbooks.id']),
        sa.PrimaryKeyConstraint('workbook_id', 'position'),
    )


def downgrade() -> None:
    op.drop_table('workbook_parts')
    op.drop_index('ix_workbooks_quarter_closing', table_name='workbooks')
    op.drop_table('workbooks')
