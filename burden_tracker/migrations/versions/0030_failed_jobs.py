"""Failed jobs

Jobs of the queue that failed their last try, shown to admins on /admin/jobs.

Revision ID: 0030
Revises: 0029
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0030'
down_revision: Union[str, Sequence[str], None] = '0029'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'failed_jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('tries', sa.Integer(), nullable=False),
        sa.Column('failed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_failed_jobs_failed_at', 'failed_jobs', ['failed_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_failed_jobs_failed_at', table_name='failed_jobs')
    op.drop_table('failed_jobs')
