"""Nominating at /nominations/new, the estimate preview and the similar nominations, on SQLite and PostgreSQL."""

import re

import pytest
from sqlalchemy import func, select

from burden_tracker.enums import AffectedRole, Outcome, RequirementSource, Role, State
from burden_tracker.models import Category, Department, Nomination, Settings, Supporter
from tests.support.factories import make_card, make_department, make_nomination, make_user
from tests.support.web import csrf_token, sign_in

GOOD = {
    "title": "Pain score charted twice",
    "description": "Nurses chart the same pain score in two flowsheet rows.\r\nNobody reads the second.",
    "category": "documentation",
    "department": "Surgery",
    "affected_role": "nurse",
    "minutes_per_occurrence": "0.4",
    "occurrences_per_week": "36",
    "clinicians_affected": "900",
    "requirement_source": "internal policy",
    "suggested_change": "Drop the second row.",
    "anonymous": "y",
}


@pytest.fixture
def staff(client, session):
    make_department(session, "Surgery")
    user = make_user(session, can_sign_in=True)
    sign_in(client, user.email)
    return user


def post(client, **changes):
    data = {**GOOD, "csrf_token": csrf_token(client, "/nominations/new"), **changes}
    return client.post("/nominations/new", data={k: v for k, v in data.items() if v is not None})


def nominations(session) -> int:
    return session.scalar(select(func.count()).select_from(Nomination))


def error_beside(html: str, name: str) -> str:
    match = re.search(rf'<small id="{name}-error" class="field-error">([^<]*)</small>', html)
    assert match, f"no message beside {name}"
    control = re.search(rf'<(?:input|select|textarea) [^>]*\bid="{name}"[^>]*>', html)[0]
    assert re.search(rf'aria-describedby="([^"]* )?{name}-error[ "]', control), "the message is not tied to the field"
    return match[1]


