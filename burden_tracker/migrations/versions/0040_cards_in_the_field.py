"""Cards in the field: the words of imported burden cards, and the card a nomination started from

Cards retired elsewhere are offered while a nomination is typed, found like similar nominations
(migration 0024): a GIN index on the words of the title (weight A) and what was done (weight B) in PostgreSQL, an
FTS5 table kept in step by triggers in SQLite. queries/word_search.py asks for exactly this expression, and
migrations/env.py leaves these objects out of the comparison with the models.

`nominations.from_card_id` is added with a plain ALTER TABLE, so that SQLite keeps the nominations' triggers
(a batch rebuild would drop them).

Revision ID: 0040
Revises: 0039
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0040'
down_revision: Union[str, Sequence[str], None] = '0039'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

POSTGRESQL_DOCUMENT = ("setweight(to_tsvector('english'::regconfig, title), 'A') || "
                       "setweight(to_tsvector('english'::regconfig, what_was_done), 'B')")
SQLITE_WORDS = [
    "CREATE VIRTUAL TABLE commons_card_words USING fts5(title, what_was_done, content='commons_cards', "
    "content_rowid='id', tokenize='porter unicode61', detail=column)",
    "CREATE TRIGGER commons_card_words_added AFTER INSERT ON commons_cards BEGIN "
    "INSERT INTO commons_card_words(rowid, title, what_was_done) VALUES (new.id, new.title, new.what_was_done); END",
    "CREATE TRIGGER commons_card_words_removed AFTER DELETE ON commons_cards BEGIN "
    "INSERT INTO commons_card_words(commons_card_words, rowid, title, what_was_done) "
    "VALUES ('delete', old.id, old.title, old.what_was_done); END",
    "CREATE TRIGGER commons_card_words_changed AFTER UPDATE OF title, what_was_done ON commons_cards BEGIN "
    "INSERT INTO commons_card_words(commons_card_words, rowid, title, what_was_done) "
    "VALUES ('delete', old.id, old.title, old.what_was_done); "
    "INSERT INTO commons_card_words(rowid, title, what_was_done) VALUES (new.id, new.title, new.what_was_done); END",
    "INSERT INTO commons_card_words(commons_card_words) VALUES ('rebuild')",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE nominations ADD COLUMN from_card_id INTEGER REFERENCES commons_cards (id)")
        for statement in SQLITE_WORDS:
            op.execute(statement)
    else:
        op.add_column("nominations", sa.Column("from_card_id", sa.Integer(), nullable=True))
        op.create_foreign_key("nominations_from_card_id_fkey", "nominations", "commons_cards",
                              ["from_card_id"], ["id"])
        op.execute(f"CREATE INDEX ix_commons_cards_words ON commons_cards USING gin (({POSTGRESQL_DOCUMENT}))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("added", "removed", "changed"):
            op.execute(f"DROP TRIGGER IF EXISTS commons_card_words_{trigger}")
        op.execute("DROP TABLE IF EXISTS commons_card_words")
    else:
        op.execute("DROP INDEX IF EXISTS ix_commons_cards_words")
    op.execute("ALTER TABLE nominations DROP COLUMN from_card_id")  # both databases have it: no table rebuilt
