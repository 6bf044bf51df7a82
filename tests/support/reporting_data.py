"""A small program with decisions before, during and after 2026-Q3 (1 July to 30 September 2026).

Shared by the reporting and workbook tests. Each nomination is placed as the app would leave it: its
state on the row and one event per decision, dated when it was taken.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session

from burden_tracker.enums import AffectedRole, EventKind, Role, State
from burden_tracker.models import Department, Event, Nomination, Settings, event_note
from burden_tracker.queries.users import find_user
from burden_tracker.services.admin import move_department
from tests.support.factories import make_department, make_nomination, make_site, make_user

Q3_FIRST, Q3_LAST = date(2026, 7, 1), date(2026, 9, 30)


@dataclass
class Program:
    before: Nomination  # retired 15 May: all 92 days of Q3 count
    mid: Nomination  # retired 16 August: 46 days count
    after: Nomination  # decided in Q3 to retire from 3 October: no day counts, not open at the end either
    decided_later: Nomination  # evaluated, retired in October: open (evaluated) at Q3's end
    proposed: Nomination  # submitted in Q3, still proposed
    rejected: Nomination  # rejected in August
    evaluated_late: Nomination  # evaluated on 30 September at 23:30 UTC
    next_quarter: Nomination  # submitted in October
    withdrawn: Nomination  # withdrawn in June
    first_day: Nomination  # decided 30 June, retired from 1 July: all 92 days count
    last_day: Nomination  # retired on 30 September: one day counts


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


BOARD_MEMBER = "Dr. Alex Chen"


def decide(session: Session, nomination: Nomination, *moves: tuple[State, datetime]) -> Nomination:
    """Record each move as the app would: an event with from, to and who, and the state on the row."""
    board = find_user(session=session, email="chen@example.org") or make_user(
        session, Role.BOARD, email="chen@example.org", name=BOARD_MEMBER)
    state = State.PROPOSED
    for to_state, when in moves:
        session.add(Event(nomination_id=nomination.id, kind=EventKind.MOVED, from_state=state, to_state=to_state,
                          at=when, note=event_note(f"moved to {to_state.value}"), actor_id=board.id))
        state = to_state
    nomination.state = state
    session.add(nomination)
    session.commit()
    return nomination


def build_program(session: Session, *, fiscal_year_start_month: int = 1) -> Program:
    settings = session.get(Settings, 1)
    settings.fiscal_year_start_month = fiscal_year_start_month
    session.add(settings)
    session.commit()
    submitter = make_user(session)
    cardiology = make_department(session, "Cardiology").id
    emergency = make_department(session, "Emergency Department").id

    def nomination(title, submitted_on, department_id=emergency, **values):
        return make_nomination(session, submitter=submitter, title=title, submitted_on=submitted_on,
                               department_id=department_id, **values)

    def retired(title, submitted_on, decided, retired_on, **values):
        n = nomination(title, submitted_on, state=State.EVALUATED, retired_on=retired_on,
                       what_changed=f"{title} stopped.", **values)
        return decide(session, n, (State.EVALUATED, at(submitted_on)), (State.RETIRED, at(decided)))

    return Program(
        before=retired("Retired in May", date(2026, 3, 2), date(2026, 5, 15), date(2026, 5, 15),
                       minutes_per_occurrence=2, occurrences_per_week=10, clinicians_affected=300,
                       affected_role=AffectedRole.PHYSICIAN, department_id=cardiology),
        mid=retired("Retired mid-quarter", date(2026, 4, 20), date(2026, 8, 14), date(2026, 8, 16),
                    minutes_per_occurrence=0.5, occurrences_per_week=36, clinicians_affected=900),
        after=retired("Retired in October", date(2026, 6, 1), date(2026, 9, 20), date(2026, 10, 3),
                      minutes_per_occurrence=5, occurrences_per_week=2, clinicians_affected=40,
                      affected_role=AffectedRole.PHARMACIST),
        decided_later=retired("Retired after the quarter", date(2026, 5, 4), date(2026, 10, 8), date(2026, 10, 8),
                              minutes_per_occurrence=3, occurrences_per_week=4, clinicians_affected=120),
        proposed=nomination("Proposed in July", date(2026, 7, 10), minutes_per_occurrence=1,
                            occurrences_per_week=20, clinicians_affected=50, department_id=cardiology),
        rejected=decide(session, nomination("Rejected in August", date(2026, 6, 1), minutes_per_occurrence=4,
                                            occurrences_per_week=5, clinicians_affected=10),
                        (State.REJECTED, at(date(2026, 8, 1)))),
        evaluated_late=decide(session, nomination("Evaluated on the last evening", date(2026, 7, 2),
                                                  minutes_per_occurrence=1.5, occurrences_per_week=3,
                                                  clinicians_affected=70),
                              (State.EVALUATED, at(date(2026, 9, 30), 23, 30))),
        next_quarter=nomination("Submitted in October", date(2026, 10, 5)),
        withdrawn=decide(session, nomination("Withdrawn in June", date(2026, 6, 2)),
                         (State.WITHDRAWN, at(date(2026, 6, 20)))),
        first_day=retired("Retired from the first day", date(2026, 3, 10), date(2026, 6, 30), date(2026, 7, 1),
                          minutes_per_occurrence=1, occurrences_per_week=7, clinicians_affected=80,
                          affected_role=AffectedRole.MEDICAL_ASSISTANT),
        last_day=retired("Retired on the last day", date(2026, 4, 1), date(2026, 9, 30), date(2026, 9, 30),
                         minutes_per_occurrence=6, occurrences_per_week=1, clinicians_affected=25),
    )


def cardiology_moved_to(session: Session, program: Program, name: str) -> tuple[int, int]:
    """The program's Cardiology moved, with its history, to a new site of this name, as an admin moves it: (the
    first site's id, the new one's)."""
    site_id = make_site(session, name).id
    move_department(session=session, actor_id=make_user(session, Role.ADMIN).id,
                    department_id=program.before.department_id, site_id=site_id)
    return session.get(Department, program.mid.department_id).site_id, site_id
