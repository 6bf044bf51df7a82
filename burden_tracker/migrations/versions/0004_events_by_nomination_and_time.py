"""events by nomination and time

The reports look up each nomination's last move before a quarter ended; with separate indexes
on nomination_id and at, PostgreSQL sometimes combined both and took a minute at 100,000
nominations. One index on (nomination_id, at) serves that and every lookup by nomination.

Revision ID: 0004
Revises: 0003
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


# Plain index operations: a batch (table copy) on SQLite would drop the events' append-only triggers.
def upgrade() -> None:
    op.create_index('ix_events_nomination_at', 'events', ['nomination_id', 'at'], unique=False)
    op.drop_index('ix_events_nomination_id', table_name='events')


def downgrade() -> None:
    op.create_index('ix_events_nomination_id', 'events', ['nomination_id'], unique=False)
    op.drop_index('ix_events_nomination_at', table_name='events')
