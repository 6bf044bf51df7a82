"""API tokens

Personal tokens for /api/v1, kept as their SHA-256; and when each single sign-on identity last signed in, after
which a token of theirs works 30 days.

Revision ID: 0031
Revises: 0030
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0031'
down_revision: Union[str, Sequence[str], None] = '0030'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'api_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column('scope', sa.Enum('read', 'write', name='tokenscope', native_enum=False, length=32),
                  nullable=False),
        sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('shown_start', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('last_used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index('ix_api_tokens_user_id', 'api_tokens', ['user_id'], unique=False)
    with op.batch_alter_table('sign_on_identities') as batch:
        batch.add_column(sa.Column('signed_in_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.execute("UPDATE sign_on_identities SET signed_in_at = linked_at")
    with op.batch_alter_table('sign_on_identities') as batch:
        batch.alter_column('signed_in_at', nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('sign_on_identities') as batch:
        batch.drop_column('signed_in_at')
    op.drop_index('ix_api_tokens_user_id', table_name='api_tokens')
    op.drop_table('api_tokens')
