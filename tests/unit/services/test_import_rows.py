"""A spreadsheet row is held to the same rules, with the same sentences, as the nomination form."""

import pytest
from pydantic import ValidationError

from burden_tracker.schemas import NominationIn, field_errors
from burden_tracker.services.import_rows import _validate_nomination

VALID = dict(
    title="Duplicate fall-risk score", description="Charted every shift and again at transfer.",
    category="documentation", department="Surgery", affected_role="nurse",
    minutes_per_occurrence="1.5", occurrences_per_week=15, clinicians_affected=120,
    requirement_source="internal policy", submitted_on="2026-01-05",
)


def outcome(validate, values: dict):
    try:
        return validate(values).model_dump()
    except ValidationError as error:
        return field_errors(error)


@pytest.mark.parametrize("changes", [
    {},
    {"suggested_change": "Drop the second score.", "anonymous": True},
    {"minutes_per_occurrence": 2.4, "occurrences_per_week": 1000},  # exactly 40 hours a week
    {"minutes_per_occurrence": 60, "occurrences_per_week": 41},  # more than 40
    {"minutes_per_occurrence": "ten", "clinicians_affected": 2.5, "title": "Form"},
    {"occurrences_per_week": "inf", "affected_role": "surgeon", "submitted_on": "2026-02-30"},
    {"description": None, "category": ""},
])
def test_a_row_is_checked_exactly_as_the_form_checks_it(changes):
    values = {**VALID, **changes}

    assert outcome(_validate_nomination, values) == outcome(NominationIn.model_validate, values)
