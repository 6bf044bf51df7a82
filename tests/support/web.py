"""Helpers for driving the app through Flask's test client as a browser would, CSRF tokens included."""

import re
from contextlib import contextmanager

from sqlalchemy import event, func, select

from burden_tracker.services.users import hash_password

PASSWORD = "a test password"
ACCOUNT_MESSAGE = "Too many failed sign-ins for this account. Try again in 15 minutes."
_PAGER = re.compile(r'<a href="([^"]+)" hx-get="\1" rel="(prev|next)"')
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken": "([^"]+)"')
_hash = None


def password_hash() -> str:
    global _hash
    _hash = _hash or hash_password(PASSWORD)
    return _hash


def csrf_token(client, path: str = "/login") -> str:
    match = _TOKEN.search(client.get(path).get_data(as_text=True))
    return match[1] or match[2]


def sign_in(client, email: str, password: str = PASSWORD):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


HTMX = {"HX-Request": "true"}  # the header htmx sends, so the app answers with the fragment


def count(session, model, **where) -> int:
    """How many rows of model match where (column=value). The read's transaction is ended after it: on SQLite an
    open one would hold the lock the app needs."""
    query = select(func.count()).select_from(model)
    for column, value in where.items():
        query = query.where(getattr(model, column) == value)
    found = session.scalar(query)
    session.commit()
    return found


def pager_links(page: str) -> dict[str, str]:
    """A list's links to the previous and next page: {"prev": address, "next": address}, those it has."""
    return {rel: href for href, rel in _PAGER.findall(page)}


@contextmanager
def statements_run(engine):
    """The SQL statements the engine runs inside the block, as a list that fills while it runs."""
    statements = []

    def keep(_connection, _cursor, statement, *_rest):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", keep)


def statements_for(app, client, address: str) -> int:
    """How many statements a page runs once warm: a worker's first page after a change of reference data also
    reads it."""
    client.get(address)
    with statements_run(app.extensions["db_engine"]) as statements:
        assert client.get(address).status_code == 200
    return len(statements)


def fragment_of(client, address: str):
    """An htmx request's answer, checked to be a fragment that caches keep apart from the whole page; with its
    text."""
    response = client.get(address, headers=HTMX)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.vary and "<html" not in text
    return response, text
