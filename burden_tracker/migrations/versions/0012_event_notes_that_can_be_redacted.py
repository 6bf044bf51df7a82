"""event notes that can be redacted

An event's words move out of the append-only events table into event_notes, which the event points to, so
that the board can redact a text that should never have been typed while the events themselves never change.
Each existing note keeps its event's id as its own.

Revision ID: 0012
Revises: 0011
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

from burden_tracker.models import EVENT_TRIGGERS


revision: str = '0012'
down_revision: Union[str, Sequence[str], None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Events are append-only (a trigger refuses UPDATE): the trigger steps aside for the moves below only.
EVENTS_WRITABLE = {"sqlite": ["DROP TRIGGER IF EXISTS events_no_update"],
                   "postgresql": ["ALTER TABLE events DISABLE TRIGGER events_append_only"]}
EVENTS_APPEND_ONLY = {"sqlite": [EVENT_TRIGGERS["sqlite"][0]],
                      "postgresql": ["ALTER TABLE events ENABLE TRIGGER events_append_only"]}


def _with_events_writable(*statements: str) -> None:
    dialect = op.get_bind().dialect.name
    for statement in [*EVENTS_WRITABLE[dialect], *statements, *EVENTS_APPEND_ONLY[dialect]]:
        op.execute(statement)


def upgrade() -> None:
    op.create_table(
        'event_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('redacted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('redacted_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['redacted_by_id'], ['users.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    # Plain statements: a batch (table copy) on SQLite would drop the events' append-only triggers.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE events ADD COLUMN note_id INTEGER REFERENCES event_notes (id)")
    else:
        op.add_column('events', sa.Column('note_id', sa.Integer(), sa.ForeignKey('event_notes.id'), nullable=True))
    op.execute("INSERT INTO event_notes (id, body) SELECT id, note FROM events WHERE note IS NOT NULL AND note <> ''")
    _with_events_writable("UPDATE events SET note_id = id WHERE note IS NOT NULL AND note <> ''")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('event_notes', 'id'), "
                   "(SELECT coalesce(max(id), 0) + 1 FROM event_notes), false)")
    op.execute("ALTER TABLE events DROP COLUMN note")


def downgrade() -> None:
    op.add_column('events', sa.Column('note', sa.Text(), nullable=True))
    _with_events_writable("UPDATE events SET note = "
                          "(SELECT body FROM event_notes WHERE event_notes.id = events.note_id)")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops a column that holds a foreign key only by copying the table, which loses its triggers.
        with op.batch_alter_table('events') as batch_op:
            batch_op.drop_column('note_id')
        for statement in EVENT_TRIGGERS["sqlite"]:
            op.execute(statement)
    else:
        op.drop_column('events', 'note_id')
    op.drop_table('event_notes')
