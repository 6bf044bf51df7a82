"""security trail

Sign-ins, refusals, rate limits, 403s, CSRF refusals and admin changes are kept in a table of their own, for
administrators to read on /admin/audit, apart from the nominations' append-only events: the trail is deleted
once older than the retention period, a setting (400 days unless an admin changes it).

Revision ID: 0010
Revises: 0009
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

KINDS = ('sign-in ok', 'sign-in refused', 'rate limited', 'forbidden', 'csrf refused', 'signed out',
         'session expired', 'invite refused', 'admin change')


def upgrade() -> None:
    op.create_table(
        'audit_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('kind', sa.Enum(*KINDS, name='auditkind', native_enum=False, length=32), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=340), nullable=True),
        sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column('path', sqlmodel.sql.sqltypes.AutoString(length=340), nullable=True),
        sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(length=340), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_audit_entries_at', 'audit_entries', ['at'], unique=False)
    op.create_index('ix_audit_entries_kind_at', 'audit_entries', ['kind', 'at'], unique=False)
    op.create_index('ix_audit_entries_user_at', 'audit_entries', ['user_id', 'at'], unique=False)
    # A plain column operation: a batch (table copy) on SQLite would drop the settings' reference-stamp triggers.
    op.add_column('settings', sa.Column('audit_retention_days', sa.Integer(), server_default='400', nullable=False))


def downgrade() -> None:
    op.drop_column('settings', 'audit_retention_days')
    op.drop_table('audit_entries')
