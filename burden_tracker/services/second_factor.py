"""A second factor for password accounts: time-based one-time codes (RFC 6238, through pyotp) from an app on the
person's phone, and ten single-use recovery codes for when the phone is lost.

A code is accepted for the current 30-second step or the one before or after it (phones' clocks drift), and never
for a step at or before the last one accepted: a code seen over someone's shoulder is worth nothing once used.
Recovery codes are long random strings, kept as SHA-256 hashes like session tokens. Admins must have a second
factor when SECOND_FACTOR_FOR_ADMINS is on (the default); single sign-on accounts get theirs from the provider.
"""

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
from sqlalchemy import delete, update
from sqlmodel import Session, select

from ..enums import Role
from ..errors import DomainError
from ..models import RecoveryCode, User, utc_now
from ..queries.users import get_user

ISSUER = "Burden Tracker"  # what the phone's app lists the account under
RECOVERY_CODES = 10
DRIFT = 1  # steps either side of now that a code may be for
WRONG_CODE = "is not the code your app shows now: check the phone's clock and type the newest one"
CHECK, ENROL = "check", "enrol"


def needed(user: User, *, admins_must: bool) -> str | None:
    """CHECK when the person has a second factor, ENROL when they must and have none, else None."""
    if user.totp_secret:
        return CHECK
    if admins_must and user.has_role(Role.ADMIN):
        return ENROL
    return None


def new_secret() -> str:
    return pyotp.random_base32()


def enrolment_address(secret: str, email: str) -> str:
    """The otpauth:// address a phone's app reads from the QR code, or from a link on the phone itself."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def enrol(*, session: Session, user_id: int, secret: str, code: str, now: datetime | None = None) -> list[str]:
    """Turns the second factor on once the person proves their app holds the secret; the new recovery codes, shown
    once. Commits."""
    user = get_user(session=session, user_id=user_id)
    step = _step_of(secret, code, after=None, now=now)
    if step is None:
        raise DomainError(f"The code {WRONG_CODE}.", fields={"code": WRONG_CODE})
    user.totp_secret, user.totp_last_step = secret, step
    codes = _new_recovery_codes(session, user.id)
    session.commit()
    return codes


def accept(*, session: Session, user_id: int, code: str, now: datetime | None = None) -> str | None:
    """Checks a one-time code, or failing that a recovery code, and spends it; which it was ("code" or "recovery
    code"), or None when neither. Commits."""
    user = get_user(session=session, user_id=user_id)
    typed = "".join(code.split())
    step = _step_of(user.totp_secret, typed, after=user.totp_last_step, now=now) if user.totp_secret else None
    if step is not None:
        claimed = session.execute(update(User).where(User.id == user.id, (User.totp_last_step.is_(None))
                                                     | (User.totp_last_step < step)).values(totp_last_step=step))
        session.commit()
        return "code" if claimed.rowcount == 1 else None  # of two uses at once, one wins
    spent = session.execute(update(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(typed),
        RecoveryCode.used_at.is_(None)).values(used_at=utc_now()))
    session.commit()
    return "recovery code" if spent.rowcount == 1 else None


def recovery_codes_left(*, session: Session, user_id: int) -> int:
    return len(session.exec(select(RecoveryCode.id).where(RecoveryCode.user_id == user_id,
                                                          RecoveryCode.used_at.is_(None))).all())


def new_recovery_codes(*, session: Session, user_id: int) -> list[str]:
    """Ten new codes; the old ones stop working. Commits."""
    codes = _new_recovery_codes(session, user_id)
    session.commit()
    return codes


def turn_off(*, session: Session, user_id: int, admins_must: bool) -> None:
    user = get_user(session=session, user_id=user_id)
    if admins_must and user.has_role(Role.ADMIN):
        raise DomainError("An admin must keep a second factor here.")
    user.totp_secret, user.totp_last_step = None, None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    session.commit()


def _step_of(secret: str, code: str, *, after: int | None, now: datetime | None) -> int | None:
    """The time step the code is for, among now's and its neighbours', and later than `after`; None otherwise."""
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now or utc_now())
    for step in range(current - DRIFT, current + DRIFT + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _new_recovery_codes(session: Session, user_id: int) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(user_id=user_id, code_hash=_hash(code)) for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]  # shown in two halves, typed with or without the dash


def _hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").lower().encode()).hexdigest()
