"""Single sign-on with OpenID Connect: on when OIDC_ISSUER is set.

Authlib speaks to the provider: discovery from the issuer, the authorization code flow with PKCE, a state and a
nonce kept in this browser's session cookie, and the ID token checked against the provider's published keys, its
issuer, our client id as audience, its expiry and the nonce. What the token says of the person then goes to
services/single_sign_on.py, which opens, links or refuses the account. Every refusal gets a page that says what
happened, and a line in the security trail.
"""

from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from flask import Blueprint, abort, current_app, render_template, request, session, url_for
from flask_login import current_user, login_user
from joserfc.errors import BadSignatureError, ClaimError, ExpiredTokenError, JoseError
from requests import RequestException

from .. import audit
from ..addresses import address_for_provider
from ..db import get_session
from ..services import auth, single_sign_on
from ..services.single_sign_on import ProviderClaims, SignOnRefused
from . import sign_on_provider
from .auth import Account, safe_next, session_policy, where_from, writing_session
from .sign_on_provider import provider, provider_name

bp = Blueprint("sso", __name__)
LEEWAY_SECONDS = 60  # clocks of two servers differ a little; an expired token is older than this

# Why a sign-in through the provider did not happen: a heading, what to say, and the status.
REPLAYED, UNTRUSTED_TOKEN, PROVIDER_DOWN, CANCELLED = "replayed", "untrusted token", "provider down", "cancelled"
REFUSALS = {
    REPLAYED: ("This sign-in was already used", 400,
               "The answer from {provider} does not belong to a sign-in started in this browser, or it was used "
               "already. Nothing was changed. Start again from the sign-in page."),
    UNTRUSTED_TOKEN: ("We could not verify your sign-in", 400,
                      "The answer from {provider} failed our checks: {why}. You are not signed in and nothing was "
                      "changed. Try again; if it happens again, tell your IT service desk."),
    PROVIDER_DOWN: ("{provider} did not answer", 503,
                    "We could not reach {provider} to sign you in. Nothing was changed. Try again in a few minutes."),
    CANCELLED: ("Sign-in was not completed", 400, "{provider} answered: {why}. Nothing was changed."),
    single_sign_on.UNVERIFIED_EMAIL: (
        "Your email address is not verified", 403,
        "{provider} says the email address on your account is not verified, so no account was opened here. "
        "Verify it with {provider}, or ask your IT service desk."),
    single_sign_on.NO_EMAIL: (
        "{provider} sent no email address", 403,
        "An account here needs an email address, and {provider} sent none we could use. Ask your IT service "
        "desk to add one to your account."),
    single_sign_on.EMAIL_TAKEN: (
        "An account with your email already exists", 403,
        "An account here already uses your email address, and {provider} does not vouch that the address is "
        "yours, so the two were not joined. Ask an administrator of Burden Tracker for help."),
    single_sign_on.DEACTIVATED: (
        "This account is deactivated", 403, "Ask an administrator of Burden Tracker to reactivate it."),
}
# What the provider's error codes (RFC 6749 and OpenID Connect) mean, in words.
PROVIDER_ERRORS = {
    "access_denied": "access was denied (you declined, or your account may not use this application)",
    "login_required": "you need to sign in there first",
    "interaction_required": "it needs you to do something there first",
    "consent_required": "it needs your consent first",
    "temporarily_unavailable": "it is unavailable for a moment: try again",
    "server_error": "it had a problem of its own: try again",
    "invalid_grant": "the sign-in took too long, or was used already: start again",
}
# What a failed check of the ID token means, in words.
FAILED_CLAIM = {"aud": "it was meant for another application", "iss": "it came from another issuer",
                "nonce": "it was not issued for this sign-in", "exp": "it has expired"}


def init_app(app) -> None:
    sign_on_provider.init_app(app)
    app.register_blueprint(bp)


