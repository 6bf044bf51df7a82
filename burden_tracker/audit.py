"""The security trail: one line per sign-in, sign-out, expired session, rate limit, refusal and admin change.

Each line is kept twice: in the table audit_entries, which administrators read on /admin/audit and which is
purged after the retention period in the settings (services/audit_trail.py), and in the log. A request's lines
are stored once its response has been sent, through a session of their own: the request's own session may hold
SQLite's write lock, or be READ ONLY on PostgreSQL, or be rolled back. Admin changes are stored by the service
that makes them, in its own transaction.

In the log, each line is one JSON object, written to the logger "burden_tracker.audit" (standard error by default, which
gunicorn keeps with its own log; add handlers to that logger to send it elsewhere). JSON is the escaping: a
CR or LF, any other control character and anything outside ASCII that a person typed (an email, a path)
comes out as a \\uXXXX escape, so no value can end a line early or forge one.

    {"time": "2026-05-04T09:12:03.412Z", "event": "sign-in refused", "email": "nurse@example.org",
     "user_id": null, "address": "10.0.4.7", "method": "POST", "path": "/login", "detail": null, "pid": 4242}

(on one line). time is UTC; pid tells which worker process wrote it.
"""

import hashlib
import json
import logging
import os
from datetime import UTC, datetime

from flask import current_app, g, has_app_context, has_request_context, request
from flask.logging import wsgi_errors_stream

from .db import open_session
from .enums import AuditKind
from .services.audit_trail import store_entries

logger = logging.getLogger("burden_tracker.audit")

SIGN_IN_OK = AuditKind.SIGN_IN_OK
SIGN_IN_REFUSED = AuditKind.SIGN_IN_REFUSED
RATE_LIMITED = AuditKind.RATE_LIMITED
FORBIDDEN = AuditKind.FORBIDDEN
CSRF_REFUSED = AuditKind.CSRF_REFUSED
SIGNED_OUT = AuditKind.SIGNED_OUT
SESSION_EXPIRED = AuditKind.SESSION_EXPIRED
INVITE_REFUSED = AuditKind.INVITE_REFUSED
RESET_ASKED = AuditKind.RESET_ASKED
PASSWORD_CHANGED = AuditKind.PASSWORD_CHANGED
SECOND_FACTOR = AuditKind.SECOND_FACTOR
API_TOKEN = AuditKind.API_TOKEN

MAX_VALUE = 320  # an email is at most 254; a path or a reason longer than this is cut, and says so


def record(event: AuditKind, *, email: str | None = None, user_id: int | None = None,
           detail: str | None = None) -> None:
    """Callers pass who it was: reading current_user here could re-enter Flask-Login's user loader."""
    now = datetime.now(UTC)
    fields = {"time": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
              "event": event, "email": _cut(email), "user_id": user_id}
    if has_request_context():
        fields |= {"address": request.remote_addr, "method": request.method, "path": _cut(_path())}
    fields |= {"detail": _cut(detail), "pid": os.getpid()}
    logger.info(json.dumps(fields, ensure_ascii=True))
    entry = {"at": now, "kind": AuditKind(event), "user_id": user_id, "email": fields["email"],
             "address": fields.get("address"), "method": fields.get("method"), "path": fields.get("path"),
             "detail": fields["detail"]}
    if has_request_context():
        g.setdefault("audit_entries", []).append(entry)
    elif has_app_context():
        _store(current_app._get_current_object(), [entry])


def _store_once_sent(response):
    """Registered before every hook that records, so that it runs after them (Flask runs them last first)."""
    entries = g.pop("audit_entries", None)
    if entries:
        app = current_app._get_current_object()
        response.call_on_close(lambda: _store(app, entries))
    return response


def _store(app, entries: list[dict]) -> None:
    try:
        with app.app_context(), open_session(app.extensions["db_engine"]) as session:
            store_entries(session=session, entries=entries)
    except Exception:  # after the response, nobody is left to tell; the lines are in the log all the same
        logger.exception("Could not store %d line(s) of the security trail", len(entries))


def _path() -> str:
    """The path asked for; for a nomination, its route without the id. A line that tied a person to one
    nomination could name an anonymous submitter: trying to withdraw it, say, is what only they would do."""
    if request.url_rule is not None and "nomination_id" in (request.view_args or {}):
        return request.url_rule.rule
    return request.path


def attempted_email(value, *, known: bool) -> str | None:
    """What was typed as the email when it names an account. Anything else may be a password typed in the
    wrong field (P@ssw0rd looks like an address), so it is logged only as a short hash: repeated guesses
    can still be told apart, the text cannot be read back."""
    if not isinstance(value, str):
        return None
    if known:
        return value
    return "unknown:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _cut(value: str | None) -> str | None:
    if value is None or len(value) <= MAX_VALUE:
        return value
    return value[:MAX_VALUE] + "…[cut]"


class _CsrfRefusals(logging.Handler):
    """Flask-WTF says why it refused a token on its logger "flask_wtf.csrf", from inside the request: that is
    the one place a CSRF refusal can be seen without taking over the error page that answers it."""

    def emit(self, log_record: logging.LogRecord) -> None:
        if has_request_context():
            from flask_login import current_user  # loading the user may record activity: views.auth lets that fail

            user_id = current_user.id if current_user.is_authenticated else None
            record(CSRF_REFUSED, user_id=user_id, detail=log_record.getMessage())


def init_app(app) -> None:
    """Logging is per process, not per app: set it up once, however many apps a process makes (tests)."""
    app.after_request(_store_once_sent)
    if not logger.handlers:
        handler = logging.StreamHandler(wsgi_errors_stream)  # the request's error stream, as Flask's own logger
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False  # the line is complete as it is; a root handler would print it twice
    csrf_logger = logging.getLogger("flask_wtf.csrf")
    if not any(isinstance(handler, _CsrfRefusals) for handler in csrf_logger.handlers):
        csrf_logger.addHandler(_CsrfRefusals())
        if csrf_logger.level == logging.NOTSET or csrf_logger.level > logging.INFO:
            csrf_logger.setLevel(logging.INFO)
