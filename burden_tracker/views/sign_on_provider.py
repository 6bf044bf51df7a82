"""The organization's OpenID Connect provider, as Authlib's client of it: registered when OIDC_ISSUER is set.

Kept apart from the sign-in routes (views/sso.py) so that signing out (views/auth.py) can continue at the provider
without the two modules importing each other.
"""

from urllib.parse import urlsplit

from flask import current_app
from requests import RequestException

from ..addresses import address_for_provider

SCOPES = "openid email profile"
TIMEOUT_SECONDS = 10  # the provider answers within seconds, or the person is told it did not


def init_app(app) -> None:
    if app.config["OIDC_ISSUER"]:
        from authlib.integrations.flask_client import OAuth  # only where single sign-on is on

        issuer = app.config["OIDC_ISSUER"].rstrip("/")
        app.extensions["sso_provider"] = OAuth(app).register(
            "provider", client_id=app.config["OIDC_CLIENT_ID"], client_secret=app.config["OIDC_CLIENT_SECRET"],
            server_metadata_url=f"{issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": SCOPES, "code_challenge_method": "S256", "default_timeout": TIMEOUT_SECONDS})


def provider():
    """Authlib's client of the provider, or None when single sign-on is off."""
    return current_app.extensions.get("sso_provider")


def provider_name() -> str:
    return current_app.config["OIDC_PROVIDER_NAME"]


def logout_address(id_token: str | None) -> str | None:
    """Where signing out continues, at the provider, when this session began there and the provider offers it."""
    client = provider()
    if client is None or not id_token:
        return None
    try:
        end_session = client.load_server_metadata().get("end_session_endpoint")
    except (RequestException, ValueError):
        current_app.logger.warning("The sign-in provider did not answer: signed out here only", exc_info=True)
        return None
    if not end_session or not _same_origin(end_session, current_app.config["OIDC_ISSUER"]):
        return None  # only the issuer's origin is allowed after a form (security.py), so it is signed out here only
    return client.create_logout_url(
        post_logout_redirect_uri=address_for_provider("auth.login", signed_out="yes"), id_token_hint=id_token,
        client_id=current_app.config["OIDC_CLIENT_ID"])["url"]


def _same_origin(one: str, other: str) -> bool:
    first, second = urlsplit(one), urlsplit(other)
    return (first.scheme, first.netloc) == (second.scheme, second.netloc)