@bp.get("/login/sso")
def start():
    client = provider() or abort(404)
    session["sso_next"] = safe_next(request.args.get("next"))
    # Confirming who one is before a sensitive action (views/reauth.py): the provider must ask again too.
    asked_again = {"prompt": "login"} if request.args.get("confirm") == "yes" else {}
    try:
        return client.authorize_redirect(redirect_uri=address_for_provider("sso.callback"), **asked_again)
    except (RequestException, ValueError) as error:  # unreachable, or its discovery document is not JSON
        return _refused(PROVIDER_DOWN, detail=type(error).__name__)


@bp.get("/login/sso/callback")
def callback():
    client = provider() or abort(404)
    if request.args.get("error"):  # its words are not shown: anyone can put words in this address
        return _refused(CANCELLED, why=_provider_error(request.args["error"]), detail=request.args["error"])
    try:
        token = client.authorize_access_token(claims_options=_claims_expected(client), leeway=LEEWAY_SECONDS)
    except MismatchingStateError:
        return _refused(REPLAYED)
    except JoseError as error:
        return _refused(UNTRUSTED_TOKEN, why=_failed_check(error), detail=repr(error))
    except OAuthError as error:  # the token endpoint refused the code
        return _refused(CANCELLED, why=_provider_error(error.error), detail=error.error)
    except (RequestException, ValueError) as error:
        return _refused(PROVIDER_DOWN, detail=type(error).__name__)
    if not token.get("userinfo"):
        return _refused(UNTRUSTED_TOKEN, why="it held no ID token")
    return _sign_in(ProviderClaims.of(token["userinfo"], roles_claim=current_app.config["OIDC_ROLES_CLAIM"]),
                    id_token=token["id_token"])


def _provider_error(code) -> str:
    return PROVIDER_ERRORS.get(code, "it did not let you sign in")


def _claims_expected(client) -> dict:
    """The issuer the provider's discovery names, and our client id as the audience: both required."""
    issuer = client.load_server_metadata()["issuer"]
    return {"iss": {"essential": True, "value": issuer},
            "aud": {"essential": True, "value": current_app.config["OIDC_CLIENT_ID"]}}


def _failed_check(error: JoseError) -> str:
    if isinstance(error, BadSignatureError):
        return f"it was not signed with a key {provider_name()} publishes"
    if isinstance(error, ExpiredTokenError):
        return FAILED_CLAIM["exp"]
    if isinstance(error, ClaimError):
        return FAILED_CLAIM.get(error.claim, f"its {error.claim!r} claim is wrong or missing")
    return "it could not be read as a signed ID token"


def _sign_in(claims: ProviderClaims, *, id_token: str):
    config = current_app.config
    try:
        with writing_session() as writer:  # the provider sends the browser back with a GET
            user, token, how = single_sign_on.sign_in_with_provider(
                session=writer, claims=claims, trusted_domains=config["OIDC_TRUSTED_DOMAINS"],
                policy=session_policy(), id_token=id_token, where=where_from())
            if current_user.is_authenticated:  # signed in here already: that session gives way to the new one
                auth.sign_out(session=writer, token=current_user.token)
    except SignOnRefused as refused:
        return _refused(refused.reason, email=claims.email)
    audit.record(audit.SIGN_IN_OK, email=user.email, user_id=user.id, detail=f"single sign-on ({how})")
    next_page = session.get("sso_next") or url_for("index")
    session.clear()  # a new session at sign-in: nothing from before survives
    login_user(Account(auth.SignedIn.of(user), token))
    return current_app.redirect(next_page)


def _refused(reason: str, *, why: str = "", detail: str | None = None, email: str | None = None):
    heading, status, text = REFUSALS[reason]
    get_session().rollback()
    audit.record(audit.SIGN_IN_REFUSED, email=email, detail=f"single sign-on: {reason}" + (f" ({detail})" if detail
                                                                                          else ""))
    name = provider_name()
    page = render_template("auth/sso_refused.html", heading=heading.format(provider=name),
                           text=text.format(provider=name, why=why))
    return page, status
