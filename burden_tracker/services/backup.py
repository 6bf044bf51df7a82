"""A consistent copy of a live SQLite database, through SQLite's online backup API."""

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from ..errors import DomainError


def backup_sqlite(database_url: str, target: Path) -> int:
    """Copy while others keep writing; the copy is written beside the target and renamed into place.

    The copy holds what the database holds (password hashes, board notes): it is made readable by its owner only
    before SQLite writes a page of it, and SQLite gives its journal the same mode.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise DomainError("backup copies a SQLite database file; for PostgreSQL use pg_dump.")
    source_path = Path(url.database)
    if not source_path.exists():
        raise DomainError(f"There is no database at {source_path}.")
    target = target.resolve()
    draft = target.with_name(f".{target.name}.partial")
    draft.unlink(missing_ok=True)
    os.close(os.open(draft, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    source = sqlite3.connect(source_path)
    copy = sqlite3.connect(draft)
    try:
        source.backup(copy)
        pages = copy.execute("PRAGMA page_count").fetchone()[0]
    finally:
        copy.close()
        source.close()
    draft.replace(target)
    return pages
