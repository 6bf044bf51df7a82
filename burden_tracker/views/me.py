"""What is mine: the nominations I submitted or support, and my notices. Nobody sees anyone else's."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..db import get_session
from ..enums import Role
from ..forms import LARGEST_ID
from ..queries.mine import my_nominations
from ..queries.notices import recent_notices
from ..services import notices as notice_service
from .auth import role_required

bp = Blueprint("me", __name__)


@bp.get("/mine")
@role_required(Role.STAFF, Role.BOARD)
def nominations():
    rows = my_nominations(session=get_session(), user_id=current_user.id)
    return render_template("me/nominations.html", rows=rows)


@bp.get("/notices")
def notices():
    items = recent_notices(session=get_session(), user_id=current_user.id)
    return render_template("me/notices.html", items=items)


@bp.post("/notices/read")
def mark_read():
    up_to = request.form.get("up_to", type=int)
    if up_to is not None:
        up_to = min(max(up_to, 0), LARGEST_ID)  # a forged number marks what it would have, never fails
    marked = notice_service.mark_all_read(session=get_session(), user_id=current_user.id, up_to_id=up_to)
    flash(f"Marked {marked} notice{'s' if marked != 1 else ''} as read.")
    return redirect(url_for("me.notices"), code=303)
