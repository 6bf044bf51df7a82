"""/admin/metrics, for admins only: the EHR metrics Burden Tracker measures against, the names vendors give them
(an admin adds their own vendor's spelling), what has been imported, and the template workbook."""

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from ..db import get_session
from ..enums import Role
from ..errors import DomainError
from ..forms import DepartmentNameForm, MetricNameForm, MetricsUploadForm, accepts_upload
from ..metrics_template import template_workbook
from ..queries.ehr_metrics import department_names_shown, metrics_shown
from ..queries.reference import for_lists
from ..services import metric_names
from ..services.metrics_import import import_metrics
from ..services.sheet_files import read_upload
from .auth import admins_only
from .rendering import show_errors

bp = Blueprint("metrics_admin", __name__, url_prefix="/admin/metrics")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


bp.before_request(admins_only)


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
    return _page(form=form, upload=MetricsUploadForm(formdata=None))


@bp.post("/departments")
def add_department_name():
    form = _offer_departments(DepartmentNameForm())
    if form.validate_on_submit():
        try:
            metric_names.add_department_name(session=get_session(), actor_id=current_user.id,
                                             name=form.department_name.data,
                                             department_id=_whole(form.department_id.data))
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(f"The import now reads {form.department_name.data.strip()!r} as one of our departments.")
            return redirect(url_for("metrics_admin.index"), code=303)
    return _page(form=MetricNameForm(formdata=None), upload=MetricsUploadForm(formdata=None), department_form=form)


@bp.post("/departments/remove")
def remove_department_name():
    name = request.form.get("name", "")
    metric_names.remove_department_name(session=get_session(), actor_id=current_user.id, name=name)
    flash(f"The import no longer reads {name!r} as a department.")
    return redirect(url_for("metrics_admin.index"), code=303)


def _whole(value) -> int | None:
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _offer_departments(form: DepartmentNameForm) -> DepartmentNameForm:
    form.department_id.choices = [("", "Choose a department"), *((str(id_), name) for id_, name
                                                                 in for_lists(session=get_session()).departments)]
    return form


def _is_admin() -> bool:
    return current_user.is_authenticated and current_user.has_any(Role.ADMIN)


@bp.post("/import")
@accepts_upload("file", only_for=_is_admin)
def upload():
    """The vendor's export sent from the page: imported all or nothing, or only checked."""
    upload = MetricsUploadForm()
    report = None
    if upload.validate_on_submit() and _file_chosen(upload):
        try:
            report = import_metrics(session=get_session(), table=read_upload(upload.file.data.stream,
                                                                              upload.file.data.filename),
                                    dry_run=upload.dry_run.data)
        except DomainError as error:
            upload.file.errors = [error.message]
    if report and report.ok and not report.dry_run:
        flash(f"Imported {report.rows:,} row{'s' if report.rows != 1 else ''} ({report.shape} shape) as "
              f"{report.figures:,} figure{'s' if report.figures != 1 else ''}: one per department, month and metric.")
        return redirect(url_for("metrics_admin.index"), code=303)
    return _page(form=MetricNameForm(formdata=None), upload=upload, report=report)


def _file_chosen(upload: MetricsUploadForm) -> bool:
    if upload.file.data is None or not upload.file.data.filename:
        upload.file.errors = ["Choose the file to import."]
        return False
    return True


def _page(*, form: MetricNameForm, upload: MetricsUploadForm, report=None, department_form=None):
    department_form = department_form or _offer_departments(DepartmentNameForm(formdata=None))
    refused = form.errors or upload.errors or department_form.errors or (report is not None and not report.ok)
    session = get_session()
    return render_template("admin/metrics.html", form=form, upload=upload, report=report,
                           department_form=department_form, metrics=metrics_shown(session=session),
                           department_names=department_names_shown(session=session)), 422 if refused else 200


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
