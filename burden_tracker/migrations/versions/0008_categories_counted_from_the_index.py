"""categories counted from the index

The board's tabs count each state up to 1,000 under the filters. With a category chosen, a rare state's
count read every nomination of the category (PostgreSQL) or of the state (SQLite) to find there were few:
about 60 ms at 100,000 nominations. An index led by category and state counts them from the index alone,
and still serves what the index on the category alone did.

Revision ID: 0008
Revises: 0007
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index('ix_nominations_category_state_newest', 'nominations',
                    ['category_id', 'state', 'submitted_on', 'id'], unique=False)
    op.drop_index('ix_nominations_category_id', table_name='nominations')


def downgrade() -> None:
    op.create_index('ix_nominations_category_id', 'nominations', ['category_id'], unique=False)
    op.drop_index('ix_nominations_category_state_newest', table_name='nominations')
