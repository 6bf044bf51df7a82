"""Where failed sign-ins are counted (limits.py counts them): Redis when REDIS_URL is set, so that every worker
process sees the same counts, else the database. If Redis stops answering, counting moves to the database for a
while (and says so in the log) rather than refusing everyone or letting every guess through.

Both stores answer the same five questions (standings, change, forget, keep, take) about keys that limits.py has
already hashed.
"""

import json
import math
import time

import redis
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from .queries.sign_in_guard import standings
from .services import sign_in_guard
from .waits import Standing

# A Redis that does not answer must not hold a sign-in for long.
REDIS_TIMEOUTS = {"socket_connect_timeout": 2, "socket_timeout": 2}
RETRY_SHARED_AFTER = 30  # seconds


class _Database:
    """A write commits the session handed over: a POST's own, which already holds SQLite's write lock, or a short
    one of the caller's. A database that cannot be written (full, read-only) leaves the count as it was: the
    attempt is answered all the same, and the log says why."""

    def __init__(self, session):
        self.session = session

    def standings(self, keys: list[str], now: float) -> dict[str, Standing]:
        return standings(session=self.session, keys=keys, now=now)

    def change(self, changes: list, now: float) -> list[Standing]:
        return self._write(lambda: [sign_in_guard.change(session=self.session, key=key, how=how, now=now)
                                    for key, how in changes], otherwise=[Standing() for _ in changes])

    def forget(self, keys: list[str]) -> None:
        self._write(lambda: sign_in_guard.forget(session=self.session, keys=keys), otherwise=None)

    def keep(self, key: str, items: list[str], now: float, until: float) -> None:
        self._write(lambda: sign_in_guard.keep(session=self.session, key=key, items=items, now=now, until=until),
                    otherwise=None)

    def take(self, key: str, now: float) -> list[str]:
        return self._write(lambda: sign_in_guard.take(session=self.session, key=key, now=now), otherwise=[])

    def _write(self, write, *, otherwise):
        try:
            done = write()
            self.session.commit()
            return done
        except SQLAlchemyError:
            self.session.rollback()
            current_app.logger.error("Could not write to the sign-in counts in the database", exc_info=True)
            return otherwise


class _Redis:
    PREFIX = "burden-tracker/"

    def __init__(self, client: redis.Redis):
        self.client = client

    def standings(self, keys: list[str], now: float) -> dict[str, Standing]:
        values = self.client.mget([self.PREFIX + key for key in keys])
        return {key: Standing.loads(value).as_of(now) for key, value in zip(keys, values, strict=True)}

    def change(self, changes: list, now: float) -> list[Standing]:
        return [self._change(self.PREFIX + key, how, now) for key, how in changes]

    def forget(self, keys: list[str]) -> None:
        self.client.delete(*(self.PREFIX + key for key in keys))

    def keep(self, key: str, items: list[str], now: float, until: float) -> None:
        self.client.set(self.PREFIX + key, json.dumps(items), pxat=math.ceil(until * 1000))

    def take(self, key: str, now: float) -> list[str]:
        """Read and deleted in one transaction: of two takers at once, only one has it. Redis drops it in time."""
        kept, _ = self.client.pipeline(transaction=True).get(self.PREFIX + key).delete(self.PREFIX + key).execute()
        return json.loads(kept) if kept else []

    def _change(self, name: str, how, now: float) -> Standing:
        """Read, decide and write as one step: should another worker change the key meanwhile, Redis refuses
        the write and the step starts again from what that worker wrote."""

        def attempt(pipe) -> Standing:
            after = how(Standing.loads(pipe.get(name)).as_of(now))
            pipe.multi()
            pipe.set(name, after.dumps(), pxat=math.ceil(after.forget_at * 1000))
            return after

        return self.client.transaction(attempt, name, value_from_callable=True)


def in_store(operation, session):
    """operation(store), on Redis while it answers, else on the database through the session handed over."""
    state = current_app.extensions["sign_in_limits"]
    if state.redis is not None and time.monotonic() >= state.redis_down_until:
        try:
            return operation(_Redis(state.redis))
        except redis.RedisError as error:
            current_app.logger.error("Rate-limit storage unreachable (%s): counting in the database for %d s",
                                     error, RETRY_SHARED_AFTER)
            state.redis_down_until = time.monotonic() + RETRY_SHARED_AFTER
    return operation(_Database(session))


class _State:
    """Per app, so two apps in one process (tests) never share a client."""

    def __init__(self, client: redis.Redis | None):
        self.redis = client
        self.redis_down_until = 0.0  # while Redis is down, not every sign-in waits for it to time out


def init_app(app) -> None:
    url = app.config.get("REDIS_URL")
    app.extensions["sign_in_limits"] = _State(redis.Redis.from_url(url, **REDIS_TIMEOUTS) if url else None)
