"""Words of nominations

Similar nominations are found by whole words, ranked by the database's own text search: a GIN index on the
words of the title (weight A) and description (weight B) in PostgreSQL, and an FTS5 table kept in step by
triggers in SQLite (detail=column: no positions, which only phrase searches need). queries/word_search.py
asks for exactly this expression; the index is written here by hand, and migrations/env.py leaves these objects
out of the comparison with the models. A later migration that rebuilds the nominations table in SQLite (batch
mode) must write these triggers again.

Revision ID: 0024
Revises: 0023
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0024'
down_revision: Union[str, Sequence[str], None] = '0023'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

POSTGRESQL_DOCUMENT = ("setweight(to_tsvector('english'::regconfig, title), 'A') || "
                       "setweight(to_tsvector('english'::regconfig, description), 'B')")
SQLITE_WORDS = [
    "CREATE VIRTUAL TABLE nomination_words USING fts5(title, description, content='nominations', "
    "content_rowid='id', tokenize='porter unicode61', detail=column)",
    "CREATE TRIGGER nomination_words_added AFTER INSERT ON nominations BEGIN "
    "INSERT INTO nomination_words(rowid, title, description) VALUES (new.id, new.title, new.description); END",
    "CREATE TRIGGER nomination_words_removed AFTER DELETE ON nominations BEGIN "
    "INSERT INTO nomination_words(nomination_words, rowid, title, description) "
    "VALUES ('delete', old.id, old.title, old.description); END",
    "CREATE TRIGGER nomination_words_changed AFTER UPDATE OF title, description ON nominations BEGIN "
    "INSERT INTO nomination_words(nomination_words, rowid, title, description) "
    "VALUES ('delete', old.id, old.title, old.description); "
    "INSERT INTO nomination_words(rowid, title, description) VALUES (new.id, new.title, new.description); END",
    "INSERT INTO nomination_words(nomination_words) VALUES ('rebuild')",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_WORDS:
            op.execute(statement)
    else:
        op.execute(f"CREATE INDEX ix_nominations_words ON nominations USING gin (({POSTGRESQL_DOCUMENT}))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("added", "removed", "changed"):
            op.execute(f"DROP TRIGGER IF EXISTS nomination_words_{trigger}")
        op.execute("DROP TABLE IF EXISTS nomination_words")
    else:
        op.execute("DROP INDEX IF EXISTS ix_nominations_words")
