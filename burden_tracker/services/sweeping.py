"""Deleting old rows now and then, rather than on every request that writes new ones."""

import time


class NowAndThen:
    """Says yes at most once per `seconds` in this process: each process sweeps on its own, and a sweep that
    finds nothing costs one indexed DELETE."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.last: float | None = None

    def due(self) -> bool:
        now = time.monotonic()
        if self.last is not None and now - self.last < self.seconds:
            return False
        self.last = now
        return True
