"""The regulatory-myth library for everyone signed in: /myths, searchable, and /myths/ID with what the rule actually
says, its source, and the nominations citing it. Admins also see drafts there; they write them at /admin/myths."""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from ..db import get_session
from ..enums import Role
from ..errors import NotFound
from ..queries.myths import myth_page, published
from .filters import read_search

bp = Blueprint("myths", __name__, url_prefix="/myths")


@bp.get("")
def index():
    q = read_search(request.args)
    return render_template("myths/index.html", entries=published(session=get_session(), q=q), q=q)


@bp.get("/<int:myth_id>")
def show(myth_id: int):
    admin = current_user.has_any(Role.ADMIN)
    try:
        page = myth_page(session=get_session(), myth_id=myth_id, admin=admin)
    except NotFound:
        abort(404)
    return render_template("myths/show.html", page=page, myth=page.myth, admin=admin)
