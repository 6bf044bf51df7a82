"""The brakes on guessing, as the sign-in views apply them (limits.py counts, waits.py has the rules):
a failure counted, its account holder emailed by the job queue, and the device cookie given at sign-in.

A sign-out that clears the site's cookies (Clear-Site-Data: "cookies") loses the device cookie, even one that same
response sets again: Chromium keeps none of them. It clears before it follows the redirect, though, so the sign-out
hands the cookie's accounts over (hand_over_device) to the sign-in page it redirects to, and that page sets the
cookie again (take_back_device). tests/browser/test_device_cookie.py shows it in Chromium.
"""

import time

from flask import current_app, request

from .. import limits
from ..db import get_session, open_session
from ..queries.reference import for_lists
from ..queries.users import find_user
from ..services.sign_in_guard import ALERT_SUBJECT, FailureAlert, alert_text
from .mailing import email_once_answered


def count_failure(guard: limits.SignInGuard, email: str) -> None:
    """Through the request's own session, which on SQLite takes the write lock (see views/auth.py)."""
    began = limits.count_failure(guard.counted, session=get_session())
    for counter, seconds in began.items():
        if counter.scope == "account":
            _alert_account_holder(email, seconds)


def _alert_account_holder(email: str, wait: float) -> None:
    """Emailed by the job queue once the response has gone, so that nobody's answer waits on a mail server, and
    tried again while the mail server is down; at most once a day."""
    app = current_app._get_current_object()
    if not app.config.get("SMTP_HOST"):
        return
    user = find_user(session=get_session(), email=email)
    if user is None or not user.active or not user.password_hash:
        return  # nobody can sign in as it: nothing to warn of
    if not limits.claim_alert(email, session=get_session()):
        return
    alert = FailureAlert(user.email, request.remote_addr, time.time(), wait,
                         for_lists(session=get_session()).time_zone)
    email_once_answered(to=user.email, subject=ALERT_SUBJECT, text=alert_text(alert, app.config.get("BASE_URL")),
                        not_queued=lambda queued_by: _release_alert(queued_by, email))


def _release_alert(app, email: str) -> None:
    """The alert could not even be queued: the next wait may try again, rather than none for a day."""
    with open_session(app.extensions["db_engine"]) as own:
        limits.release_alert(email, session=own)


def remember_device(response, email: str):
    """From now on this browser is spared the account's count: others' failures cannot keep its holder out here."""
    return _set_device_cookie(response, limits.device_cookie(request.cookies.get(limits.DEVICE_COOKIE), email))


def hand_over_device() -> str | None:
    """For the address a sign-out that clears cookies redirects to: the one-time name of this browser's device
    cookie, or None when it has none worth keeping. A POST's session, which holds SQLite's write lock."""
    return limits.hand_over_device(request.cookies.get(limits.DEVICE_COOKIE), session=get_session())


def take_back_device(response, handover: str, *, session):
    """The device cookie handed over under this name, set again on the response; nothing for a name used before,
    too old or never given (whoever asks sees the same page)."""
    cookie = limits.take_device_handover(handover, session=session)
    return _set_device_cookie(response, cookie) if cookie else response


def _set_device_cookie(response, value: str):
    response.set_cookie(limits.DEVICE_COOKIE, value, max_age=int(limits.DEVICE_LIFETIME.total_seconds()),
                        httponly=True, samesite="Lax",
                        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]) or request.is_secure)
    return response
