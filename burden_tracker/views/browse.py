"""Browsing and searching the nominations: /nominations."""

from flask import Blueprint, current_app, request

from ..db import get_session
from ..services.listing import list_nominations
from .rendering import render

bp = Blueprint("browse", __name__)


@bp.get("/nominations")
def index():
    page = request.args.get("page", 1, type=int)
    listing = list_nominations(
        session=get_session(), page=max(page, 1), per_page=current_app.config["NOMINATIONS_PER_PAGE"]
    )
    return render("nominations/index.html", "nominations/_list.html", listing=listing)
