"""Counting failed sign-ins (and failed invite links), so that guessing passwords is slow.

Only failures count, so a person who signs in fine is never held up. Counts live in storage every worker
process shares: Redis when REDIS_URL is set. Without it the default is "memory://", which counts within one
process only: with `serve --workers 4` each worker keeps its own count, so someone guessing gets up to four
times the allowance. That suits one process (tests, a laptop); a real deployment sets REDIS_URL.

If Redis stops answering, counting falls back to this process's memory (and says so in the log) rather
than refusing everyone or letting every guess through.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from flask import current_app
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

# A person mistyping gets five tries; a script guessing one account gets 20 guesses an hour.
SIGN_IN_PER_ACCOUNT = parse("5 per 15 minutes")
# A ward's computers may share one address behind NAT: room for several people's typos, not for a spray of
# one common password over many accounts.
SIGN_IN_PER_ADDRESS = parse("20 per 15 minutes")
# Invite links are long random tokens: only a guesser fails repeatedly.
INVITE_PER_ADDRESS = parse("10 per 15 minutes")
# A Redis that does not answer must not hold a sign-in for long.
REDIS_TIMEOUTS = {"socket_connect_timeout": 2, "socket_timeout": 2}
RETRY_SHARED_AFTER = 30  # seconds


@dataclass(frozen=True)
class Counter:
    """One limit on one key: failed sign-ins for this account, or from this address."""

    scope: str  # "account" or "address": which message the person gets when it is full
    limit: RateLimitItem
    key: str


@dataclass(frozen=True)
class Refusal:
    scope: str
    seconds: int  # until the oldest counted failure ages out and one more try is allowed

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))


def sign_in_counters(email: str, address: str | None) -> list[Counter]:
    """The account key is a hash of the address as find_user compares it, so unknown and known emails are
    counted alike, and no email sits in Redis in clear."""
    account = hashlib.sha256(email.strip().lower().encode("utf-8", "replace")).hexdigest()
    return [Counter("account", SIGN_IN_PER_ACCOUNT, f"sign-in/account/{account}"),
            Counter("address", SIGN_IN_PER_ADDRESS, f"sign-in/address/{address or 'unknown'}")]


def invite_counters(address: str | None) -> list[Counter]:
    return [Counter("address", INVITE_PER_ADDRESS, f"invite/address/{address or 'unknown'}")]


def refusal(counters: list[Counter]) -> Refusal | None:
    """The fullest counter with how long to wait, or None when one more try is allowed."""
    full = [counter for counter in counters if not _call("test", counter)]
    if not full:
        return None
    waits = [(math.ceil(_call("get_window_stats", counter).reset_time - time.time()), counter) for counter in full]
    seconds, counter = max(waits, key=lambda wait: wait[0])
    return Refusal(counter.scope, max(1, seconds))


def count_failure(counters: list[Counter]) -> None:
    for counter in counters:
        _call("hit", counter)


def forget_failures(counters: list[Counter]) -> None:
    """After a good sign-in the account starts afresh; an address does not, or one valid account could wipe
    the count of guesses made against others from the same place."""
    for counter in counters:
        if counter.scope == "account":
            _call("clear", counter)


def _call(method: str, counter: Counter):
    state = current_app.extensions["sign_in_limits"]
    if time.monotonic() >= state.shared_down_until:
        try:
            return getattr(state.shared, method)(counter.limit, "burden-tracker", counter.key)
        except StorageError as error:
            current_app.logger.error("Rate-limit storage unreachable (%s): counting in this process for %d s",
                                     error, RETRY_SHARED_AFTER)
            state.shared_down_until = time.monotonic() + RETRY_SHARED_AFTER
    return getattr(state.fallback, method)(counter.limit, "burden-tracker", counter.key)


class _State:
    """Per app, so two apps in one process (tests) never share counts."""

    def __init__(self, shared: MovingWindowRateLimiter):
        self.shared = shared
        self.fallback = MovingWindowRateLimiter(MemoryStorage())
        self.shared_down_until = 0.0  # while Redis is down, not every sign-in waits for it to time out


def storage_uri(app) -> str:
    return app.config.get("REDIS_URL") or "memory://"


def init_app(app) -> None:
    """A moving window, so that a burst at a window's edge cannot double the allowance. The `limits` library
    counts; Flask-Limiter, built on it, would also check every request for limits this app never sets."""
    options = {"wrap_exceptions": True, **(REDIS_TIMEOUTS if app.config.get("REDIS_URL") else {})}
    storage = storage_from_string(storage_uri(app), **options)
    app.extensions["sign_in_limits"] = _State(MovingWindowRateLimiter(storage))
