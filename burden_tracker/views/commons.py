"""/commons, for everyone signed in: the burden cards other health systems shared and an admin imported, searchable
and filtered, and one card's page, from which a person begins a nomination of the same burden here
(nominate.new?card=ID). Cards name no person."""

from flask import Blueprint, abort, render_template, request

from ..db import get_session
from ..enums import AffectedRole, Outcome, RequirementSource
from ..errors import NotFound
from ..queries.commons import CardFilters, field_card, field_cards, started_here, vendors
from .filters import one_of, push_address, read_page, read_search, read_value
from .rendering import render, wants_fragment

bp = Blueprint("commons", __name__, url_prefix="/commons")


@bp.get("")
def index():
    session = get_session()
    known_vendors = vendors(session=session)
    ignored: list[str] = []
    filters = CardFilters(
        q=read_search(request.args),
        vendor=read_value(request.args, "vendor", lambda text: one_of(text, known_vendors), ignored),
        outcome=read_value(request.args, "outcome", Outcome, ignored),
        role=read_value(request.args, "role", AffectedRole, ignored),
        source=read_value(request.args, "source", RequirementSource.from_label, ignored))
    page = read_page(request.args)
    listing = field_cards(session=session, filters=filters, page=page)
    query = filters.address_values()
    response = render("commons/index.html", "commons/_cards.html", listing=listing, filters=filters, query=query,
                      vendors=known_vendors, ignored=ignored, outcomes=list(Outcome), roles=list(AffectedRole),
                      sources=list(RequirementSource), in_place=wants_fragment())
    return push_address(response, "commons.index", query, page) if wants_fragment() else response


@bp.get("/<int:card_id>")
def show(card_id: int):
    session = get_session()
    try:
        card = field_card(session=session, card_id=card_id)
    except NotFound:
        abort(404)
    return render_template("commons/show.html", card=card, started=started_here(session=session, card_id=card_id))
