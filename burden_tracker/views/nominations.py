"""The nominations list (the full pages arrive with the staff issue)."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from ..db import get_session
from ..services.listing import list_nominations

bp = Blueprint("nominations", __name__, url_prefix="/nominations")


def index():
    return redirect(url_for("nominations.index_page"))


@bp.get("")
def index_page():
    page = request.args.get("page", 1, type=int)
    listing = list_nominations(
        session=get_session(), page=max(page, 1), per_page=current_app.config["NOMINATIONS_PER_PAGE"]
    )
    return render_template("nominations/index.html", listing=listing)
