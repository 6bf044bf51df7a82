"""People and their roles; passwords hashed with argon2id."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session

from ..enums import Role
from ..errors import DomainError
from ..models import User, UserRole
from ..queries.users import find_user

hasher = PasswordHasher()  # argon2id with the library's defaults (t=3, 64 MiB, p=4)
MIN_PASSWORD_LENGTH = 8


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
