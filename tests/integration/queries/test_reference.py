"""List pages keep settings, departments and categories per worker (queries/reference.py), and still show a
change at once, however it was made: here it is made by plain SQL on another connection, as another worker,
another app server or a database administrator would make it, so nothing in this process hears of it."""

import re

from sqlalchemy import select, text

from burden_tracker.db import open_session
from burden_tracker.queries.listing import list_nominations
from burden_tracker.queries.reference import STAMP, for_lists, note_stamp
from tests.support.factories import make_department, make_nomination, make_user
from tests.support.web import sign_in, statements_run


def department_options(page: str) -> list[str]:
    select = re.search(r'<select name="department">(.*?)</select>', page, re.S)[1]
    return re.findall(r"<option value=\"\d+\" ?>(.*?)</option>", select)


def changed_elsewhere(engine, statement: str) -> None:
    with engine.begin() as connection:
        connection.execute(text(statement))


def test_a_department_renamed_elsewhere_is_named_anew_on_the_next_page(client, session, engine):
    make_nomination(session, department_id=make_department(session, "Cardiology").id)
    sign_in(client, make_user(session, can_sign_in=True).email)
    assert "Cardiology" in department_options(client.get("/nominations").get_data(as_text=True))

    changed_elsewhere(engine, "UPDATE departments SET name = 'Cardiac Care' WHERE name = 'Cardiology'")
    page = client.get("/nominations").get_data(as_text=True)
    assert "Cardiac Care" in department_options(page) and "Cardiology" not in department_options(page)
    assert '<td data-label="Department">Cardiac Care</td>' in page


def test_a_department_added_elsewhere_can_be_chosen_on_the_next_page(client, session, engine):
    make_nomination(session, department_id=make_department(session, "Radiology").id)
    sign_in(client, make_user(session, can_sign_in=True).email)
    assert "Oncology" not in department_options(client.get("/nominations").get_data(as_text=True))

    changed_elsewhere(engine, "INSERT INTO departments (name, active) VALUES ('Oncology', true)")
    assert "Oncology" in department_options(client.get("/nominations").get_data(as_text=True))


def test_working_weeks_changed_elsewhere_count_in_the_next_page_s_hours(client, session, engine):
    make_nomination(session, minutes_per_occurrence=60, occurrences_per_week=1, clinicians_affected=10)
    sign_in(client, make_user(session, can_sign_in=True).email)
    hours = re.compile(r'<td data-label="Hours a year" class="number">([\d,]+)</td>')
    assert hours.findall(client.get("/nominations").get_data(as_text=True)) == ["460"]  # 10 h a week × 46

    changed_elsewhere(engine, "UPDATE settings SET working_weeks_per_year = 48")
    assert hours.findall(client.get("/nominations").get_data(as_text=True)) == ["480"]


def test_a_session_with_nothing_noted_reads_the_stamp_itself(engine):
    with open_session(engine) as session:
        before = for_lists(session=session).working_weeks_per_year
    changed_elsewhere(engine, f"UPDATE settings SET working_weeks_per_year = {before + 2}")
    with open_session(engine) as session:
        assert for_lists(session=session).working_weeks_per_year == before + 2


def test_a_stamp_noted_before_a_commit_is_not_trusted_after_it(engine):
    with open_session(engine, read_only=True) as session:
        note_stamp(session, session.connection().execute(select(STAMP)).scalar())
        before = for_lists(session=session).working_weeks_per_year
        session.commit()  # as a view that wrote, then lists in a new transaction
        changed_elsewhere(engine, f"UPDATE settings SET working_weeks_per_year = {before + 3}")
        assert for_lists(session=session).working_weeks_per_year == before + 3


def test_a_session_that_writes_keeps_nothing_it_may_roll_back(engine):
    with open_session(engine) as session:
        note_stamp(session, session.connection().execute(select(STAMP)).scalar())
        session.execute(text("UPDATE settings SET working_weeks_per_year = 12"))
        assert for_lists(session=session).working_weeks_per_year == 12
        session.rollback()
    with open_session(engine, read_only=True) as session:
        assert for_lists(session=session).working_weeks_per_year != 12


def test_a_warm_list_page_reads_no_reference_data(client, session, app):
    make_nomination(session)
    sign_in(client, make_user(session, can_sign_in=True).email)
    client.get("/nominations")
    with statements_run(app.extensions["db_engine"]) as statements:
        assert client.get("/nominations").status_code == 200
    assert not [s for s in statements if "FROM settings" in s or "sort_name" in s or s.startswith("SELECT reference")]
    assert len([s for s in statements if s.lstrip().startswith("SELECT")]) == 2  # the sign-in check and the list


def test_a_nomination_in_a_department_newer_than_the_worker_s_copy_is_listed_by_its_name(engine, session):
    """On PostgreSQL each statement sees its own moment: between the sign-in check, which reads the stamp, and
    the list, another worker may add a department and a nomination in it. Here the list runs under a stamp
    noted before both were made, as it then would."""
    make_nomination(session, title="Fax the referral to radiology",
                    department_id=make_department(session, "Radiology").id)
    with open_session(engine, read_only=True) as before:
        stamp = before.connection().execute(select(STAMP)).scalar()
        for_lists(session=before)  # this worker's copy, which knows no Oncology
    changed_elsewhere(engine, "INSERT INTO departments (name, active) VALUES ('Oncology', true)")
    make_nomination(session, title="Fax the oncology referral", department_id=session.execute(
        text("SELECT id FROM departments WHERE name = 'Oncology'")).scalar())
    with open_session(engine, read_only=True) as reading:
        reading.connection()  # the transaction the sign-in check would have noted its stamp in
        note_stamp(reading, stamp)
        rows = list_nominations(session=reading, page=1, per_page=10).rows
    assert {row.title: row.department for row in rows} == {
        "Fax the referral to radiology": "Radiology", "Fax the oncology referral": "Oncology"}
