"""What a new password must be: long enough, not among the passwords people use most, not built from the person's
own name or email address. The reason is what the person reads beside the field."""

import pytest

from burden_tracker.services.users import FOR_TESTS_ONLY, hasher_for, password_problem

PERSON = {"name": "Dana Whitfield", "email": "dana.whitfield@hospital.test"}


def test_a_short_password_is_refused():
    assert password_problem("short", **PERSON) == "must be at least 8 characters"


@pytest.mark.parametrize(("password", "reason"), [
    ("password", "is too easy to guess: this is a top-10 common password"),
    ("qwertyuiop", "is too easy to guess: this is a top-100 common password"),
    ("demo-password", "is too easy to guess: this is similar to a commonly used password"),
    ("Dana.Whitfield1", "is too easy to guess: it is built from your name or email address"),
    ("whitfield2026!", "is too easy to guess: it is built from your name or email address"),
    ("hospital.test99", "is too easy to guess: it is built from your name or email address"),
    ("11111111", "is too easy to guess"),
])
def test_an_easy_password_is_refused_with_its_reason(password, reason):
    problem = password_problem(password, **PERSON)
    assert problem is not None and problem.startswith(reason)
    assert problem.endswith("a few uncommon words together make a strong password")


@pytest.mark.parametrize("password", ["correct horse battery staple", "ward7 pager beeps at 3am",
                                      "Dana walks the night rounds slowly", "x" * 5 + "Ql9#vT2&mW8!" * 80])
def test_a_hard_password_is_accepted(password):
    assert password_problem(password, **PERSON) is None


@pytest.mark.parametrize("setting", [None, "", "cheapest", "CHEAPEST-FOR-TESTS-ONLY", "low"])
def test_passwords_are_hashed_at_rfc_9106s_cost_unless_the_tests_cheapest_is_named_exactly(setting):
    stored = hasher_for(setting).hash("correct horse battery staple")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_the_tests_cheapest_cost_is_still_argon2id_and_is_upgraded_by_the_real_one():
    cheap = hasher_for(FOR_TESTS_ONLY).hash("correct horse battery staple")
    assert cheap.startswith("$argon2id$") and hasher_for(None).check_needs_rehash(cheap)
