"""Addresses that leave the site in an email: a page of this app under BASE_URL, built from its route as url_for
builds every other address.

A request's Host and X-Forwarded-Host are the client's word, and whoever sent it would choose where everyone's
links point; so an emailed address is built against the configured BASE_URL alone. It works outside a request too:
notices are emailed once the response has gone.
"""

from urllib.parse import urlsplit

from flask import current_app, url_for


def emailed_address(endpoint: str, **values) -> str | None:
    """The page's full address under BASE_URL, or None when the server has no BASE_URL."""
    base_url = current_app.config.get("BASE_URL")
    if not base_url:
        return None
    parts = urlsplit(base_url)
    routes = current_app.url_map.bind(parts.netloc, script_name=parts.path.rstrip("/") or "/",
                                      url_scheme=parts.scheme)
    return routes.build(endpoint, values, force_external=True)


def address_for_provider(endpoint: str, **values) -> str:
    """An address of ours that the sign-in provider sends the browser back to: under BASE_URL when the server has
    one (the provider accepts only the addresses registered with it), else the request's own."""
    return emailed_address(endpoint, **values) or url_for(endpoint, _external=True, **values)
