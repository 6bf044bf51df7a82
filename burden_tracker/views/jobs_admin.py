"""/admin/jobs, for admins only: whether a worker runs the job queue, what waits in it, and the jobs that failed
their last try (jobs.py keeps them), with a button to clear the list once they are dealt with."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..db import get_session
from ..forms import ConfirmClearForm
from ..jobs import JOB_WORDS, queue_state
from ..models import utc_now
from ..queries.failed_jobs import recent_failures
from ..services.failed_jobs import clear_failures
from .auth import admins_only

bp = Blueprint("jobs_admin", __name__, url_prefix="/admin/jobs")
WORKER_SILENT_MINUTES = 12  # a running worker says so as it starts, then every five minutes


bp.before_request(admins_only)


@bp.get("")
def index():
    failures, failed = recent_failures(session=get_session())
    state = queue_state()
    silent = state.worker_seen is None or (utc_now() - state.worker_seen).total_seconds() > 60 * WORKER_SILENT_MINUTES
    return render_template("admin/jobs.html", state=state, worker_silent=silent, failures=failures, failed=failed,
                           job_words=JOB_WORDS, form=ConfirmClearForm())


@bp.post("/clear")
def clear():
    if not ConfirmClearForm().validate_on_submit():
        abort(400)
    cleared = clear_failures(session=get_session(), actor=current_user.user)
    flash(f"Cleared {cleared} failed job{'s' if cleared != 1 else ''} from the list.")
    return redirect(url_for("jobs_admin.index"), code=303)
