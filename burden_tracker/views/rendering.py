"""One way to answer: the fragment for a real htmx request, the whole page otherwise."""

from flask import make_response, render_template

from . import htmx


def wants_fragment() -> bool:
    """A real htmx swap; boosted links and history restores (back, forward) want the whole page."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(page: str, fragment: str, status: int = 200, **context):
    response = make_response(render_template(fragment if wants_fragment() else page, **context), status)
    response.vary.add("HX-Request")
    return response
