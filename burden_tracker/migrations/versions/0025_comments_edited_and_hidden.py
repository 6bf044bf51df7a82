"""Comments edited and hidden

A comment's author may edit it for a while after writing it (marked edited), and the board may hide one, with a
reason its author sees. Who hid it is the event's actor.

Revision ID: 0025
Revises: 0024
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0025'
down_revision: Union[str, Sequence[str], None] = '0024'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN, which SQLite has: a rebuilt table would lose its triggers.
    op.add_column('comments', sa.Column('edited_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.add_column('comments', sa.Column('hidden_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.add_column('comments', sa.Column('hidden_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    for column in ('hidden_reason', 'hidden_at', 'edited_at'):
        op.execute(f"ALTER TABLE comments DROP COLUMN {column}")  # both databases have it: no table rebuilt
