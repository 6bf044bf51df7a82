"""What a nomination may hold, and the sentence a person reads when it may not."""

import math

import pytest
from pydantic import ValidationError

from burden_tracker.schemas import NominationIn, field_errors

VALID = dict(
    title="Duplicate fall-risk score", description="Charted every shift and again at transfer.",
    category="documentation", department="Surgery", affected_role="nurse",
    minutes_per_occurrence=1.5, occurrences_per_week=15, clinicians_affected=120,
    requirement_source="internal policy",
)


def errors_for(**changes) -> dict[str, str]:
    with pytest.raises(ValidationError) as refused:
        NominationIn.model_validate({**VALID, **changes})
    return field_errors(refused.value)


def test_a_valid_nomination_passes():
    assert NominationIn.model_validate(VALID).clinicians_affected == 120


@pytest.mark.parametrize("field,value,message", [
    ("minutes_per_occurrence", 0, "must be more than 0"),
    ("minutes_per_occurrence", -3, "must be more than 0"),
    ("minutes_per_occurrence", 481, "must be at most 480"),
    ("minutes_per_occurrence", math.nan, "must be a finite number"),
    ("minutes_per_occurrence", math.inf, "must be a finite number"),
    ("minutes_per_occurrence", "ten", "must be a number"),
    ("occurrences_per_week", 1000.5, "must be at most 1,000"),
    ("occurrences_per_week", "-inf", "must be a finite number"),
    ("clinicians_affected", 0, "must be at least 1"),
    ("clinicians_affected", 100_001, "must be at most 100,000"),
    ("clinicians_affected", 2.5, "must be a whole number"),
    ("title", "Form", "must be at least 5 characters"),
    ("title", "x" * 201, "must be at most 200 characters"),
    ("description", "x" * 5001, "must be at most 5,000 characters"),
    ("description", None, "is required"),
    ("affected_role", "surgeon", "must be one of"),
])
def test_bad_values_are_refused_beside_their_field(field, value, message):
    assert errors_for(**{field: value})[field].startswith(message)


def test_more_than_forty_hours_a_week_is_implausible_but_exactly_forty_is_fine():
    assert "more than 40 hours a week" in errors_for(minutes_per_occurrence=60, occurrences_per_week=41)[
        "minutes_per_occurrence"]
    assert NominationIn.model_validate({**VALID, "minutes_per_occurrence": 60, "occurrences_per_week": 40})
