"""Counting failed sign-ins (and failed invite links), so that guessing passwords is slow and nobody is locked out.

Only failures count, so a person who signs in fine is never held up. Past an allowance each further failure
doubles the wait (waits.py has the rules). A refusal is answered at once with the wait in
Retry-After: no worker sleeps.

A browser that has signed in to an account before carries a device cookie: a keyed hash of the account (never the
email) and a random nonce, signed with SECRET_KEY. An attempt with it is spared the account's count, so that
someone else's failures cannot lock a person out of their own device; it still counts per address, and its own
failures are counted against its nonce, which once held exempts nothing: a stolen cookie buys few guesses.
Signing out may clear every cookie of the site (Clear-Site-Data), and Chromium clears even a cookie set by that
same response: the sign-out hands the cookie's accounts over to the sign-in page after it, through the store
of the counts, under a random one-time name (hand_over_device).

Counts live where every worker process sees them: Redis when REDIS_URL is set, else the database, and in the
database while Redis does not answer (limit_stores.py). Keys are keyed hashes too, so neither store holds an
email, or a password typed into the email field, in clear.
"""

import hashlib
import hmac
import math
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from . import limit_stores
from .limit_stores import in_store
from .waits import HOUR, Policy, Standing, held_for, wait_in_words

# A person mistyping gets five tries; a script guessing one account gets a handful a day once the waits grow.
ACCOUNT = Policy(allowance=5)
# A ward's computers may share one address behind NAT: room for several people's typos, not for a spray of
# one common password over many accounts.
ADDRESS = Policy(allowance=20)
# What a device cookie's own failures may cost before it stops exempting its browser.
DEVICE = Policy(allowance=5)
# Invite links are long random tokens: only a guesser fails repeatedly.
INVITE = Policy(allowance=10)
# A person who forgot their password asks once or twice; more is someone filling their inbox.
RESET_ACCOUNT = Policy(allowance=3)
ALERT_EVERY = 24 * HOUR
DEVICE_COOKIE = "device"
DEVICE_LIFETIME = timedelta(days=365)
# A ward computer is shared: each of its regular users keeps their exemption there.
DEVICES_KEPT = 10
# The browser asks for the sign-in page as soon as it has cleared the site's data.
HANDOVER_LIFETIME = 60  # seconds


@dataclass(frozen=True)
class Counter:
    """One limit on one key: failed sign-ins for this account, from this address or with this device cookie."""

    scope: str  # "account", "address" or "device": which message the person gets when it is full
    policy: Policy
    key: str


@dataclass(frozen=True)
class Refusal:
    scope: str
    seconds: int  # until the wait ends and one more try is allowed

    @property
    def wait(self) -> str:
        return wait_in_words(self.seconds)


@dataclass(frozen=True)
class SignInGuard:
    """What one sign-in attempt is held to."""

    counted: list[Counter]  # where its failure counts
    forgiven: list[Counter]  # what a good sign-in starts afresh
    refusal: Refusal | None
    exempt: bool  # a device cookie for this account spared it the account's count
    account_held: bool


def guard_sign_in(email: str, address: str | None, device_nonce: str | None, *, session,
                  now: float | None = None) -> SignInGuard:
    """Read before any password is looked at, so that a refusal says nothing about the password."""
    now = now or time.time()
    known = sign_in_counters(email, address, device_nonce)
    account, by_address = known[:2]
    device = known[2] if device_nonce else None
    standing = in_store(lambda store: store.standings([counter.key for counter in known], now), session)
    exempt = device is not None and not standing[device.key].wait_left(now)
    counted = [by_address, device if exempt else account]
    forgiven = [device] if exempt else [account, *([device] if device else [])]
    recorded = [counter for counter in forgiven if standing[counter.key] != Standing()]  # no write for a clean slate
    return SignInGuard(counted, recorded, _refusal(counted, standing, now), exempt,
                       standing[account.key].wait_left(now) > 0)


def sign_in_counters(email: str, address: str | None, device_nonce: str | None = None) -> list[Counter]:
    """The account's counter, the address's, and the device cookie's when there is one."""
    counters = [Counter("account", ACCOUNT, _key("sign-in/account", _normal(email))),
                Counter("address", ADDRESS, _key("sign-in/address", address or "unknown"))]
    if device_nonce:
        counters.append(Counter("device", DEVICE, _key("sign-in/device", device_nonce)))
    return counters


def invite_counters(address: str | None) -> list[Counter]:
    return [Counter("address", INVITE, _key("invite/address", address or "unknown"))]


def reset_counters(email: str, address: str | None) -> list[Counter]:
    """Asking for a link to choose a new password: every request counts, so that nobody floods an inbox."""
    return [Counter("account", RESET_ACCOUNT, _key("reset/account", _normal(email))),
            Counter("address", INVITE, _key("reset/address", address or "unknown"))]


def refusal(counters: list[Counter], *, session, now: float | None = None) -> Refusal | None:
    """The longest wait among the counters, or None when one more try is allowed."""
    now = now or time.time()
    standing = in_store(lambda store: store.standings([counter.key for counter in counters], now), session)
    return _refusal(counters, standing, now)