def words(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def test_a_good_nomination_is_stored_with_every_field_and_its_submitter(client, session, staff):
    response = post(client)
    nomination = session.scalars(select(Nomination)).one()
    assert response.status_code == 303
    assert response.headers["Location"] == f"/nominations/{nomination.id}"
    assert (nomination.title, nomination.description, nomination.suggested_change) == (
        GOOD["title"], "Nurses chart the same pain score in two flowsheet rows.\nNobody reads the second.",
        GOOD["suggested_change"])
    assert session.get(Category, nomination.category_id).name == "documentation"
    assert session.get(Department, nomination.department_id).name == "Surgery"
    assert nomination.affected_role is AffectedRole.NURSE
    assert nomination.requirement_source is RequirementSource.INTERNAL_POLICY
    assert (nomination.minutes_per_occurrence, nomination.occurrences_per_week, nomination.clinicians_affected) == (
        0.4, 36, 900)
    assert nomination.anonymous is True
    assert nomination.submitter_id == staff.id
    assert nomination.state is State.PROPOSED


def test_the_form_offers_every_field_named_as_the_import_columns(client, staff):
    html = client.get("/nominations/new").get_data(as_text=True)
    for name in GOOD:
        assert f'name="{name}"' in html


@pytest.mark.parametrize("value,stored", [("y", True), ("no", False), (None, False)])
def test_the_anonymous_checkbox_is_stored_as_ticked_or_not(client, session, staff, value, stored):
    assert post(client, anonymous=value).status_code == 303
    assert session.scalars(select(Nomination.anonymous)).one() is stored


def test_a_nul_character_is_dropped_rather_than_refused_by_the_database(client, session, staff):
    assert post(client, title="Pain score\x00 charted twice").status_code == 303
    assert session.scalars(select(Nomination.title)).one() == "Pain score charted twice"


def test_exactly_forty_hours_a_week_for_one_person_is_accepted(client, session, staff):
    assert post(client, minutes_per_occurrence="2.4", occurrences_per_week="1000").status_code == 303
    assert nominations(session) == 1


@pytest.mark.parametrize("changes,field,message", [
    ({"minutes_per_occurrence": "-1"}, "minutes_per_occurrence", "Must be more than 0"),
    ({"minutes_per_occurrence": "0"}, "minutes_per_occurrence", "Must be more than 0"),
    ({"minutes_per_occurrence": "481"}, "minutes_per_occurrence", "Must be at most 480"),
    ({"minutes_per_occurrence": "1e999"}, "minutes_per_occurrence", "Must be a finite number"),
    ({"minutes_per_occurrence": "NaN"}, "minutes_per_occurrence", "Must be a finite number"),
    ({"minutes_per_occurrence": ""}, "minutes_per_occurrence", "Is required"),
    ({"occurrences_per_week": "inf"}, "occurrences_per_week", "Must be a finite number"),
    ({"occurrences_per_week": "often"}, "occurrences_per_week", "Must be a number"),
    ({"occurrences_per_week": "1001"}, "occurrences_per_week", "Must be at most 1,000"),
    ({"clinicians_affected": "0"}, "clinicians_affected", "Must be at least 1"),
    ({"clinicians_affected": "100001"}, "clinicians_affected", "Must be at most 100,000"),
    ({"clinicians_affected": "2.5"}, "clinicians_affected", "Must be a whole number"),
    ({"minutes_per_occurrence": "60", "occurrences_per_week": "41"}, "minutes_per_occurrence",
     "More than 40 hours a week for one clinician"),
    ({"minutes_per_occurrence": "500", "occurrences_per_week": "5"}, "minutes_per_occurrence", "Must be at most 480"),
    ({"title": "   "}, "title", "Is required"),
    ({"title": "Pain"}, "title", "Must be at least 5 characters"),
    ({"title": "x" * 201}, "title", "Must be at most 200 characters"),
    ({"description": ""}, "description", "Is required"),
    ({"description": "x" * 5001}, "description", "Must be at most 5,000 characters"),
    ({"suggested_change": "x" * 5001}, "suggested_change", "Must be at most 5,000 characters"),
    ({"category": ""}, "category", "Is required"),
    ({"category": "astrology"}, "category", "Is not a category we know"),
    ({"department": "Mars Base"}, "department", "Is not a department we know"),
    ({"affected_role": "surgeon"}, "affected_role", "Must be one of"),
    ({"requirement_source": "the moon"}, "requirement_source", "Must be one of"),
])
def test_a_bad_value_is_refused_beside_its_field_and_nothing_is_stored(client, session, staff, changes, field,
                                                                      message):
    response = post(client, **changes)
    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), field).startswith(message)
    assert nominations(session) == 0


def test_the_forty_hour_limit_is_told_even_when_another_field_is_wrong_too(client, session, staff):
    response = post(client, title="", minutes_per_occurrence="60", occurrences_per_week="41")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_beside(html, "title") == "Is required"
    assert error_beside(html, "minutes_per_occurrence").startswith("More than 40 hours a week")
    assert nominations(session) == 0


def test_a_refused_form_keeps_what_was_typed(client, staff):
    html = post(client, clinicians_affected="lots").get_data(as_text=True)
    assert 'value="Pain score charted twice"' in html
    assert 'value="lots"' in html


def test_a_nomination_without_a_csrf_token_is_refused_and_nothing_is_stored(client, session, staff):
    response = client.post("/nominations/new", data=GOOD)
    assert response.status_code == 400
    assert nominations(session) == 0


def test_an_executive_may_not_nominate(client, session):
    sign_in(client, make_user(session, Role.EXECUTIVE, can_sign_in=True).email)
    for path in ("/nominations/new", "/nominations/estimate", "/nominations/similar?title=sepsis"):
        assert client.get(path).status_code == 403
    token = csrf_token(client, "/nominations")
    assert client.post("/nominations/similar/1/support", headers={"X-CSRFToken": token}).status_code == 403


def estimate(client, minutes="", per_week="", people=""):
    return client.get("/nominations/estimate", query_string={
        "minutes_per_occurrence": minutes, "occurrences_per_week": per_week, "clinicians_affected": people})


