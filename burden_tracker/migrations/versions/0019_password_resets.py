"""password resets

A person who forgot their password asks for a link to choose a new one: a one-time link like an admin's invite,
valid for an hour. Both are kept in the invites table, told apart by their purpose.

Revision ID: 0019
Revises: 0018
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0019'
down_revision: Union[str, Sequence[str], None] = '0018'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('invites', sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=16), server_default='invite',
                                       nullable=False))


def downgrade() -> None:
    op.drop_column('invites', 'purpose')