def count_failure(counters: list[Counter], *, session, now: float | None = None) -> dict[Counter, float]:
    """Counts one failure against each counter, and commits; returns the counters it has just made wait, with
    the wait in seconds."""
    now = now or time.time()
    ordered = sorted(counters, key=lambda counter: counter.key)  # one order everywhere: no two writers deadlock
    changes = [(counter.key, _failure(counter.policy, now)) for counter in ordered]
    standings = in_store(lambda store: store.change(changes, now), session)
    return {counter: standing.wait_left(now) for counter, standing in zip(ordered, standings, strict=True)
            if standing.wait_left(now)}


def forget_failures(counters: list[Counter], *, session) -> None:
    """After a good sign-in. An address is never forgotten so, or one valid account could wipe the count of
    guesses made against others from the same place."""
    keys = [counter.key for counter in counters if counter.scope != "address"]
    if keys:
        in_store(lambda store: store.forget(keys), session)


def claim_alert(email: str, *, session, now: float | None = None) -> bool:
    """True for the one attempt that may email the account holder now: at most one email per ALERT_EVERY."""
    now = now or time.time()
    key = _key("alert/account", _normal(email))

    def hold_unless_held(standing: Standing) -> Standing:
        return standing if standing.wait_left(now) else held_for(ALERT_EVERY, now)

    [after] = in_store(lambda store: store.change([(key, hold_unless_held)], now), session)
    return after.held_until == now + ALERT_EVERY


def release_alert(email: str, *, session) -> None:
    """The email could not be queued: the next wait may try again."""
    key = _key("alert/account", _normal(email))
    in_store(lambda store: store.forget([key]), session)


def _failure(policy: Policy, now: float):
    return lambda standing: standing.after_failure(policy, now)


def _refusal(counters: list[Counter], standing: dict[str, Standing], now: float) -> Refusal | None:
    waits = [(standing[counter.key].wait_left(now), counter.scope) for counter in counters]
    seconds, scope = max(waits)
    return Refusal(scope, max(1, math.ceil(seconds))) if seconds > 0 else None


# The device cookie.


def device_cookie(current: str | None, email: str) -> str:
    """The cookie's value once `email` has signed in on this browser: this account with a fresh nonce, after
    the other accounts it already named."""
    mark = _account_mark(email)
    others = [entry for entry in _device_entries(current) if entry[0] != mark]
    return _device_serializer().dumps([*others[-(DEVICES_KEPT - 1):], [mark, secrets.token_urlsafe(16)]])


def device_nonce(cookie: str | None, email: str) -> str | None:
    """The nonce this browser holds for the account typed, when its cookie is ours, unaltered and not too old."""
    mark = _account_mark(email)
    for entry_mark, nonce in _device_entries(cookie):
        if hmac.compare_digest(entry_mark, mark):
            return nonce
    return None


def hand_over_device(cookie: str | None, *, session, now: float | None = None) -> str | None:
    """Keeps the accounts this device cookie names, nonces and all, for one taker within HANDOVER_LIFETIME, and
    returns the random name they are kept under; None when the cookie spares nothing. The name leads to the
    cookie only once: it may go in an address, where the cookie itself never goes. Should the store fail to keep
    them, the name leads nowhere and the browser starts again without the cookie."""
    entries = _device_entries(cookie)
    if not entries:
        return None
    now = now or time.time()
    handover = secrets.token_urlsafe(24)
    items = [" ".join(entry) for entry in entries]
    in_store(lambda store: store.keep(_key("handover/device", handover), items, now, now + HANDOVER_LIFETIME), session)
    return handover


def take_device_handover(handover, *, session, now: float | None = None) -> str | None:
    """The device cookie handed over under this name, once and in time; None for a name used before, too old
    or never given."""
    if not isinstance(handover, str) or not 0 < len(handover) <= 64:
        return None
    now = now or time.time()
    kept = in_store(lambda store: store.take(_key("handover/device", handover), now), session)
    entries = [item.split(" ") for item in kept]
    return _device_serializer().dumps(entries) if entries else None


def _device_entries(cookie: str | None) -> list[list[str]]:
    if not cookie:
        return []
    try:
        entries = _device_serializer().loads(cookie, max_age=DEVICE_LIFETIME.total_seconds())
    except BadData:
        return []
    if not isinstance(entries, list):
        return []
    return [entry for entry in entries
            if isinstance(entry, list) and len(entry) == 2 and all(isinstance(part, str) for part in entry)]


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="burden-tracker device cookie")


def _account_mark(email: str) -> str:
    return _keyed_hash("device/account", _normal(email))[:32]


def _normal(email) -> str:
    """As find_user compares it, so unknown and known emails are counted alike, however they are typed."""
    return (email or "").strip().lower()


def _key(kind: str, identity: str) -> str:
    return f"{kind}/{_keyed_hash(kind, identity)[:40]}"


def _keyed_hash(kind: str, identity: str) -> str:
    secret = current_app.secret_key
    secret = secret if isinstance(secret, bytes) else secret.encode()
    return hmac.new(secret, f"{kind}\n{identity}".encode("utf-8", "replace"), hashlib.sha256).hexdigest()


def init_app(app) -> None:
    """Where the counts live, Redis or the database: limit_stores.py."""
    limit_stores.init_app(app)
