"""What the board does on a nomination's page: evaluate, private notes, votes and decisions."""

from flask import Blueprint

bp = Blueprint("decide", __name__, url_prefix="/nominations")
