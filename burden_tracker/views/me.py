"""What is mine: the nominations I submitted or support, my notices, and where I am signed in. Nobody sees anyone
else's."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import audit
from ..db import get_session
from ..enums import Role
from ..forms import LARGEST_ID
from ..models import utc_now
from ..queries.mine import my_nominations
from ..queries.notices import recent_notices
from ..queries.sessions import signed_in_browsers
from ..services import auth
from ..services import notices as notice_service
from .auth import role_required, session_policy

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


@bp.get("/me/sessions")
def sessions():
    policy, now = session_policy(), utc_now()
    browsers = signed_in_browsers(session=get_session(), user_id=current_user.id,
                                  this_key=auth.session_key(current_user.token), seen_since=now - policy.idle,
                                  begun_since=now - policy.lifetime)
    return render_template("me/sessions.html", browsers=browsers)


@bp.post("/me/sessions/end")
def end_session():
    key = request.form.get("session", "")
    if key == auth.session_key(current_user.token):
        flash("That is this browser: sign out to end it.")
    elif auth.end_session(session=get_session(), user_id=current_user.id, key=key):
        audit.record(audit.SIGNED_OUT, user_id=current_user.id, detail="another session, from /me/sessions")
        flash("That session is signed out.")
    else:
        flash("That session had already ended.")
    return redirect(url_for("me.sessions"), code=303)


@bp.post("/me/sessions/end-others")
def end_other_sessions():
    ended = auth.end_other_sessions(session=get_session(), user_id=current_user.id, token=current_user.token)
    if ended:
        audit.record(audit.SIGNED_OUT, user_id=current_user.id, detail=f"{ended} other session(s), from /me/sessions")
    flash(f"Signed out everywhere else ({ended} session{'s' if ended != 1 else ''})." if ended
          else "You were signed in nowhere else.")
    return redirect(url_for("me.sessions"), code=303)
