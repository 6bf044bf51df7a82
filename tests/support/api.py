"""Calling /api/v1 as a program does: a token of a person's (the `token` fixture, tests/conftest.py) sent as a
bearer token."""

PROBLEM = "application/problem+json"


def bearer(secret: str, **more: str) -> dict:
    return {"Authorization": f"Bearer {secret}", **more}
