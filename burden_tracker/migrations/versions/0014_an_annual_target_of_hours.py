"""an annual target of hours given back

Executives sign the hours given back against a goal. The program's target, in hours realized in a fiscal year,
is a setting; there is none until an admin sets one.

Revision ID: 0014
Revises: 0013
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0014'
down_revision: Union[str, Sequence[str], None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('settings', sa.Column('annual_target_hours', sa.Float(), nullable=True))


def downgrade() -> None:
    # A plain statement on both databases: a batch (table copy) on SQLite would drop the reference stamp's triggers.
    op.execute("ALTER TABLE settings DROP COLUMN annual_target_hours")
