"""failed sign-ins counted in the database

Without Redis each worker process counted failed sign-ins on its own, so `serve --workers 4` allowed four times
the documented number. The counts (and the wait each account, address or browser has earned) now live in a table
every worker shares; a row is deleted once its forget_at has passed.

Revision ID: 0011
Revises: 0010
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'failure_tallies',
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column('recent', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column('held_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('wait_seconds', sa.Integer(), nullable=False),
        sa.Column('forget_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )
    op.create_index('ix_failure_tallies_forget_at', 'failure_tallies', ['forget_at'], unique=False)


def downgrade() -> None:
    op.drop_table('failure_tallies')
