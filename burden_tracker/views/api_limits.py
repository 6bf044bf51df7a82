"""How many requests a token may make a minute at /api/v1 (API_REQUESTS_PER_MINUTE), counted by the `limits`
library over a moving minute: in Redis when REDIS_URL is set, so that every worker process and app server counts
together, else in each worker process's memory (each then allows the whole number). A Redis that stops answering
lets requests through, and the log says so: a counter must not take the API down."""

import logging
import math
import time

from flask import Flask, current_app
from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    storage = storage_from_string(app.config.get("REDIS_URL") or "memory://")
    app.extensions["api_limits"] = (MovingWindowRateLimiter(storage),
                                    RateLimitItemPerMinute(app.config["API_REQUESTS_PER_MINUTE"]))


def seconds_to_wait(token_key: str) -> int | None:
    """Counts this request of the token's (token_key: its hash); None when it may go on, else how long until it
    may."""
    limiter, per_minute = current_app.extensions["api_limits"]
    try:
        if limiter.hit(per_minute, "api-token", token_key):
            return None
        reset_at = limiter.get_window_stats(per_minute, "api-token", token_key).reset_time
    except Exception:  # Redis down, say: counted nowhere rather than refused everywhere
        log.exception("Could not count a request of an API token; it goes on uncounted.")
        return None
    return max(1, math.ceil(reset_at - time.time()))
