"""One way to answer: the fragment for a real htmx request, the whole page otherwise."""

from flask import make_response, render_template
from flask_htmx import HTMX

from ..errors import as_sentence
from ..naming import person_named

htmx = HTMX()  # bound to the app by views.init_app


def wants_fragment() -> bool:
    """A real htmx swap; boosted links and history restores (back, forward) want the whole page."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(page: str, fragment: str, status: int = 200, **context):
    response = make_response(render_template(fragment if wants_fragment() else page, **context), status)
    response.vary.add("HX-Request")
    return response


# Numbers as pages show them, with thousands separated: `{{ hours|whole }}`.
def whole(number) -> str:
    return f"{number:,.0f}"


def tenths(number) -> str:
    return f"{number:,.1f}"


def thousands(count) -> str:
    return f"{count:,}"


def named(person, unknown: str = "unknown") -> str:
    """A person acting as themselves (an administrator, a user's own page), named by the one rule."""
    return person_named(person.name, person.email) if person else unknown


def show_errors(form, error) -> None:
    """A refused change's messages (errors.DomainError), each beside its field."""
    for name, message in error.fields.items():
        if name in form:
            form[name].errors = [as_sentence(message)]


# A browser as people know it, from its User-Agent: `{{ session.user_agent|browser_named }}`. The first match wins,
# so Edge (which also says Chrome and Safari) comes before Chrome, and Chrome before Safari.
BROWSERS = (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"),
           ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def browser_named(user_agent: str | None) -> str:
    if not user_agent:
        return "An unknown browser"
    browser = next((name for mark, name in BROWSERS if mark in user_agent), "A browser")
    system = next((name for mark, name in SYSTEMS if mark in user_agent), None)
    return f"{browser} on {system}" if system else browser
