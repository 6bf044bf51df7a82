"""Kept retirements by day

The kept figures now count how many retirements begin to count on each day, beside their hours, so that Wins
reads its headline from them (queries/kept_figures.retired_by_outcome). Forgotten, they are counted afresh, with
it, by the `burden-tracker init` that runs this migration (in one transaction: on SQLite it holds the write lock
for about 20 s at 100,000 nominations); reports and Wins count live until then.

Revision ID: 0042
Revises: 0041
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0042'
down_revision: Union[str, Sequence[str], None] = '0041'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    for table in ('kept_days', 'kept_figures', 'kept_quarters'):
        op.execute(f"DELETE FROM {table}")


def downgrade() -> None:
    for table in ('kept_days', 'kept_figures', 'kept_quarters'):
        op.execute(f"DELETE FROM {table}")