def test_the_estimate_preview_says_the_hours_and_fte_in_words(client, staff):
    text = words(estimate(client, "0.4", "36", "900"))
    assert "About 9,900 clinician-hours a year, 4.8 FTE." in text
    assert "= 216 hours a week, × 46 working weeks; one FTE is 2,080 hours a year" in text
    assert "Each person spends 14.4 minutes a week on it (the limit is 40 hours)" in text


def test_the_estimate_preview_follows_the_program_settings(client, session, staff):
    settings = session.get(Settings, 1)
    settings.working_weeks_per_year, settings.fte_hours_per_year = 48, 1920
    session.commit()
    assert "About 10,000 clinician-hours a year, 5.4 FTE." in words(estimate(client, "0.4", "36", "900"))


@pytest.mark.parametrize("numbers,expected", [
    (("", "", ""), "Fill in “Minutes each time”, “Times a week” and “People who do it”"),
    (("0.4", "", "900"), "Fill in “Times a week” to see what it costs in a year"),
    (("abc", "36", "900"), "“Minutes each time” must be a number."),
    (("nan", "-1", "900"), "“Minutes each time” must be a finite number. “Times a week” must be more than 0."),
    (("1", "1", "9" * 5000), "“People who do it”"),
    (("100", "100", "9"), "That is more than 40 hours a week for one person"),
])
def test_the_estimate_preview_says_plainly_what_is_missing_or_wrong(client, staff, numbers, expected):
    response = estimate(client, *numbers)
    assert response.status_code == 200
    assert expected in words(response)


def similar(client, title: str) -> str:
    return words(client.get("/nominations/similar", query_string={"title": title}))


def test_similar_nominations_are_found_by_words_of_their_title_and_description(client, session, staff):
    by_title = make_nomination(session, title="Sepsis screening alert on every vital sign", description="Dismissed.")
    by_description = make_nomination(session, title="Second flowsheet row",
                                     description="The pain reassessment is charted twice.")
    make_nomination(session, title="Unrelated fax cover sheet", description="Faxes.")
    assert by_title.title in similar(client, "Sepsis alerts keep firing")
    found = similar(client, "double REASSESSMENT")
    assert by_description.title in found
    assert "fax" not in found.lower()


def test_similar_nominations_leave_out_closed_ones(client, session, staff):
    for state in (State.RETIRED, State.REJECTED, State.DUPLICATE, State.WITHDRAWN):
        make_nomination(session, title=f"Sepsis bundle note, {state.value}", state=state)
    evaluated = make_nomination(session, title="Sepsis bundle note, still open", state=State.EVALUATED)
    found = similar(client, "sepsis bundle")
    assert evaluated.title in found
    assert found.count('<li id="similar-') == 1


def test_similar_nominations_are_at_most_five_best_matches_first(client, session, staff):
    best = make_nomination(session, title="Restraint order renewal for ventilated patients", state=State.EVALUATED)
    for number in range(7):  # newer, so only the score can put the best one first
        make_nomination(session, title=f"Restraint order renewal number {number}")
    found = similar(client, "ventilated restraint renewal")
    assert found.count('<li id="similar-') == 5
    assert found.index('<li id="similar-') == found.index(f'<li id="similar-{best.id}"')


def test_similar_nominations_ignore_short_and_common_words(client, session, staff):
    make_nomination(session, title="The alert for all of the patients")
    assert "<li" not in similar(client, "the and for all of it")


def test_similar_nominations_never_name_an_anonymous_submitter(client, session, staff):
    hidden = make_user(session, name="Dana Hidden", email="dana.hidden@example.org")
    make_nomination(session, title="Sepsis screening alert fires twice", submitter=hidden, anonymous=True)
    found = similar(client, "sepsis screening")
    assert "Sepsis screening alert fires twice" in found
    assert "Dana" not in found and "dana.hidden" not in found


def me_too(client, nomination_id: int, per_week: str):
    token = csrf_token(client, "/nominations/new")
    return client.post(f"/nominations/similar/{nomination_id}/support", headers={"X-CSRFToken": token},
                       data={f"similar-{nomination_id}-occurrences_per_week": per_week})


