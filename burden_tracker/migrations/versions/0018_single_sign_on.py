"""single sign-on, and where each session is

People signed in by an OpenID Connect provider are known by its issuer and their subject there; the provider's
roles claim maps to roles here; an operator names the accounts that keep a password when SSO_ONLY is on; a session
keeps the provider's ID token, to sign out at the provider too, and the browser and address it began on, for the
person's list of their sessions.

Revision ID: 0018
Revises: 0017
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0018'
down_revision: Union[str, Sequence[str], None] = '0017'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'sign_on_identities',
        sa.Column('issuer', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('linked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('issuer', 'subject'),
    )
    op.create_index(op.f('ix_sign_on_identities_user_id'), 'sign_on_identities', ['user_id'])
    op.create_table(
        'sign_on_roles',
        sa.Column('claim_value', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column('role', sa.Enum('staff', 'board', 'executive', 'admin', name='role', native_enum=False,
                                  length=32), nullable=False),
        sa.PrimaryKeyConstraint('claim_value', 'role'),
    )
    op.add_column('users', sa.Column('break_glass', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('user_sessions', sa.Column('id_token', sa.Text(), nullable=True))
    op.add_column('user_sessions', sa.Column('user_agent', sqlmodel.sql.sqltypes.AutoString(length=255),
                                             nullable=True))
    op.add_column('user_sessions', sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))


def downgrade() -> None:
    for column in ('address', 'user_agent', 'id_token'):
        op.drop_column('user_sessions', column)  # SQLite drops a column in place since 3.35
    op.drop_column('users', 'break_glass')
    op.drop_table('sign_on_roles')
    op.drop_table('sign_on_identities')
