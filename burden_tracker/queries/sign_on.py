"""Single sign-on: whose a provider's identity is, and the roles its claim's values map to."""

from collections import defaultdict

from sqlmodel import Session, select

from ..enums import Role
from ..models import SignOnIdentity, SignOnRole


def identity_holder(*, session: Session, issuer: str, subject: str) -> int | None:
    """The id of the person this issuer's subject signed in as before, or None."""
    identity = session.get(SignOnIdentity, (issuer, subject))
    return identity.user_id if identity else None


def role_mappings(*, session: Session) -> dict[str, set[Role]]:
    """Each value of the roles claim that grants something here, and what it grants."""
    mapped: dict[str, set[Role]] = defaultdict(set)
    for row in session.exec(select(SignOnRole)):
        mapped[row.claim_value].add(row.role)
    return dict(mapped)


def role_mapping_rows(*, session: Session) -> list[SignOnRole]:
    """For the admin page, in the order of the values."""
    return list(session.exec(select(SignOnRole).order_by(SignOnRole.claim_value, SignOnRole.role)))
