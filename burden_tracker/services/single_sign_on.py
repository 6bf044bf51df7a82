"""Signing in through the organization's identity provider (OpenID Connect): the account its verified claims
open or link here, and the roles its roles claim grants.

What the provider sent has been checked before it gets here (views/sso.py checks the ID token's signature,
issuer, audience, expiry and nonce); this module decides what the claims are worth. A person is known by the
provider's issuer and their subject there. Their email links an account made before only when the provider
vouches for it (email_verified) or its domain is one the organization trusts: Microsoft Entra ID never sends
email_verified, and anyone may type any email into some providers' profiles.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from ..enums import Role
from ..errors import DomainError
from ..models import SignOnIdentity, SignOnRole, User, UserRole, utc_now
from ..queries.sign_on import identity_holder, role_mappings
from ..queries.users import find_user, get_user
from .admin import record_admin_change
from .auth import SessionPolicy, Where, start_session
from .users import normalize_email

# Why a sign-in is refused; views/sso.py words each for the person.
UNVERIFIED_EMAIL, NO_EMAIL, EMAIL_TAKEN, DEACTIVATED = "unverified email", "no email", "email taken", "deactivated"
CLAIM_VALUE_MAX = 255


class SignOnRefused(DomainError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ProviderClaims:
    """What a verified ID token says of the person."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool | None  # None: the provider does not say
    name: str
    role_values: frozenset[str]  # taken as opaque strings: Entra sends group ids

    @classmethod
    def of(cls, claims: Mapping, *, roles_claim: str) -> "ProviderClaims":
        values = claims.get(roles_claim) or ()
        if isinstance(values, str):
            values = (values,)
        verified = claims.get("email_verified")
        if isinstance(verified, str):  # some providers send "true" and "false"
            verified = {"true": True, "false": False}.get(verified.lower())
        return cls(issuer=claims["iss"], subject=str(claims["sub"]), email=claims.get("email") or None,
                   email_verified=verified if isinstance(verified, bool) else None,
                   name=str(claims.get("name") or "")[:120], role_values=frozenset(str(v) for v in values))


def sign_in_with_provider(*, session: Session, claims: ProviderClaims, trusted_domains: tuple[str, ...],
                          policy: SessionPolicy | None = None, id_token: str | None = None,
                          now: datetime | None = None, where: Where | None = None) -> tuple[User, str, str]:
    """The person, a new session token and what changed ("created", "linked" or "known"); SignOnRefused with
    nothing written when the claims cannot open an account here."""
    user_id = identity_holder(session=session, issuer=claims.issuer, subject=claims.subject)
    if user_id is not None:
        user, how = get_user(session=session, user_id=user_id), "known"
        session.get(SignOnIdentity, (claims.issuer, claims.subject)).signed_in_at = now or utc_now()
    else:
        user, how = _account_for(session=session, claims=claims, trusted_domains=trusted_domains)
    if not user.active:
        session.rollback()
        raise SignOnRefused(DEACTIVATED)
    if claims.name and claims.name != user.name:
        user.name = claims.name
    _apply_roles(session=session, user=user, role_values=claims.role_values)
    token = start_session(session=session, user=user, policy=policy, now=now, id_token=id_token, where=where)
    return user, token, how


def _account_for(*, session: Session, claims: ProviderClaims, trusted_domains) -> tuple[User, str]:
    """The account a first sign-in opens, or the one made before that it links to; linked, not committed."""
    if claims.email_verified is False:
        raise SignOnRefused(UNVERIFIED_EMAIL)
    if not claims.email:
        raise SignOnRefused(NO_EMAIL)
    try:
        email = normalize_email(claims.email)
    except DomainError:
        raise SignOnRefused(NO_EMAIL) from None
    user = find_user(session=session, email=email)
    how = "linked"
    if user is None:
        user, how = User(email=email, name=claims.name), "created"
        session.add(user)
    elif not (claims.email_verified or email.rpartition("@")[2] in trusted_domains):
        raise SignOnRefused(EMAIL_TAKEN)
    session.flush()
    session.add(SignOnIdentity(issuer=claims.issuer, subject=claims.subject, user_id=user.id))
    return user, how


def _apply_roles(*, session: Session, user: User, role_values: frozenset[str]) -> None:
    """Roles that some mapping names follow the claim: granted when a value maps to them, removed when none
    does. Roles no mapping names stay as /admin left them. Someone with no role at all is staff."""
    mappings = role_mappings(session=session)
    managed = set().union(*mappings.values())
    granted = set().union(*(mappings.get(value, set()) for value in role_values))
    wanted = ((user.roles - managed) | granted) or {Role.STAFF}
    if wanted != user.roles:
        kept = [link for link in user.role_links if link.role in wanted]
        user.role_links = kept + [UserRole(role=role) for role in sorted(wanted - user.roles)]
        session.flush()


def map_role(*, session: Session, actor_id: int, claim_value: str, role: Role) -> None:
    """From the next sign-in on, this value of the roles claim grants the role, and its absence removes it."""
    value = (claim_value or "").strip()
    if not 1 <= len(value) <= CLAIM_VALUE_MAX:
        raise DomainError("Type the value as the provider sends it: a group's id or a role's name.",
                          fields={"claim_value": f"must be 1 to {CLAIM_VALUE_MAX} characters"})
    if session.get(SignOnRole, (value, role)) is None:
        session.add(SignOnRole(claim_value=value, role=role))
        record_admin_change(session, actor_id, f"single sign-on: {value} grants {role.value}")
    session.commit()


def unmap_role(*, session: Session, actor_id: int, claim_value: str, role: Role) -> None:
    """Roles no mapping names are left to /admin from then on; nobody loses one until their next sign-in."""
    row = session.get(SignOnRole, (claim_value, role))
    if row is not None:
        session.delete(row)
        record_admin_change(session, actor_id, f"single sign-on: {claim_value} no longer grants {role.value}")
        session.commit()
