"""the organization's time zone

What "today" and a day are, for the quarter under way and the lists' ages, was the server's date. A health system
runs on its own clocks: the setting says which (an IANA name such as America/Chicago). Existing programs keep UTC
until an admin sets it.

Revision ID: 0013
Revises: 0012
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0013'
down_revision: Union[str, Sequence[str], None] = '0012'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('settings', sa.Column('time_zone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False,
                                        server_default='UTC'))


def downgrade() -> None:
    # A plain statement on both databases: a batch (table copy) on SQLite would drop the reference stamp's triggers.
    op.execute("ALTER TABLE settings DROP COLUMN time_zone")
