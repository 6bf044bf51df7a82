"""How a retirement resolved its burden

Each retirement records its outcome: removed, replaced, reduced, restricted or clarified. Burdens retired before
this was asked keep none ("not recorded" in the reports), and the reports count by outcome.

Revision ID: 0034
Revises: 0033
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0034'
down_revision: Union[str, Sequence[str], None] = '0033'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN, which SQLite has: a rebuilt table would lose its triggers.
    op.add_column('nominations', sa.Column('outcome', sa.Enum('removed', 'replaced', 'reduced', 'restricted',
                                                              'clarified', name='outcome', native_enum=False,
                                                              length=32), nullable=True))
    # The kept figures have no "outcome" grouping yet: forgotten, they are counted afresh (with it) by the next
    # `burden-tracker init` or the next change; reports count live until then.
    for table in ('kept_days', 'kept_figures', 'kept_quarters'):
        op.execute(f"DELETE FROM {table}")


def downgrade() -> None:
    op.execute("ALTER TABLE nominations DROP COLUMN outcome")  # both databases have it: no table rebuilt
