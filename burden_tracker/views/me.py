"""What is mine: the nominations I submitted or support, my notices, and where I am signed in. Nobody sees anyone
else's."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import audit
from ..db import get_session
from ..enums import NoticeEmail, Role
from ..forms import LARGEST_ID, NoticeEmailForm
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


@bp.route("/me/settings", methods=["GET", "POST"])
def settings():
    """How the person's notices reach them by email (services/digests.py for the digests)."""
    session = get_session()
    form = NoticeEmailForm(data={"notice_email": current_user.user.notice_email.value})
    if form.validate_on_submit():
        notice_service.set_notice_email(session=session, user_id=current_user.id,
                                        choice=NoticeEmail(form.notice_email.data))
        flash(f"Saved: your notices now reach you {CHOSEN[form.notice_email.data]}.")
        return redirect(url_for("me.settings"), code=303)
    return render_template("me/settings.html", form=form,
                           mail_ready=bool(current_app.config.get("SMTP_HOST"))), 422 if form.errors else 200


CHOSEN = {NoticeEmail.AT_ONCE.value: "by email at once", NoticeEmail.DAILY.value: "in a daily digest",
          NoticeEmail.WEEKLY.value: "in a weekly digest", NoticeEmail.NONE.value: "in Burden Tracker only"}


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
