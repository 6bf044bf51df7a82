"""Indexes for a large program: Wins newest first, the board's members by role, and nominations by their card

Wins reads the retired nominations newest first; with only an index of retired_on, whose NULLs (every nomination
not retired) come first on PostgreSQL when read backwards, it filtered most of the table for one page. The board's
members were found through user_roles, whose key leads with the user: every page naming them read the whole table.
A burden card's page lists the nominations begun from it.

Revision ID: 0041
Revises: 0040
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0041'
down_revision: Union[str, Sequence[str], None] = '0040'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index('ix_nominations_state_retired', 'nominations', ['state', 'retired_on', 'id'])
    op.create_index('ix_user_roles_role', 'user_roles', ['role', 'user_id'])
    op.create_index('ix_nominations_from_card_id', 'nominations', ['from_card_id'])


def downgrade() -> None:
    op.drop_index('ix_nominations_from_card_id', table_name='nominations')
    op.drop_index('ix_user_roles_role', table_name='user_roles')
    op.drop_index('ix_nominations_state_retired', table_name='nominations')
