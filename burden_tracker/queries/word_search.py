"""Whole words in nominations' titles and descriptions, ranked by the database's own text search.

LIKE matched parts of words ("test" found "attestation") and could not rank. Each database now reads the words
it keeps (migration 0024): PostgreSQL a GIN index on its English text-search vector, title weighted A and
description B; SQLite an FTS5 table with the Porter stemmer, kept in step with the nominations by triggers.
Both stem a word ("alerts" finds "alert") and match only whole words. The words given are letters only
(queries/similar.meaningful_words), so nothing in them is text-search syntax.
"""

from sqlalchemy import Select, column, func, literal_column, select, table

from ..models import Nomination

# Exactly the expression migration 0024 indexes: PostgreSQL uses the index only for the same expression.
_DOCUMENT = literal_column(
    "setweight(to_tsvector('english'::regconfig, nominations.title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, nominations.description), 'B')")
_WORDS = table("nomination_words", column("rowid"))
_TITLE_COUNTS_TWICE = (2.0, 1.0)  # bm25's weights of the FTS5 table's columns: title, description


def with_any_word(query: Select, dialect: str, words: list[str]) -> Select:
    """The query narrowed to nominations holding any of the words, best matches first."""
    if dialect == "sqlite":
        matches = " OR ".join(f'"{word}"' for word in words)
        ranked = (select(_WORDS.c.rowid.label("id"),
                         func.bm25(literal_column("nomination_words"), *_TITLE_COUNTS_TWICE).label("rank"))
                  .where(literal_column("nomination_words").op("MATCH")(matches))
                  .subquery("matched_words"))
        return query.join(ranked, ranked.c.id == Nomination.id).order_by(ranked.c.rank)  # bm25: lower is better
    words_query = func.to_tsquery(literal_column("'english'::regconfig"), " | ".join(words))
    return query.where(_DOCUMENT.op("@@")(words_query)).order_by(func.ts_rank(_DOCUMENT, words_query).desc())
