"""The Wins page: every retired burden, newest first, for everyone signed in.

Paging swaps just the list (htmx); the headline figures stay put above it.
"""


from flask import Blueprint, current_app, request

from ..db import get_session
from ..queries.reference import organization_today
from ..queries.wins import headline, list_wins, measured_wins
from .filters import read_page
from .rendering import render

bp = Blueprint("wins", __name__)


@bp.get("/wins")
def index():
    session = get_session()
    today = organization_today(session=session)
    listing = list_wins(session=session, page=read_page(request.args),
                        per_page=current_app.config["NOMINATIONS_PER_PAGE"])
    return render("wins/index.html", "wins/_list.html", listing=listing, today=today,
                  measured=measured_wins(session=session, wins=listing.rows, today=today),
                  headline=headline(session=session, today=today))
