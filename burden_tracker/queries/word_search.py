"""Whole words in nominations' titles and descriptions, and in imported burden cards' titles and what was done,
ranked by the database's own text search.

LIKE matched parts of words ("test" found "attestation") and could not rank. Each database now reads the words
it keeps (migration 0024): PostgreSQL a GIN index on its English text-search vector, title weighted A and
description B; SQLite an FTS5 table with the Porter stemmer, kept in step with the nominations by triggers.
Both stem a word ("alerts" finds "alert") and match only whole words. Migration 0040 keeps the cards' words the
same way. The words given are letters only (queries/similar.meaningful_words), so nothing in them is text-search
syntax.
"""

from sqlalchemy import Select, column, func, literal_column, select, table

from ..models import CommonsCard, Nomination

# Exactly the expressions migrations 0024 and 0040 index: PostgreSQL uses an index only for the same expression.
_DOCUMENT = literal_column(
    "setweight(to_tsvector('english'::regconfig, nominations.title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, nominations.description), 'B')")
_CARD_DOCUMENT = literal_column(
    "setweight(to_tsvector('english'::regconfig, commons_cards.title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, commons_cards.what_was_done), 'B')")
_TITLE_COUNTS_TWICE = (2.0, 1.0)  # bm25's weights of the FTS5 tables' columns: the title, then the text


def with_any_word(query: Select, dialect: str, words: list[str]) -> Select:
    """The query narrowed to nominations holding any of the words, best matches first."""
    return _ranked(query, dialect, words, Nomination.id, "nomination_words", _DOCUMENT)


def cards_with_any_word(query: Select, dialect: str, words: list[str]) -> Select:
    """The query narrowed to imported burden cards holding any of the words, best matches first."""
    return _ranked(query, dialect, words, CommonsCard.id, "commons_card_words", _CARD_DOCUMENT)


def _ranked(query: Select, dialect: str, words: list[str], row_id, words_table: str, document) -> Select:
    if dialect == "sqlite":
        kept = table(words_table, column("rowid"))
        matches = " OR ".join(f'"{word}"' for word in words)
        ranked = (select(kept.c.rowid.label("id"),
                         func.bm25(literal_column(words_table), *_TITLE_COUNTS_TWICE).label("rank"))
                  .where(literal_column(words_table).op("MATCH")(matches))
                  .subquery("matched_words"))
        return query.join(ranked, ranked.c.id == row_id).order_by(ranked.c.rank)  # bm25: lower is better
    words_query = func.to_tsquery(literal_column("'english'::regconfig"), " | ".join(words))
    return query.where(document.op("@@")(words_query)).order_by(func.ts_rank(document, words_query).desc())
