"""Nominating a burden: the form, and the helpers that answer while it is typed."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from ..db import get_session
from ..enums import Role
from ..errors import DomainError
from ..forms import NominationForm
from ..services.nominations import active_names, nominate
from .auth import role_required

bp = Blueprint("nominate", __name__, url_prefix="/nominations")


def _form() -> NominationForm:
    form = NominationForm()
    names = active_names(session=get_session())
    form.category.choices = [("", "Choose a category")] + [(n, n) for n in names["categories"]]
    form.department.choices = [("", "Choose a department")] + [(n, n) for n in names["departments"]]
    return form


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.STAFF, Role.BOARD)
def new():
    form = _form()
    if form.validate_on_submit():
        try:
            nomination = nominate(session=get_session(), submitter=current_user.user, data=form.checked)
        except DomainError as error:
            for name, message in error.fields.items():
                form[name].errors = [message.capitalize()]
        else:
            flash("Thank you. Your nomination is in; you will be told of every step it takes.")
            return redirect(url_for("nominations.show", nomination_id=nomination.id), code=303)
    status = 422 if form.errors else 200
    return render_template("nominations/new.html", form=form), status
