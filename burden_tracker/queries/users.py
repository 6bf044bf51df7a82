"""People: one by id or by email, who of them sits on the board, and the demo's accounts."""

from sqlmodel import Session, select

from ..enums import Role
from ..errors import NotFound
from ..models import User, UserRole


def get_user(*, session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user #{user_id}.")
    return user


def find_user(*, session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def active_board_member(*, session: Session, user_id: int) -> User | None:
    """The person, when they are active and on the board: who may own a nomination's evaluation."""
    return session.exec(select(User).join(UserRole).where(User.id == user_id, User.active.is_(True),
                                                          UserRole.role == Role.BOARD)).first()


def demo_logins(*, session: Session) -> list[tuple[str, str]]:
    users = session.execute(
        select(User).where(User.active.is_(True), User.email.like("%@demo.test")).order_by(User.id)
    ).scalars()
    return [(u.email, ", ".join(sorted(r.value for r in u.roles))) for u in users]
