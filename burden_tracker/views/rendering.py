"""One way to answer: the fragment for a real htmx request, the whole page otherwise."""

from datetime import datetime

from flask import g, make_response, render_template
from flask_htmx import HTMX
from markupsafe import Markup

from .. import hours
from ..db import get_session
from ..errors import as_sentence
from ..naming import person_named
from ..queries.reference import for_lists

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


def file_size(size: int) -> str:
    """A file's size as people say it: 840 KB, 3.2 MB."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024)):,} KB"
    return f"{plain(round(size / (1024 * 1024), 1))} MB"


def plain(number) -> str:
    """A typed or derived figure with the decimals that carry information, up to two: 15, 46, 0.4, 1,234.56."""
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def shown_time(moment, *, seconds: bool = False, day_only: bool = False) -> Markup:
    """A stored moment on the organization's clocks (the time_zone setting), as a <time> element that names
    the zone: `{{ shown_time(comment.at) }}`. A day is already the organization's, and shown as it is."""
    if not isinstance(moment, datetime):
        return Markup('<time datetime="{}">{}</time>').format(moment.isoformat(), moment.isoformat())
    local = hours.on_clocks_of(moment, _organization_zone())
    shown = "%Y-%m-%d" if day_only else "%Y-%m-%d %H:%M:%S %Z" if seconds else "%Y-%m-%d %H:%M %Z"
    return Markup('<time datetime="{}">{}</time>').format(local.isoformat(), local.strftime(shown))


def _organization_zone() -> str:
    if "time_zone" not in g:  # once a request: a page may show a hundred moments
        g.time_zone = for_lists(session=get_session()).time_zone
    return g.time_zone


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
