"""The review board's triage queue: /board."""

from flask import Blueprint

bp = Blueprint("board", __name__)
