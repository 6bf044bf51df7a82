"""newest from the index

The unfiltered list, newest first, reads a page's ids by submitted_on and then id. Indexing both lets
PostgreSQL take them from the index alone, in order, instead of fetching and sorting each row on the way
(SQLite's index already held the id, as its rowid).

Revision ID: 0007
Revises: 0006
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index('ix_nominations_newest', 'nominations', ['submitted_on', 'id'], unique=False)
    op.drop_index('ix_nominations_submitted_on', table_name='nominations')


def downgrade() -> None:
    op.create_index('ix_nominations_submitted_on', 'nominations', ['submitted_on'], unique=False)
    op.drop_index('ix_nominations_newest', table_name='nominations')
