"""Nominating a burden: the form, and the helpers that answer while it is typed."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from ..db import get_session
from ..enums import Role
from ..errors import DomainError, NotFound, StaleVersion, as_sentence
from ..forms import EditNominationForm, NominationForm, SupportForm
from ..queries.commons import card_titled, nomination_from, offered_cards
from ..queries.estimates import estimate_figures
from ..queries.myths import matching as matching_myths
from ..queries.nominations import (
    active_names,
    as_it_stands,
    get_nomination,
    nomination_version,
    why_not_editable,
)
from ..queries.people import people_to_mention
from ..queries.similar import similar_nominations, suggestion
from ..schemas import IMPLAUSIBLE
from ..services.editing import edit_nomination
from ..services.nominations import nominate, support
from .auth import role_required
from .filters import read_id

bp = Blueprint("nominate", __name__, url_prefix="/nominations")


def _form(form_class=NominationForm, **data) -> NominationForm:
    form = form_class(**data)
    names = active_names(session=get_session())
    form.category.choices = [SelectChoice("", "Choose a category"), *names["categories"]]
    form.department.choices = [SelectChoice("", "Choose a department"), *names["departments"]]
    return form


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.STAFF, Role.BOARD)
def new():
    """The form, empty or, with ?card=ID, begun from a burden card another health system shared (/commons)."""
    form = _form(data=_from_card() if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            nomination = nominate(session=get_session(), submitter=current_user.user, data=form.checked,
                                  from_card_id=form.from_card.data)
        except DomainError as error:
            for name, message in error.fields.items():
                form[name].errors = [as_sentence(message)]
        else:
            flash("Thank you. Your nomination is in; you will be told of every step it takes.")
            return redirect(url_for("nominations.show", nomination_id=nomination.id), code=303)
    status = 422 if form.errors else 200
    card = card_titled(session=get_session(), card_id=form.from_card.data) if not form.from_card.errors else None
    return render_template("nominations/new.html", form=form, preview=_preview(form), card=card,
                           suggestions=_suggestions(form.title.data)), status


def _from_card() -> dict | None:
    """The fields filled from the card asked for (?card=ID); a card we do not hold is not found."""
    if "card" not in request.args:
        return None
    try:
        return nomination_from(session=get_session(), card_id=read_id(request.args, "card") or 0)
    except NotFound:
        abort(404)


@bp.route("/<int:nomination_id>/edit", methods=["GET", "POST"])
@role_required(Role.STAFF, Role.BOARD)
def edit(nomination_id: int):
    """The submitter changes their nomination while it is proposed (services/editing.py)."""
    nomination = _own_editable(nomination_id)
    stands = as_it_stands(session=get_session(), nomination=nomination)
    form = _form(EditNominationForm, data=None if request.method == "POST" else stands)
    for name in ("department", "category"):  # its own stays offered, even if no longer in use
        if stands[name] not in [choice.value if hasattr(choice, "value") else choice for choice in form[name].choices]:
            form[name].choices.append(SelectChoice(stands[name], stands[name]))
    status, message = 200, None
    if form.validate_on_submit():
        try:
            changed = edit_nomination(session=get_session(), nomination_id=nomination_id, editor=current_user.user,
                                      expected_version=_version(form.version.data), data=form.checked)
        except StaleVersion as stale:
            status, message = 409, f"{stale.message} What you typed is kept: check it, then save again."
            get_session().rollback()  # the refused edit leaves nothing; the version is read afresh
            form.version.data = str(nomination_version(session=get_session(), nomination_id=nomination_id))
        except DomainError as error:
            status, message = 422, error.message
            for name, said in error.fields.items():
                if name in form:
                    form[name].errors = [as_sentence(said)]
        else:
            flash(f"Saved: {', '.join(changed)}.")
            return redirect(url_for("nominations.show", nomination_id=nomination_id), code=303)
    elif form.errors:
        status = 422
    return render_template("nominations/edit.html", form=form, nomination_id=nomination_id, message=message,
                           preview=_preview(form), suggestions=[]), status


def _version(sent: str) -> int:
    """The version the page carried; anything else is a page that cannot be current."""
    return int(sent) if sent.isdigit() and len(sent) < 10 else -1


def _own_editable(nomination_id: int):
    try:
        nomination = get_nomination(session=get_session(), nomination_id=nomination_id)
    except NotFound:
        abort(404)
    if refusal := why_not_editable(session=get_session(), nomination=nomination, editor_id=current_user.id):
        flash(refusal)
        abort(redirect(url_for("nominations.show", nomination_id=nomination_id), code=303))
    return nomination


@bp.get("/mentions")
@role_required(Role.STAFF, Role.BOARD)
def mentions():
    """The names of active people that begin with what was typed after "@" in a comment, for the list under it."""
    people = people_to_mention(session=get_session(), typed=request.args.get("q", ""))
    return jsonify([name for _id, name in people])


@bp.get("/estimate")
@role_required(Role.STAFF, Role.BOARD)
def estimate():
    """The estimate in words for the three numbers typed so far (query string, named as the form's fields)."""
    form = NominationForm(formdata=request.args, meta={"csrf": False})
    return render_template("nominations/_estimate_preview.html", preview=_preview(form))


@bp.get("/similar")
@role_required(Role.STAFF, Role.BOARD)
def similar():
    """Open nominations sharing words with the title typed so far; the regulatory myths, and the burden cards retired
    at other health systems, sharing words with the title and description; `occurrences_per_week` prefills "me
    too"."""
    typed = f"{request.args.get('title', '')[:500]} {request.args.get('description', '')[:2000]}"
    return render_template("nominations/_similar.html", suggestions=_suggestions(request.args.get("title", "")),
                           myths=matching_myths(session=get_session(), text=typed),
                           cards=offered_cards(session=get_session(), text=typed,
                                               leaving_out=read_id(request.args, "from_card")),
                           per_week=request.args.get("occurrences_per_week", ""))


@bp.post("/similar/<int:nomination_id>/support")
@role_required(Role.STAFF, Role.BOARD)
def support_similar(nomination_id: int):
    """ "Me too" from a suggestion, at the frequency in its own field, similar-<id>-occurrences_per_week."""
    form = SupportForm(prefix=f"similar-{nomination_id}")
    per_week = (form.occurrences_per_week.data or "").strip()
    error = None
    try:
        support(session=get_session(), nomination_id=nomination_id, user=current_user.user,
                occurrences_per_week=per_week or None)
    except NotFound:
        abort(404)
    except DomainError as refused:
        error = refused.message
    item = suggestion(session=get_session(), nomination_id=nomination_id, viewer_id=current_user.id)
    return render_template("nominations/_similar_item.html", s=item, error=error, per_week=per_week), \
        422 if error else 200


def _suggestions(title: str | None):
    return similar_nominations(session=get_session(), text=(title or "")[:500], viewer_id=current_user.id)


def _preview(form: NominationForm) -> dict:
    """What the estimate preview says: what is still missing, what is wrong, or the figures."""
    missing = [form[name].label.text for name in form.estimate_fields if form[name].data is None]
    if missing:
        return {"missing": missing}
    estimate, problems = form.checked_estimate()
    if IMPLAUSIBLE in problems.values():
        return {"implausible": True}
    if problems:
        return {"problems": [(form[name].label.text, message) for name, message in problems.items()]}
    return {"figures": estimate_figures(session=get_session(), minutes=estimate.minutes_per_occurrence,
                                        per_week=estimate.occurrences_per_week,
                                        clinicians=estimate.clinicians_affected)}