def supporters(session) -> list[tuple[int, float]]:
    rows = list(session.execute(select(Supporter.user_id, Supporter.occurrences_per_week)).all())
    session.commit()  # on SQLite the test's session would otherwise keep the write lock the app needs next
    return rows


def test_me_too_from_the_suggestions_stores_one_supporter_and_refuses_a_second(client, session, staff):
    nomination = make_nomination(session, title="Sepsis screening alert fires twice")
    first = me_too(client, nomination.id, "3")
    assert first.status_code == 200
    assert "You support this" in words(first)
    assert supporters(session) == [(staff.id, 3.0)]
    second = me_too(client, nomination.id, "3")
    assert second.status_code == 422
    assert "You already support this nomination." in words(second)
    assert supporters(session) == [(staff.id, 3.0)]


def test_a_suggestion_already_supported_says_so_instead_of_offering_me_too(client, session, staff):
    nomination = make_nomination(session, title="Sepsis screening alert fires twice")
    me_too(client, nomination.id, "3")
    found = similar(client, "sepsis")
    assert "You support this" in found
    assert f"/nominations/similar/{nomination.id}/support" not in found


@pytest.mark.parametrize("per_week,message", [("", "Times a week is required."),
                                              ("0", "Times a week must be more than 0."),
                                              ("5000", "Times a week must be at most 1,000.")])
def test_me_too_with_a_bad_frequency_says_why_beside_it_and_stores_nothing(client, session, staff, per_week, message):
    nomination = make_nomination(session, title="Sepsis screening alert fires twice")
    response = me_too(client, nomination.id, per_week)
    assert response.status_code == 422
    assert message in words(response)
    assert f'id="similar-{nomination.id}-occurrences_per_week-error"' in response.get_data(as_text=True)
    assert supporters(session) == []


def test_me_too_without_a_csrf_token_is_refused(client, session, staff):
    nomination = make_nomination(session, title="Sepsis screening alert fires twice")
    response = client.post(f"/nominations/similar/{nomination.id}/support",
                           data={f"similar-{nomination.id}-occurrences_per_week": "3"})
    assert response.status_code == 400
    assert supporters(session) == []


def test_me_too_for_a_nomination_that_does_not_exist_is_not_found(client, staff):
    assert me_too(client, 999, "3").status_code == 404


# The submitter's edit


def edit(client, nomination, **changes):
    page = f"/nominations/{nomination.id}/edit"
    data = {**GOOD, "csrf_token": csrf_token(client, page), "version": str(nomination.version), **changes}
    return client.post(page, data={k: v for k, v in data.items() if v is not None})


def test_the_submitter_edits_a_proposed_nomination_from_a_form_filled_as_it_stands(client, session, staff):
    post(client)
    nomination = session.scalars(select(Nomination)).one()
    session.commit()
    page = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert f'href="/nominations/{nomination.id}/edit"' in page
    form = client.get(f"/nominations/{nomination.id}/edit").get_data(as_text=True)
    assert f'value="{GOOD["title"]}"' in form and 'name="version" value="1"' in form and "Hide my name" not in form
    response = edit(client, nomination, title="Discharge checklist signed twice", clinicians_affected="60")
    assert response.status_code == 303 and response.headers["Location"] == f"/nominations/{nomination.id}"
    shown = words(client.get(f"/nominations/{nomination.id}"))
    assert "Saved: title, estimate" in shown and "Edited: title; estimate" in shown
    session.refresh(nomination)
    assert (nomination.title, nomination.clinicians_affected) == ("Discharge checklist signed twice", 60)


def test_an_edit_from_a_stale_page_keeps_what_was_typed_for_sending_again(client, session, staff):
    post(client)
    nomination = session.scalars(select(Nomination)).one()
    session.commit()
    edit(client, nomination, title="Edited in another tab first")
    stale = edit(client, nomination, title="Edited from the old tab")
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "What you typed is kept" in page
    assert 'value="Edited from the old tab"' in page and 'name="version" value="2"' in page


