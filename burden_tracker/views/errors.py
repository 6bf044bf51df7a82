"""Error pages that say what to do next and reveal nothing about the inside.

Every HTTP error, and every exception a view lets escape (Flask turns it into a 500), gets the
same plain page or fragment: no traceback, no exception text, no description from the code that
raised it. The exception itself goes to the log. A handler registered elsewhere for one status
code (say 429) still wins over this one, which is registered for HTTPException as a whole.
"""

from flask import current_app, g, make_response, render_template
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from . import api
from .rendering import wants_fragment

MESSAGES = {
    400: ("This request could not be understood", "Go back and try again."),
    403: ("You do not have access to this page", "Your role does not include it. Ask an administrator if it should."),
    404: ("There is no such page", "Check the address, or start again from the nominations."),
    405: ("That cannot be done here", "Go back and try again."),
    413: ("That was too large to accept", "Send something smaller."),
    429: ("Too many attempts", "Wait a moment, then try again."),
    500: ("Something went wrong on our side", "Nothing was changed. Please try again in a moment."),
}
OTHER_REQUEST_ERROR = ("This request could not be completed", "Go back and try again.")
EXPIRED_FORM = ("This form has expired", "Nothing was saved. Reload the page and send it again.")
# For when the page itself cannot be drawn (the database is down, say): no template, no query.
BARE_PAGE = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} · Burden Tracker</title>'
             '</head><body><main><h1>{title}</h1><p>{advice}</p><p><a href="/">Back to the nominations</a></p>'
             "</main></body></html>")


def words_for(error: HTTPException, code: int) -> tuple[str, str]:
    if isinstance(error, CSRFError):
        return EXPIRED_FORM
    if code in MESSAGES:
        return MESSAGES[code]
    return OTHER_REQUEST_ERROR if code < 500 else MESSAGES[500]


def error_page(error: HTTPException):
    code = error.code or 500
    if api.answers_here():
        if code >= 500:
            forget_unfinished_work()
        return api.http_problem(error)
    title, advice = words_for(error, code)
    if code >= 500:
        forget_unfinished_work()
    response = make_response(draw(title, advice, code), code)
    for name, value in error.get_headers():
        if name.lower() != "content-type":  # Allow on a 405, Retry-After on a 429, ...
            response.headers[name] = value
    response.vary.add("HX-Request")
    return response


def draw(title: str, advice: str, code: int) -> str:
    template = "errors/_error.html" if wants_fragment() else "errors/error.html"
    try:
        return render_template(template, title=title, advice=advice, code=code)
    except Exception:
        current_app.logger.exception("The error page could not be drawn; sending the bare one")
        return BARE_PAGE.format(title=escape(title), advice=escape(advice))


def forget_unfinished_work() -> None:
    """A view that failed half way may leave its transaction open or aborted: end it before the page queries."""
    session = g.get("db_session")
    if session is not None:
        try:
            session.rollback()
        except Exception:
            current_app.logger.exception("Could not roll back after an error")


def init_app(app) -> None:
    app.register_error_handler(HTTPException, error_page)
