"""the capacity people acted in

Each event and comment records whether its person acted as the board or as the nomination's submitter,
so that naming them (naming.py) never guesses it: a board member who submitted anonymously and then
evaluates their own nomination is named for the evaluation, and stays unnamed as its submitter.

Existing rows are filled in from what they can only have been: a withdrawal is the submitter's (the one
move a submitter makes), every other move the board's, and a comment is the submitter's when its author
submitted the nomination. Imports, merges and administration name no person and stay NULL.

Revision ID: 0009
Revises: 0008
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ACTOR = sa.Enum('board', 'submitter', name='actor', native_enum=False, length=32)
# Events are append-only (a trigger refuses UPDATE): the trigger steps aside for the fill below only.
EVENTS_WRITABLE = {"sqlite": ["DROP TRIGGER events_no_update"],
                   "postgresql": ["ALTER TABLE events DISABLE TRIGGER events_append_only"]}
EVENTS_APPEND_ONLY = {
    "sqlite": ["CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
               "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"],
    "postgresql": ["ALTER TABLE events ENABLE TRIGGER events_append_only"],
}


def upgrade() -> None:
    # Plain column operations: a batch (table copy) on SQLite would drop the events' append-only triggers.
    op.add_column('events', sa.Column('acted_as', ACTOR, nullable=True))
    op.add_column('comments', sa.Column('acted_as', ACTOR, nullable=True))
    dialect = op.get_bind().dialect.name
    for statement in EVENTS_WRITABLE[dialect]:
        op.execute(statement)
    op.execute("UPDATE events SET acted_as = CASE WHEN to_state = 'withdrawn' THEN 'submitter' ELSE 'board' END "
               "WHERE kind = 'moved'")
    for statement in EVENTS_APPEND_ONLY[dialect]:
        op.execute(statement)
    op.execute("UPDATE comments SET acted_as = 'submitter' WHERE author_id = "
               "(SELECT submitter_id FROM nominations WHERE nominations.id = comments.nomination_id)")


def downgrade() -> None:
    op.drop_column('comments', 'acted_as')
    op.drop_column('events', 'acted_as')
