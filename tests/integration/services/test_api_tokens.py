"""Personal API tokens: shown once and kept as a hash, at most 90 days, renewed or revoked by their owner; and who
a presented token speaks for (queries/api_tokens.py), refused with the reason once it should no longer work."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from burden_tracker.enums import Role, TokenScope
from burden_tracker.errors import DomainError, NotFound
from burden_tracker.models import ApiToken, SignOnIdentity
from burden_tracker.queries.api_tokens import TokenRefused, holder_of, token_hash
from burden_tracker.services.api_tokens import create_token, note_use, renew_token, revoke_token
from tests.support.factories import make_user

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_a_token_is_shown_once_and_only_its_hash_is_kept(session):
    nurse = make_user(session, Role.STAFF)
    token, secret = create_token(session=session, user=nurse, name="  Intranet   wins page ", scope=TokenScope.READ,
                                 now=NOW)
    assert secret.startswith("bt_") and len(secret) > 40
    stored = session.exec(select(ApiToken)).one()
    assert stored.token_hash == token_hash(secret) and secret not in stored.model_dump_json()
    assert (stored.name, stored.shown_start, stored.expires_at) == ("Intranet wins page", secret[:9],
                                                                   NOW + timedelta(days=90))
    holder = holder_of(session=session, token=secret, now=NOW + timedelta(days=89))
    assert (holder.user.id, holder.scope) == (nurse.id, TokenScope.READ)


@pytest.mark.parametrize(("name", "days", "field"), [("", 90, "name"), ("x" * 81, 90, "name"), ("Script", 91, "days"),
                                                     ("Script", 0, "days")])
def test_a_nameless_or_too_long_lived_token_is_refused_and_nothing_kept(session, name, days, field):
    with pytest.raises(DomainError) as refused:
        create_token(session=session, user=make_user(session), name=name, scope=TokenScope.WRITE, days=days)
    assert field in refused.value.fields
    assert session.exec(select(ApiToken)).all() == []


@pytest.mark.parametrize(("change", "reason"), [
    ("expired", "The token expired on 2026-12-14: renew it on /me/tokens."),
    ("revoked", "The token is not known here, or was revoked."),
    ("deactivated", "The token's owner is deactivated."),
    ("sso quiet", "The token's owner has not signed in with single sign-on for 30 days: it works again once they do."),
])
def test_a_token_stops_working_with_the_reason(session, change, reason):
    owner = make_user(session, Role.BOARD)
    token, secret = create_token(session=session, user=owner, name="Teams", scope=TokenScope.WRITE, days=7, now=NOW)
    later = NOW + timedelta(days=1)
    if change == "expired":
        later = NOW + timedelta(days=7)
    elif change == "revoked":
        revoke_token(session=session, user=owner, token_id=token.id, now=later)
    elif change == "deactivated":
        owner.active = False
        session.commit()
    else:
        session.add(SignOnIdentity(issuer="https://login.hospital.test", subject="7d1c", user_id=owner.id,
                                   signed_in_at=later - timedelta(days=31)))
        session.commit()
    with pytest.raises(TokenRefused) as refused:
        holder_of(session=session, token=secret, now=later)
    assert refused.value.reason == reason


def test_a_recent_single_sign_on_keeps_the_token_working(session):
    owner = make_user(session)
    session.add(SignOnIdentity(issuer="https://login.hospital.test", subject="7d1c", user_id=owner.id,
                               signed_in_at=NOW - timedelta(days=29)))
    session.commit()
    _, secret = create_token(session=session, user=owner, name="Warehouse", scope=TokenScope.READ, now=NOW)
    assert holder_of(session=session, token=secret, now=NOW).user.id == owner.id


def test_an_unknown_or_foreign_looking_token_is_refused(session):
    for presented in ("bt_not-a-token", "eyJhbGciOi.a-jwt.perhaps", ""):
        with pytest.raises(TokenRefused, match="not known here"):
            holder_of(session=session, token=presented, now=NOW)


def test_renewing_gives_another_90_days_from_now_and_a_revoked_token_stays_revoked(session):
    owner, other = make_user(session), make_user(session)
    token, secret = create_token(session=session, user=owner, name="Script", scope=TokenScope.READ, days=7, now=NOW)
    later = NOW + timedelta(days=30)  # expired three weeks ago
    assert renew_token(session=session, user=owner, token_id=token.id, now=later).expires_at == later + timedelta(90)
    assert holder_of(session=session, token=secret, now=later).user.id == owner.id
    with pytest.raises(NotFound):
        revoke_token(session=session, user=other, token_id=token.id)
    revoke_token(session=session, user=owner, token_id=token.id, now=later)
    with pytest.raises(DomainError, match="A revoked token stays revoked"):
        renew_token(session=session, user=owner, token_id=token.id, now=later)


def test_a_person_holds_at_most_twenty_working_tokens(session):
    owner = make_user(session)
    for number in range(20):
        create_token(session=session, user=owner, name=f"Script {number}", scope=TokenScope.READ, now=NOW)
    with pytest.raises(DomainError, match="You have 20 tokens already"):
        create_token(session=session, user=owner, name="One more", scope=TokenScope.READ, now=NOW)


def test_the_last_use_is_stamped_at_most_once_a_minute(session):
    token, _ = create_token(session=session, user=make_user(session), name="Script", scope=TokenScope.READ, now=NOW)
    note_use(session=session, token_id=token.id, last_used_at=None, now=NOW)
    note_use(session=session, token_id=token.id, last_used_at=NOW, now=NOW + timedelta(seconds=30))
    session.refresh(token)
    assert token.last_used_at == NOW
    note_use(session=session, token_id=token.id, last_used_at=NOW, now=NOW + timedelta(minutes=2))
    session.refresh(token)
    assert token.last_used_at == NOW + timedelta(minutes=2)
