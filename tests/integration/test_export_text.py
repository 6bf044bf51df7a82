"""What people typed reaches the workbook as text, and anonymous submitters reach it not at all."""

import re
from datetime import date

import openpyxl
import pytest

from burden_tracker import hours
from burden_tracker.enums import Actor, EventKind, State
from burden_tracker.export import as_text, write_workbook
from burden_tracker.models import Category, Event, event_note
from tests.support.factories import make_department, make_nomination, make_user
from tests.support.reporting_data import at, decide
from tests.support.spreadsheets import FORMULA_LIKE, recalculated_by_libreoffice, xml_parts

Q3 = hours.Quarter(2026, 3)
# PostgreSQL cannot store NUL in text; the sanitiser's handling of it is covered in tests/unit/test_export.py.
STORABLE_CONTROLS = "".join(chr(code) for code in [*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def test_formula_like_text_everywhere_stays_literal_text(session, tmp_path):
    board_member = make_user(session, name="=HYPERLINK(\"http://evil.example\",\"board\")")
    titles = [f"{payload} {index}" if not payload.startswith(("\t", "\r", "\n")) else payload + f" {index}"
              for index, payload in enumerate(FORMULA_LIKE)]
    department = make_department(session, "@Dept+1").id
    category = Category(name="=Forms()")
    session.add(category)
    session.commit()
    for index, title in enumerate(titles):
        nomination = make_nomination(session, title=title, state=State.EVALUATED, department_id=department,
                                     category_id=category.id,
                                     retired_on=date(2026, 8, 1), what_changed=FORMULA_LIKE[index],
                                     submitted_on=date(2026, 7, 1))
        session.add(Event(nomination_id=nomination.id, actor_id=board_member.id, acted_as=Actor.BOARD,
                          kind=EventKind.MOVED, from_state=State.EVALUATED, to_state=State.RETIRED,
                          at=at(date(2026, 8, 1)), note=event_note(f"-{FORMULA_LIKE[index]}")))
        nomination.state = State.RETIRED
        session.add(nomination)
    control = make_nomination(session, title=f"Control{STORABLE_CONTROLS}chars", submitted_on=date(2026, 7, 3))
    session.commit()
    path = tmp_path / "text.xlsx"
    write_workbook(session=session, quarter=Q3, destination=path, generated_by="+Runner")

    book = openpyxl.load_workbook(path)
    retired = book["Retired"]
    rows = list(retired.iter_rows(min_row=2, max_row=retired.max_row - 1))
    assert sorted(row[1].value for row in rows) == sorted(as_text(t) for t in titles)
    assert {row[1].data_type for row in rows} | {row[8].data_type for row in rows} == {"s"}
    assert {row[1].quotePrefix for row in rows} | {row[8].quotePrefix for row in rows} == {True}  # text if edited
    assert {(row[2].value, row[3].value) for row in rows} == {("@Dept+1", "=Forms()")}
    assert "=Forms()" in [row[0] for row in book["By category"].iter_rows(values_only=True)]
    pipeline_titles = [row[1] for row in book["Pipeline"].iter_rows(min_row=2, values_only=True)]
    assert as_text(control.title) in pipeline_titles and "\ufffd" in as_text(control.title)
    formulas = [f for name, part in xml_parts(path).items() if name.startswith("xl/worksheets/")
                for f in re.findall(r"<f>(.*?)</f>", part)]  # only the totals and the Summary's references
    ours = re.compile(r"SUM\(\w+:\w+\)|COUNT\(.+\)|'[\w ]+'!\$\w+\$\d+(/Assumptions!\$B\$\d+)?"
                      r"|COUNTIF\('Decisions'!\$[EH]\$2:\$[EH]\$\d+,(&quot;|\")\w+(&quot;|\")\)=B\d+"
                      r"|COUNTA\('Decisions'!\$E\$2:\$E\$\d+\)=B\d+"
                      r"|B\d+='[\w ]+'!\$\w+\$\d+|B\d+=COUNT\(.+\)"
                      r"|ABS\(B\d+-'[\w ]+'!\$\w+\$\d+(/Assumptions!\$B\$\d+)?\)&lt;0\.001")
    assert formulas and [f for f in formulas if not ours.fullmatch(f)] == []

    sheets = recalculated_by_libreoffice(path, tmp_path)
    shown = {row[1] for row in sheets["Retired"][1:-1]}
    assert shown == {as_text(t) for t in titles}
    decisions = sheets["Decisions"]
    assert {row[5] for row in decisions[1:]} == {board_member.name}
    assert {row[6] for row in decisions[1:]} == {as_text(f"-{p}") for p in FORMULA_LIKE}


@pytest.fixture
def anonymous_program(session):
    secret = make_user(session, name="Secret Submitter", email="secret.submitter@example.org")
    retired = make_nomination(session, submitter=secret, anonymous=True, title="Anonymous burden retired",
                              state=State.EVALUATED, retired_on=date(2026, 8, 2), what_changed="Stopped.",
                              submitted_on=date(2026, 6, 1))
    decide(session, retired, (State.EVALUATED, at(date(2026, 7, 2))), (State.RETIRED, at(date(2026, 8, 2))))
    withdrawn = make_nomination(session, submitter=secret, anonymous=True, title="Anonymous burden withdrawn",
                                submitted_on=date(2026, 7, 1))
    session.add(Event(nomination_id=withdrawn.id, actor_id=secret.id, acted_as=Actor.SUBMITTER, kind=EventKind.MOVED,
                      from_state=State.PROPOSED, to_state=State.WITHDRAWN, at=at(date(2026, 7, 20))))
    withdrawn.state = State.WITHDRAWN
    session.add(withdrawn)
    make_nomination(session, submitter=secret, anonymous=True, title="Anonymous burden open",
                    submitted_on=date(2026, 7, 5))
    session.commit()
    return secret


def test_anonymous_submitters_appear_nowhere_in_the_workbook(session, anonymous_program, tmp_path):
    path = tmp_path / "anonymous.xlsx"
    write_workbook(session=session, quarter=Q3, destination=path, generated_by="Test Runner")
    everything = "\n".join(xml_parts(path).values())
    assert "Anonymous burden withdrawn" in everything  # the decision is there...
    for secret in ("Secret Submitter", "secret.submitter@example.org", "secret.submitter"):
        assert secret not in everything  # ...but not who took it
    decisions = openpyxl.load_workbook(path)["Decisions"]
    who = {row[2]: row[5] for row in decisions.iter_rows(min_row=2, values_only=True)}
    assert who["Anonymous burden withdrawn"] == "the submitter (anonymous)"
