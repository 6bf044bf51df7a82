"""Error pages that say what to do next and reveal nothing about the inside."""

from flask import render_template
from flask_wtf.csrf import CSRFError

from .rendering import wants_fragment

MESSAGES = {
    400: ("This request could not be understood", "Go back and try again."),
    403: ("You do not have access to this page", "Your role does not include it. Ask an administrator if it should."),
    404: ("There is no such page", "Check the address, or start again from the nominations."),
    405: ("That cannot be done here", "Go back and try again."),
    413: ("That was too large to accept", "Send something smaller."),
    500: ("Something went wrong on our side", "Nothing was changed. Please try again in a moment."),
}


def error_page(error):
    code = getattr(error, "code", 500) or 500
    title, advice = MESSAGES.get(code, MESSAGES[500])
    if isinstance(error, CSRFError):
        title, advice = "This form has expired", "Nothing was saved. Reload the page and send it again."
    template = "errors/_error.html" if wants_fragment() else "errors/error.html"
    return render_template(template, title=title, advice=advice, code=code), code


def init_app(app) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, error_page)
    app.register_error_handler(CSRFError, error_page)
