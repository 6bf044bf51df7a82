"""/admin/metrics, for admins only: the EHR metrics Burden Tracker measures against, the names vendors give them
(an admin adds their own vendor's spelling), what has been imported, and the template workbook."""

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from ..db import get_session
from ..enums import Role
from ..errors import DomainError
from ..forms import MetricNameForm
from ..metrics_template import template_workbook
from ..queries.ehr_metrics import metrics_shown
from ..services import metric_names
from .rendering import show_errors

bp = Blueprint("metrics_admin", __name__, url_prefix="/admin/metrics")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.before_request
def admins_only():
    if not current_user.has_any(Role.ADMIN):
        abort(403)


@bp.route("", methods=["GET", "POST"])
def index():
    form = MetricNameForm()
    if form.validate_on_submit():
        try:
            metric_names.add_name(session=get_session(), actor_id=current_user.id, name=form.name.data,
                                  metric=form.metric.data)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(f"The import now reads {form.name.data.strip()!r} as {form.metric.data}.")
            return redirect(url_for("metrics_admin.index"), code=303)
    return render_template("admin/metrics.html", form=form, metrics=metrics_shown(session=get_session())), \
        422 if form.errors else 200


@bp.post("/names/remove")
def remove_name():
    name = request.form.get("name", "")
    try:
        metric_names.remove_name(session=get_session(), actor_id=current_user.id, name=name)
    except DomainError as error:
        flash(error.message)
    else:
        flash(f"The import no longer reads {name!r} as a metric.")
    return redirect(url_for("metrics_admin.index"), code=303)


@bp.get("/template.xlsx")
def template():
    response = make_response(template_workbook())
    response.headers["Content-Type"] = XLSX
    response.headers["Content-Disposition"] = 'attachment; filename="burden-tracker-metrics-template.xlsx"'
    return response
