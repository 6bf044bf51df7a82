"""SQL terms that SQLite and PostgreSQL are best asked in different words.

Each is a SQLAlchemy element compiled one way for PostgreSQL (and any other database) and another for
SQLite; the rows they find are the same on both.
"""

from sqlalchemy import Integer
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


def like_any_case(text, pattern):
    """`text ILIKE pattern`, with / escaping the pattern's own % and _."""
    return _LikeAnyCase(text, pattern)


def before_row_by_row(column, value):
    """`column < value`, which SQLite checks row by row rather than reading as a range of an index."""
    return _BeforeRowByRow(column, value)


def equal_row_by_row(column, value):
    """`column = value`, which SQLite checks row by row rather than reading through an index of the column."""
    return _EqualRowByRow(column, value)


def between_row_by_row(column, first, last):
    """`column BETWEEN first AND last`, which SQLite checks row by row rather than reading as a range of an index."""
    return _BetweenRowByRow(column, first, last)


def days_between(start, end):
    """Whole days from the first date to the second, as an integer: `end - start` for PostgreSQL, which subtracts
    dates; SQLite keeps dates as text and counts days by julianday()."""
    return _DaysBetween(start, end)


def insert_adding(table, keys: list[str], dialect_name: str):
    """INSERT … ON CONFLICT (keys) DO UPDATE SET value = value + the new one: adds to a row, making it when there
    is none, in one statement that is safe with other writers. Both databases say it alike, but SQLAlchemy builds it
    from each one's own module."""
    statement = (postgresql if dialect_name == "postgresql" else sqlite).insert(table)
    return statement.on_conflict_do_update(index_elements=keys, set_={"value": table.value + statement.excluded.value})


class _LikeAnyCase(FunctionElement):
    """SQLAlchemy writes ILIKE for SQLite as lower(text) LIKE lower(pattern). SQLite's LIKE already ignores the
    case of ASCII letters, and its lower() changes nothing else, so plain LIKE finds the same rows without
    copying every title and description it reads: a search of a large department takes half the time."""

    inherit_cache = True


@compiles(_LikeAnyCase)
def _ilike(element, compiler, **kw):
    text, pattern = element.clauses
    return compiler.process(text.ilike(pattern, escape="/"), **kw)


@compiles(_LikeAnyCase, "sqlite")
def _like(element, compiler, **kw):
    text, pattern = element.clauses
    return compiler.process(text.like(pattern, escape="/"), **kw)


class _BeforeRowByRow(FunctionElement):
    """Without statistics SQLite takes any range to be narrow. "Submitted before the stale date" holds for most
    open nominations: read as a range, it made SQLite fetch and sort every overdue nomination of a state to
    show a page sorted by hours, at a cost that grows with the table, instead of walking the hours index (the
    figures: docs/performance.md). A unary + is SQLite's documented way to keep a term off the indexes;
    PostgreSQL plans by its statistics."""

    inherit_cache = True


@compiles(_BeforeRowByRow)
def _before(element, compiler, **kw):
    column, value = element.clauses
    return compiler.process(column < value, **kw)


@compiles(_BeforeRowByRow, "sqlite")
def _before_off_the_index(element, compiler, **kw):
    column, value = element.clauses
    return f"+{compiler.process(column, **kw)} < {compiler.process(value, **kw)}"


class _EqualRowByRow(FunctionElement):
    """Without statistics SQLite prefers any index that starts with an equality. The retired nominations linked to
    an EHR metric are a few among every retired one: read through the state's index, the dashboard fetched and
    sorted every retired nomination twice a page, and grew with the table, instead of reading the few from the
    index on measured_metric (the figures: docs/performance.md)."""

    inherit_cache = True


@compiles(_EqualRowByRow)
def _equal(element, compiler, **kw):
    column, value = element.clauses
    return compiler.process(column == value, **kw)


@compiles(_EqualRowByRow, "sqlite")
def _equal_off_the_index(element, compiler, **kw):
    column, value = element.clauses
    return f"+{compiler.process(column, **kw)} = {compiler.process(value, **kw)}"


class _BetweenRowByRow(FunctionElement):
    """A quarter's retirements, read as a range of the index of retired days, were fetched and sorted whole to find
    the largest five, at a cost that grows with the program; walked along the hours index of the retired, they stop
    at the fifth that falls in the quarter (queries/executive.largest_wins)."""

    inherit_cache = True


@compiles(_BetweenRowByRow)
def _between(element, compiler, **kw):
    column, first, last = element.clauses
    return compiler.process(column.between(first, last), **kw)


@compiles(_BetweenRowByRow, "sqlite")
def _between_off_the_index(element, compiler, **kw):
    column, first, last = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"+{column} BETWEEN {first} AND {last}"


class _DaysBetween(FunctionElement):
    type = Integer()
    inherit_cache = True


@compiles(_DaysBetween)
def _days_from(element, compiler, **kw):
    start, end = (compiler.process(argument, **kw) for argument in element.clauses)
    return f"({end} - {start})"


@compiles(_DaysBetween, "sqlite")
def _days_from_sqlite(element, compiler, **kw):
    start, end = (compiler.process(argument, **kw) for argument in element.clauses)
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"
