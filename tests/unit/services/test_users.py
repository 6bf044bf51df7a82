"""What a new password must be: long enough, not among the passwords people use most, not built from the person's
own name or email address. The reason is what the person reads beside the field."""

import pytest

from burden_tracker.services.users import password_problem

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
