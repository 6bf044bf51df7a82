"""Due dates and last moves

A nomination is overdue when its evaluation is past the due day the board set, or, without one, when it has not
moved for the settings' stale_after_days: these columns hold the due day, the day of its last move, and the due
day its owner was last reminded of; the lists' indexes end with them, so that the board's overdue pages and tabs
read them from an index rather than from each row. The day of the last move is filled from the history, as the UTC
day of the event (the organization's zone was not kept with it); a nomination never moved keeps NULL and counts
from its submission.

Revision ID: 0029
Revises: 0028
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0029'
down_revision: Union[str, Sequence[str], None] = '0028'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COLUMNS = ('due_on', 'moved_on', 'reminded_of_due_on')
# The lists' indexes (0005, 0008): each ends with the new columns, which the board's overdue pages and tabs read.
MINUTES_A_WEEK = ("coalesce(board_minutes_per_occurrence, minutes_per_occurrence)"
                  " * coalesce(board_occurrences_per_week, occurrences_per_week)"
                  " * coalesce(board_clinicians_affected, clinicians_affected)")  # models.MINUTES_A_WEEK
ORDERS = {"newest": [], "hours": [sa.text(f"({MINUTES_A_WEEK})")], "supporters": ["supporters_count"]}
LISTS = {**{f'ix_nominations_state_{order}': ['state', *first] for order, first in ORDERS.items()},
         **{f'ix_nominations_department_state_{order}': ['department_id', 'state', *first]
            for order, first in ORDERS.items()},
         'ix_nominations_category_state_newest': ['category_id', 'state']}
EVENT_DAY = {"sqlite": "date(events.at)", "postgresql": "CAST(events.at AS DATE)"}


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN, which SQLite has: a rebuilt table would lose its triggers.
    for column in COLUMNS:
        op.add_column('nominations', sa.Column(column, sa.Date(), nullable=True))
    day = EVENT_DAY[op.get_bind().dialect.name]
    op.execute(f"UPDATE nominations SET moved_on = (SELECT max({day}) FROM events WHERE events.nomination_id = "
               "nominations.id AND events.kind = 'moved')")
    for name, first in LISTS.items():
        op.drop_index(name, table_name='nominations')
        op.create_index(name, 'nominations', [*first, 'submitted_on', 'id', 'due_on', 'moved_on'])


def downgrade() -> None:
    for name, first in LISTS.items():
        op.drop_index(name, table_name='nominations')
        op.create_index(name, 'nominations', [*first, 'submitted_on', 'id'])
    for column in reversed(COLUMNS):
        op.execute(f"ALTER TABLE nominations DROP COLUMN {column}")  # both databases have it: no table rebuilt
