"""How failed sign-ins (and failed invite links) earn a wait: the rules, as plain functions of a key's standing and
the time, so that the database (services/sign_in_guard.py) and Redis (limit_stores.py) keep the same count the same
way."""

import json
import math
from dataclasses import dataclass

MINUTE, HOUR = 60.0, 3600.0


@dataclass(frozen=True)
class Policy:
    """How many failures one key may have, and what each one past that costs."""

    allowance: int  # failures inside the moving window before the first wait
    window: float = 15 * MINUTE
    first_wait: float = 15 * MINUTE
    longest_wait: float = 4 * HOUR
    # After a wait ends, a failure this soon doubles it rather than starting the count afresh: someone guessing
    # steadily cannot wait each hold out and be given the whole allowance again.
    memory: float = 24 * HOUR


@dataclass(frozen=True)
class Standing:
    """What one key's failures have earned. Times are seconds since the epoch."""

    recent: tuple[float, ...] = ()  # failures inside the window; empty while a wait is running
    held_until: float = 0.0
    wait: float = 0.0  # the length of the last wait given, while it is remembered; 0 before any
    forget_at: float = 0.0  # from then on nothing here matters, and the record may go

    def wait_left(self, now: float) -> float:
        return max(0.0, self.held_until - now)

    def after_failure(self, policy: Policy, now: float) -> "Standing":
        if self.wait and now < self.held_until + policy.memory:
            return _held(policy, now, min(self.wait * 2, policy.longest_wait))
        recent = (*(at for at in self.recent if at > now - policy.window), now)
        if len(recent) >= policy.allowance:
            return _held(policy, now, policy.first_wait)
        return Standing(recent=recent, forget_at=max(recent) + policy.window)

    def as_of(self, now: float) -> "Standing":
        """Itself, or a blank standing once it is past forgetting (a row the purge has not reached yet)."""
        return self if now < self.forget_at else Standing()

    def dumps(self) -> str:
        return json.dumps([self.recent, self.held_until, self.wait, self.forget_at])

    @classmethod
    def loads(cls, text: str | bytes | None) -> "Standing":
        if text is None:
            return cls()
        recent, held_until, wait, forget_at = json.loads(text)
        return cls(tuple(recent), held_until, wait, forget_at)


def _held(policy: Policy, now: float, wait: float) -> Standing:
    return Standing(held_until=now + wait, wait=wait, forget_at=now + wait + policy.memory)


def held_for(seconds: float, now: float) -> Standing:
    """A plain hold with nothing to remember after it: the throttle on emails to one account holder."""
    return Standing(held_until=now + seconds, forget_at=now + seconds)


def wait_in_words(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / MINUTE))
    if minutes < 60:
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    hours = math.ceil(minutes / 60)
    return "1 hour" if hours == 1 else f"{hours} hours"
