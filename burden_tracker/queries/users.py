"""People: one by id or by email, and the demo's accounts."""

from sqlmodel import Session, select

from ..errors import NotFound
from ..models import User


def get_user(*, session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user #{user_id}.")
    return user


def find_user(*, session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def demo_logins(*, session: Session) -> list[tuple[str, str]]:
    users = session.execute(
        select(User).where(User.active.is_(True), User.email.like("%@demo.test")).order_by(User.id)
    ).scalars()
    return [(u.email, ", ".join(sorted(r.value for r in u.roles))) for u in users]
