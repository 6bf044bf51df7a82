"""Kept figures by site

The reports group by site now (queries/report_groups.GROUPINGS). The kept figures have no "site" grouping yet:
forgotten, they are counted afresh, with it, by the next `burden-tracker init` or the next change; reports count
live until then.

Revision ID: 0036
Revises: 0035
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0036'
down_revision: Union[str, Sequence[str], None] = '0035'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    for table in ('kept_days', 'kept_figures', 'kept_quarters'):
        op.execute(f"DELETE FROM {table}")


def downgrade() -> None:
    for table in ('kept_days', 'kept_figures', 'kept_quarters'):
        op.execute(f"DELETE FROM {table}")
