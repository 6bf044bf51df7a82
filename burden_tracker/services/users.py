"""People and their roles; passwords hashed with argon2id, and refused when easy to guess.

A new password is refused when it is short, among the passwords people use most, or built from the person's own
name or email address; zxcvbn (a well-kept strength estimator, with lists of common passwords, words and names)
judges the rest by the guesses it would take. The reason is said beside the field.
"""

import os
import re

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session
from zxcvbn import zxcvbn

from ..enums import Role
from ..errors import DomainError
from ..models import User, UserRole
from ..queries.users import find_user

FOR_TESTS_ONLY = "cheapest-for-tests-only"


def hasher_for(setting: str | None) -> PasswordHasher:
    """argon2id with RFC 9106's low-memory profile (t=3, 64 MiB, p=4), unless PASSWORD_HASHING names the cheapest
    profile, as a test run does (tests/conftest.py): the suite signs in thousands of times, and each check at the
    real cost takes a seventh of a second. Django's tests swap in a fast hasher for the same reason."""
    return PasswordHasher.from_parameters(profiles.CHEAPEST if setting == FOR_TESTS_ONLY
                                          else profiles.RFC_9106_LOW_MEMORY)


hasher = hasher_for(os.environ.get("PASSWORD_HASHING"))  # chosen as the module loads: every hash agrees
MIN_PASSWORD_LENGTH = 8
# zxcvbn's scores run 0–4; 3 is "safely unguessable" for a password guessed online: about 10^8 guesses or more.
ENOUGH = 3
# zxcvbn judges at most this many characters (its time grows with the length); a password longer than that is judged
# by its beginning.
JUDGED = 72
TOO_EASY = "is too easy to guess"
ADVICE = "a few uncommon words together make a strong password"


def password_problem(password: str, *, name: str = "", email: str = "") -> str | None:
    """Why the person may not choose this password, for beside the field; None when it will do."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"must be at least {MIN_PASSWORD_LENGTH} characters"
    judged = password[:JUDGED]
    personal = _personal_words(name, email)
    rest = judged.lower()
    for word in personal:
        rest = rest.replace(word, "")
    if rest != judged.lower() and zxcvbn(rest)["score"] < ENOUGH:
        return f"{TOO_EASY}: it is built from your name or email address; {ADVICE}"
    verdict = zxcvbn(judged, user_inputs=list(personal))
    if verdict["score"] >= ENOUGH:
        return None
    warning = verdict["feedback"]["warning"].rstrip(".")
    return f"{TOO_EASY}: {warning[:1].lower() + warning[1:]}; {ADVICE}" if warning else f"{TOO_EASY}; {ADVICE}"


def _personal_words(name: str, email: str) -> tuple[str, ...]:
    """The person's names and the words of their email address, longest first, of three letters or more."""
    words = set(re.split(r"[\s._+\-@']+", f"{name} {email}".lower()))
    return tuple(sorted((word for word in words if len(word) >= 3), key=len, reverse=True))


def checked_password(user: User, password: str, *, field: str = "password") -> str:
    """The password's hash, or DomainError with the reason beside the field."""
    problem = password_problem(password, name=user.name, email=user.email)
    if problem:
        raise DomainError(f"The new password {problem}.", fields={field: problem})
    return hash_password(password)


def normalize_email(email: str) -> str:
    try:
        checked = validate_email(email.strip(), check_deliverability=False, globally_deliverable=False,
                                 test_environment=True)  # demo and test addresses end in .test
        return checked.normalized.lower()
    except EmailNotValidError as error:
        raise DomainError(f"“{email}” is not an email address: {error}", fields={"email": str(error)}) from None


def hash_password(password: str) -> str:
    return hasher.hash(password)


def password_matches(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        return hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False




def add_user(
    *, session: Session, email: str, roles: set[Role], password: str | None, name: str = "", active: bool = True
) -> User:
    email = normalize_email(email)
    if find_user(session=session, email=email):
        raise DomainError(f"A user with the email {email} already exists.", fields={"email": "already in use"})
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            f"The password must be at least {MIN_PASSWORD_LENGTH} characters.",
            fields={"password": f"at least {MIN_PASSWORD_LENGTH} characters"},
        )
    user = User(email=email, name=name, active=active, password_hash=password and hash_password(password))
    user.role_links = [UserRole(role=role) for role in sorted(roles)]
    session.add(user)
    session.commit()
    return user