def test_only_the_submitter_edits_and_only_while_it_is_proposed(client, session, staff):
    theirs = make_nomination(session)
    assert client.get(f"/nominations/{theirs.id}/edit").status_code == 303
    assert "Only the person who submitted a nomination can edit it." in words(client.get(f"/nominations/{theirs.id}"))
    mine = make_nomination(session, submitter=staff, state=State.EVALUATED)
    response = client.get(f"/nominations/{mine.id}/edit")
    assert response.status_code == 303 and response.headers["Location"] == f"/nominations/{mine.id}"
    assert "can no longer be edited" in words(client.get(f"/nominations/{mine.id}"))
    assert client.get("/nominations/999999/edit").status_code == 404


def test_a_forged_version_is_a_stale_page_and_a_retired_department_stays_offered(client, session, staff):
    post(client)
    nomination = session.scalars(select(Nomination)).one()
    session.get(Department, nomination.department_id).active = False
    session.commit()
    form = client.get(f"/nominations/{nomination.id}/edit").get_data(as_text=True)
    assert '<option selected value="Surgery">Surgery</option>' in form, "its own department, no longer in use"
    assert edit(client, nomination, title="A forged page", version="1e9").status_code == 409
    assert edit(client, nomination, title="Kept in a retired department").status_code == 303
    assert client.get("/nominations/999999/edit").status_code == 404


# Begun from a burden card another health system shared (/commons)

def test_a_card_fills_the_form_and_the_nomination_made_from_it_links_to_it(client, session, staff):
    card = make_card(session, "IV site charted twice", what_was_done="Each IV assessed in two places.",
                     what_changed="One row left.", category="documentation", organization="Valley Health",
                     requirement_source=RequirementSource.EHR_BUILD).id
    session.rollback()
    page = words(client.get(f"/nominations/new?card={card}"))
    assert f'Begun from <a href="/commons/{card}">IV site charted twice</a>' in page
    assert 'value="IV site charted twice"' in page and "> Each IV assessed in two places.</textarea>" in page
    assert re.search(r'<option selected value="documentation">|<option value="documentation" selected>', page)
    assert f'name="from_card" id="from_card" value="{card}"' in page and "Valley Health" not in page
    response = post(client, title="IV site charted twice", from_card=str(card))
    nomination_id, from_card = session.execute(select(Nomination.id, Nomination.from_card_id)).one()
    session.rollback()
    assert response.status_code == 303 and from_card == card
    shown = words(client.get(f"/nominations/{nomination_id}"))
    assert f'Begun from a burden card</dt><dd><a href="/commons/{card}">IV site charted twice</a>' in shown


def test_a_card_that_is_not_held_is_not_found_or_refused_and_nothing_is_stored(client, session, staff):
    assert client.get("/nominations/new?card=99999").status_code == 404
    for forged in ("99999", "abc", "0"):
        response = post(client, from_card=forged)
        page = words(response)
        assert response.status_code == 422 and "The burden card this was begun from is not one we hold." in page
        assert 'name="from_card" id="from_card" value=""' in page  # sent again, it is made without the card
        assert nominations(session) == 0
        session.rollback()


def test_cards_retired_elsewhere_are_offered_while_a_nomination_is_typed(client, session, staff):
    card = make_card(session, "Wound photos printed for the chart", organization="Valley Health",
                     what_changed="The photos stay in the EHR.", outcome=Outcome.REMOVED).id
    session.rollback()
    offered = words(client.get("/nominations/similar", query_string={"title": "Printing every wound photo"}))
    assert "Retired at another health system:" in offered and "Valley Health · removed: The photos stay" in offered
    assert f'href="/nominations/new?card={card}">Nominate it from this card instead' in offered
    begun_from_it = {"title": "Printing every wound photo", "from_card": str(card)}
    assert "Retired at another health system" not in words(client.get("/nominations/similar",
                                                                       query_string=begun_from_it))
