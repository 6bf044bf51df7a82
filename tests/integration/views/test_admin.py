"""Administration at /admin: users and invite links, departments and categories, settings; one event per change."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from burden_tracker.enums import AffectedRole, EventKind, Role
from burden_tracker.models import (
    Category,
    Department,
    Event,
    EventNote,
    HourlyRate,
    Invite,
    Settings,
    Site,
    User,
    utc_now,
)
from burden_tracker.queries.admin import settings_values
from burden_tracker.queries.reference import first_site_id
from burden_tracker.services.users import password_matches
from tests.support.factories import make_department, make_user
from tests.support.smtp import running_inbox
from tests.support.web import HTMX, csrf_token, sign_in

LINK = re.compile(r"/invite/([A-Za-z0-9_-]{20,})")
NEW_PASSWORD = "correct horse battery"


@pytest.fixture
def admin(session):
    user = make_user(session, Role.ADMIN, can_sign_in=True, email="admin@example.org")
    session.commit()
    return user


@pytest.fixture
def admin_client(client, admin):
    sign_in(client, admin.email)
    return client


def post(client, path, data, page=None, **kwargs):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page or path)}, **kwargs)


def admin_notes(session) -> list[str]:
    notes = list(session.scalars(select(EventNote.body).join(Event, Event.note_id == EventNote.id)
                                  .where(Event.kind == EventKind.ADMIN).order_by(Event.id)))
    session.rollback()  # hold no lock or snapshot while the app works
    return notes


def fetch(session, model, key):
    """The row as stored now, detached: reading it later takes no lock."""
    row = session.get(model, key, populate_existing=True)
    session.expunge(row)
    session.rollback()
    return row


def add_user(client, email="new.person@example.org", name="New Person", roles=("staff", "board")):
    return post(client, "/admin/users/new", {"email": email, "name": name, "roles": list(roles)})


def invite_token(client, user_page: str) -> str:
    return LINK.search(client.get(user_page).get_data(as_text=True))[1]


# Users


def test_an_admin_adds_a_user_with_several_roles_and_sees_the_invite_link_once(admin_client, session):
    response = add_user(admin_client)
    assert response.status_code == 303
    user = session.scalars(select(User).where(User.email == "new.person@example.org")).one()
    assert user.roles == {Role.STAFF, Role.BOARD} and user.active and user.password_hash is None
    session.rollback()
    page = admin_client.get(response.headers["Location"])
    assert LINK.search(page.get_data(as_text=True)) and page.headers["Cache-Control"] == "no-store"
    assert not LINK.search(admin_client.get(response.headers["Location"]).get_data(as_text=True))
    assert admin_notes(session) == ["User new.person@example.org: added with roles staff, board; invite link issued"]


def test_only_the_hash_of_an_invite_token_is_stored(admin_client, session):
    token = invite_token(admin_client, add_user(admin_client).headers["Location"])
    stored = session.scalars(select(Invite.token_hash)).one()
    session.rollback()
    assert token not in stored and len(stored) == 64


@pytest.mark.parametrize("email", ["Taken@Example.org", "taken@example.org"])
def test_a_duplicate_email_is_refused_beside_the_field(admin_client, session, email):
    make_user(session, email="taken@example.org")
    response = add_user(admin_client, email=email)
    assert response.status_code == 422
    assert re.search(r'id="email-error"[^>]*>Is already in use', response.get_data(as_text=True))
    assert session.scalar(select(func.count()).select_from(User)) == 2
    assert admin_notes(session) == []


@pytest.mark.parametrize("data,field,message", [
    ({"email": "not an email"}, "email", "An email address must have an @-sign"),
    ({"name": ""}, "name", "Must be 1 to 120 characters"),
    ({"name": "x" * 121}, "name", "Must be 1 to 120 characters"),
    ({"roles": []}, "roles", "Choose at least one role"),
])
def test_a_new_user_needs_an_email_a_name_and_a_role(admin_client, session, data, field, message):
    values = {"email": "new.person@example.org", "name": "New Person", "roles": ["staff"], **data}
    response = post(admin_client, "/admin/users/new", values)
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error"[^>]*>{message}', response.get_data(as_text=True))
    assert admin_notes(session) == []


def test_an_admin_changes_roles_and_the_event_says_from_and_to(admin_client, session):
    person = make_user(session, Role.STAFF, email="x@example.org")
    response = post(admin_client, f"/admin/users/{person.id}/roles", {"roles": ["staff", "board"]})
    assert response.status_code == 303
    assert fetch(session, User, person.id).roles == {Role.STAFF, Role.BOARD}
    post(admin_client, f"/admin/users/{person.id}/roles", {"roles": ["board"]})
    post(admin_client, f"/admin/users/{person.id}/roles", {"roles": ["board"]})  # no change, no event
    assert admin_notes(session) == ["User x@example.org: roles staff → staff, board",
                                    "User x@example.org: roles staff, board → board"]


def test_an_admin_cannot_lock_themselves_out(admin_client, session, admin):
    demoted = post(admin_client, f"/admin/users/{admin.id}/roles", {"roles": ["staff"]})
    assert demoted.status_code == 422 and "You cannot remove your own admin role" in demoted.get_data(as_text=True)
    deactivated = post(admin_client, f"/admin/users/{admin.id}/deactivate", {}, page=f"/admin/users/{admin.id}")
    assert deactivated.status_code == 422 and "You cannot deactivate yourself" in deactivated.get_data(as_text=True)
    assert fetch(session, User, admin.id).active and admin_notes(session) == []


def test_deactivating_a_user_signs_them_out_everywhere(admin_client, app, session):
    nurse = make_user(session, can_sign_in=True, email="nurse@example.org")
    nurse_client = app.test_client()
    sign_in(nurse_client, nurse.email)
    assert nurse_client.get("/nominations").status_code == 200
    response = post(admin_client, f"/admin/users/{nurse.id}/deactivate", {}, page=f"/admin/users/{nurse.id}")
    assert response.status_code == 303
    signed_out = nurse_client.get("/nominations")
    assert signed_out.status_code == 302 and signed_out.headers["Location"].startswith("/login")
    assert sign_in(nurse_client, nurse.email).status_code == 422
    assert admin_notes(session) == ["User nurse@example.org: deactivated"]


def test_activating_an_imported_submitter_issues_an_invite_link(admin_client, session):
    imported = make_user(session, email="imported@example.org", active=False)
    listing = admin_client.get("/admin/users").get_data(as_text=True)
    assert "Imported, not activated" in listing
    response = post(admin_client, f"/admin/users/{imported.id}/activate", {}, page=f"/admin/users/{imported.id}")
    assert response.status_code == 303
    assert fetch(session, User, imported.id).active
    assert invite_token(admin_client, response.headers["Location"])
    assert admin_notes(session) == ["User imported@example.org: activated; invite link issued"]


def test_activating_an_account_that_has_a_password_issues_no_link(admin_client, session):
    person = make_user(session, email="back@example.org", active=False, can_sign_in=True)
    response = post(admin_client, f"/admin/users/{person.id}/activate", {}, page=f"/admin/users/{person.id}")
    assert not LINK.search(admin_client.get(response.headers["Location"]).get_data(as_text=True))
    assert admin_notes(session) == ["User back@example.org: activated"]


def test_users_are_searched_by_email_or_name_and_paged(admin_client, session):
    for number in range(30):
        make_user(session, email=f"user{number:02}@example.org", name=f"Member {number:02}")
    make_user(session, email="zed@example.org", name="Priya Nair")
    assert "zed@example.org" in admin_client.get("/admin/users?q=priya").get_data(as_text=True)
    assert "user01@example.org" not in admin_client.get("/admin/users?q=priya").get_data(as_text=True)
    first = admin_client.get("/admin/users?q=example.org").get_data(as_text=True)
    assert first.count("<tr>") == 26 and 'rel="next"' in first
    second = admin_client.get("/admin/users?q=example.org&page=2").get_data(as_text=True)
    assert "zed@example.org" in second and 'rel="next"' not in second
    fragment = admin_client.get("/admin/users?q=zed", headers=HTMX).get_data(as_text=True)
    assert 'id="user-list"' in fragment and "zed@example.org" in fragment and "<html" not in fragment


# Invite links


@pytest.fixture
def invited(admin_client, session):
    """(user id, token) of a user just added by the admin."""
    token = invite_token(admin_client, add_user(admin_client, roles=["staff"]).headers["Location"])
    user_id = session.scalars(select(User.id).where(User.email == "new.person@example.org")).one()
    session.rollback()
    return user_id, token


def set_password(app, token, password=NEW_PASSWORD, confirm=None):
    visitor = app.test_client()  # not signed in
    return post(visitor, f"/invite/{token}", {"password": password, "confirm": confirm or password})


def test_an_invite_link_sets_the_password_once(app, session, invited):
    user_id, token = invited
    visitor = app.test_client()
    assert "Set your password" in visitor.get(f"/invite/{token}").get_data(as_text=True)
    response = post(visitor, f"/invite/{token}", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/", "signed in, on to the first page"
    assert "you are signed in" in visitor.get("/nominations").get_data(as_text=True)
    assert password_matches(fetch(session, User, user_id), NEW_PASSWORD)
    assert sign_in(app.test_client(), "new.person@example.org", NEW_PASSWORD).status_code == 302

    again = set_password(app, token, "another password")
    assert again.status_code == 410 and "has been used already" in again.get_data(as_text=True)
    assert visitor.get(f"/invite/{token}").status_code == 410
    assert password_matches(fetch(session, User, user_id), NEW_PASSWORD)


def test_an_invited_admin_goes_on_to_set_up_a_second_factor_before_being_signed_in(admin_client, app, session):
    app.config["SECOND_FACTOR_FOR_ADMINS"] = True
    token = invite_token(admin_client, add_user(admin_client, roles=["admin"]).headers["Location"])
    visitor = app.test_client()
    response = post(visitor, f"/invite/{token}", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 303 and response.headers["Location"] == "/login/enrol"
    assert visitor.get("/nominations").status_code == 302, "not signed in until the second factor is set up"


def test_an_expired_invite_link_is_refused(app, session, invited):
    user_id, token = invited
    session.execute(update(Invite).values(expires_at=utc_now() - timedelta(minutes=1)))
    session.commit()
    assert app.test_client().get(f"/invite/{token}").status_code == 410
    response = set_password(app, token)
    assert response.status_code == 410 and "has expired" in response.get_data(as_text=True)
    assert fetch(session, User, user_id).password_hash is None


def test_a_new_link_replaces_the_old_one(admin_client, app, session, invited):
    user_id, old = invited
    response = post(admin_client, f"/admin/users/{user_id}/invite", {}, page=f"/admin/users/{user_id}")
    new = invite_token(admin_client, response.headers["Location"])
    assert app.test_client().get(f"/invite/{old}").status_code == 404
    assert set_password(app, new).status_code == 302  # signed in


def test_a_wrong_invite_token_is_not_found(app, invited):
    assert app.test_client().get("/invite/not-a-token-we-made").status_code == 404
    assert set_password(app, "not-a-token-we-made").status_code == 404


@pytest.mark.parametrize("password,confirm,field,message", [
    ("short", "short", "password", "Must be at least 8 characters"),
    (NEW_PASSWORD, "something else", "confirm", "The two passwords are not the same."),
    ("", "", "password", "Choose a password."),
    ("password", "password", "password", "Is too easy to guess: this is a top-10 common password"),
])
def test_the_password_is_at_least_8_characters_typed_twice(app, session, invited, password, confirm, field, message):
    user_id, token = invited
    response = set_password(app, token, password, confirm)
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error"[^>]*>{message}', response.get_data(as_text=True))
    assert fetch(session, User, user_id).password_hash is None
    assert set_password(app, token).status_code == 302  # the link still works after a mistake


def test_a_deactivated_account_cannot_use_its_link(admin_client, app, invited):
    user_id, token = invited
    post(admin_client, f"/admin/users/{user_id}/deactivate", {}, page=f"/admin/users/{user_id}")
    assert set_password(app, token).status_code == 404


def test_the_invite_link_is_emailed_when_smtp_is_configured(app, admin_client):
    with running_inbox() as inbox:
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=inbox.port, MAIL_FROM="tracker@example.org",
                          BASE_URL="https://burden.hospital.test/")
        response = add_user(admin_client)
    token = invite_token(admin_client, response.headers["Location"])
    [message] = inbox.to("new.person@example.org")
    assert f"https://burden.hospital.test/invite/{token}" in message.get_content()


# Departments and categories


@pytest.mark.parametrize("kind,model", [("departments", Department), ("categories", Category), ("sites", Site)])
def test_departments_and_categories_are_added_renamed_deactivated_and_reactivated(admin_client, session, kind, model):
    path = f"/admin/{kind}"
    assert post(admin_client, path, {"name": "  Wound care  "}).status_code == 303
    item_id = session.scalars(select(model.id).where(model.name == "Wound care")).one()
    session.rollback()
    assert post(admin_client, f"{path}/{item_id}/rename", {f"{kind}-{item_id}-name": "Wound clinic"},
                page=path).status_code == 303
    assert post(admin_client, f"{path}/{item_id}/deactivate", {}, page=path).status_code == 303
    assert fetch(session, model, item_id).active is False
    assert "Wound clinic" in admin_client.get(path).get_data(as_text=True)  # still listed, as inactive
    assert post(admin_client, f"{path}/{item_id}/reactivate", {}, page=path).status_code == 303
    assert fetch(session, model, item_id).active is True
    label = {"departments": "Department", "categories": "Category", "sites": "Site"}[kind]
    assert admin_notes(session) == [f"{label}: added “Wound care”", f"{label}: “Wound care” renamed “Wound clinic”",
                                    f"{label} “Wound clinic”: deactivated", f"{label} “Wound clinic”: reactivated"]


def test_a_health_system_of_one_site_puts_each_department_there_without_asking(admin_client, session):
    assert post(admin_client, "/admin/departments", {"name": "Wound care"}).status_code == 303
    main_id = first_site_id(session=session)
    assert fetch(session, Department, department_id(session, "Wound care")).site_id == main_id
    page = admin_client.get("/admin/departments").get_data(as_text=True)
    assert 'name="site_id"' not in page and '<span class="site">Main site</span>' in page


def test_a_department_is_added_to_the_site_chosen_and_moved_to_another(admin_client, session):
    queens = Site(name="Queen's Medical Center")
    session.add(queens)
    session.commit()
    queens_id, main_id = queens.id, first_site_id(session=session)
    session.rollback()
    page = admin_client.get("/admin/departments").get_data(as_text=True)
    assert f'<option value="{queens_id}">Queen&#39;s Medical Center</option>' in page
    added = post(admin_client, "/admin/departments", {"name": "Wound care", "site_id": str(queens_id)})
    assert added.status_code == 303
    wound_care = department_id(session, "Wound care")
    assert fetch(session, Department, wound_care).site_id == queens_id
    moved = post(admin_client, f"/admin/departments/{wound_care}/site", {"site_id": str(main_id)},
                 page="/admin/departments", headers=HTMX)
    assert moved.status_code == 200
    assert f'<option value="{main_id}" selected>Main site</option>' in moved.get_data(as_text=True)
    assert fetch(session, Department, wound_care).site_id == main_id
    assert admin_notes(session)[-1] == "Department “Wound care”: moved to the site “Main site”"


@pytest.mark.parametrize("site_id", ["999999", "", str(2**40)])
def test_moving_a_department_to_no_site_we_know_changes_nothing(admin_client, session, site_id):
    wound_care = make_department(session, "Wound care")
    before = wound_care.site_id
    session.rollback()
    refused = post(admin_client, f"/admin/departments/{wound_care.id}/site", {"site_id": site_id},
                   page="/admin/departments")
    assert refused.status_code == 303
    assert "Nothing was changed" in admin_client.get(refused.headers["Location"]).get_data(as_text=True)
    assert fetch(session, Department, wound_care.id).site_id == before
    in_place = post(admin_client, f"/admin/departments/{wound_care.id}/site", {"site_id": site_id},
                    page="/admin/departments", headers=HTMX)
    assert in_place.status_code == 422 and "Nothing was changed" in in_place.get_data(as_text=True)
    assert "<html" not in in_place.get_data(as_text=True)
    assert admin_notes(session) == []


def department_id(session, name: str) -> int:
    found = session.scalars(select(Department.id).where(Department.name == name)).one()
    session.rollback()
    return found


@pytest.mark.parametrize("kind", ["departments", "categories"])
@pytest.mark.parametrize("name,message", [
    ("emergency DEPARTMENT", "Another .* already has this name"),
    ("", "Must be 1 to 120 characters"),
    ("x" * 121, "Must be 1 to 120 characters"),
    ("Line\nbreak", "Must be plain text on one line"),
])
def test_a_bad_or_taken_name_is_refused_beside_the_field(admin_client, session, kind, name, message):
    make_department(session, "Emergency Department")
    session.add(Category(name="Emergency Department"))
    session.commit()
    response = post(admin_client, f"/admin/{kind}", {"name": name})
    assert response.status_code == 422
    assert re.search(rf'id="name-error"[^>]*>{message}', response.get_data(as_text=True))
    assert admin_notes(session) == []


def test_renaming_to_another_case_of_its_own_name_is_allowed_but_not_to_anothers(admin_client, session):
    ward = make_department(session, "cardiology")
    make_department(session, "Oncology")
    path = f"/admin/departments/{ward.id}/rename"
    field = f"departments-{ward.id}-name"
    assert post(admin_client, path, {field: "ONCOLOGY"}).status_code == 422
    assert post(admin_client, path, {field: "Cardiology"}).status_code == 303
    assert fetch(session, Department, ward.id).name == "Cardiology"


def test_a_rename_in_place_answers_with_the_line_or_the_form_with_its_message(admin_client, session):
    ward = make_department(session, "Cardio")
    make_department(session, "Oncology")
    path, field = f"/admin/departments/{ward.id}/rename", f"departments-{ward.id}-name"
    editing = admin_client.get(path, headers=HTMX).get_data(as_text=True)
    assert editing.lstrip().startswith(f'<li id="departments-{ward.id}"') and 'value="Cardio"' in editing
    refused = post(admin_client, path, {field: "oncology"}, page="/admin/departments", headers=HTMX)
    assert refused.status_code == 422 and "Another department already has this name" in refused.get_data(as_text=True)
    renamed = post(admin_client, path, {field: "Cardiology <b>"}, page="/admin/departments", headers=HTMX)
    line = renamed.get_data(as_text=True)
    assert renamed.status_code == 200 and "<html" not in line and "Cardiology &lt;b&gt;" in line


# Settings


def settings_form(session, **changes) -> dict:
    values = settings_values(session=session)
    session.rollback()
    return {**values, **changes}


def test_settings_are_saved_and_one_event_says_what_changed(admin_client, session):
    response = post(admin_client, "/admin/settings", settings_form(
        session, working_weeks_per_year="48", quorum_fraction="0.6", rate_nurse="52.5", fiscal_year_start_month="7"))
    assert response.status_code == 303
    settings = fetch(session, Settings, 1)
    assert (settings.working_weeks_per_year, settings.quorum_fraction, settings.fiscal_year_start_month) == (48, 0.6, 7)
    assert fetch(session, HourlyRate, AffectedRole.NURSE).usd_per_hour == 52.5
    assert admin_notes(session) == ["Settings: working weeks 46 → 48; quorum 0.5 → 0.6; fiscal year start month 1 → 7; "
                                    "hourly rate nurse 47 → 52.5"]
    assert post(admin_client, "/admin/settings", settings_form(session)).status_code == 303
    assert len(admin_notes(session)) == 1  # saving without a change writes nothing


def test_an_annual_target_is_optional_and_its_change_is_recorded(admin_client, session):
    assert settings_form(session)["annual_target_hours"] == ""
    assert post(admin_client, "/admin/settings", settings_form(session, annual_target_hours="20000")).status_code == 303
    assert fetch(session, Settings, 1).annual_target_hours == 20_000
    assert post(admin_client, "/admin/settings", settings_form(session, annual_target_hours="")).status_code == 303
    assert fetch(session, Settings, 1).annual_target_hours is None
    assert admin_notes(session) == ["Settings: annual target (hours) none → 20000",
                                    "Settings: annual target (hours) 20000 → none"]


def test_the_time_zone_is_a_setting_offered_from_the_zones_and_saved_trimmed(admin_client, session):
    page = admin_client.get("/admin/settings").get_data(as_text=True)
    assert 'name="time_zone"' in page and 'value="UTC"' in page and '<option value="America/Chicago">' in page
    response = post(admin_client, "/admin/settings", settings_form(session, time_zone=" America/Chicago "))
    assert response.status_code == 303
    assert fetch(session, Settings, 1).time_zone == "America/Chicago"
    assert admin_notes(session) == ["Settings: time zone UTC → America/Chicago"]


@pytest.mark.parametrize("field,value,message", [
    ("working_weeks_per_year", "0", "Must be at least 1"),
    ("working_weeks_per_year", "54", "Must be at most 53"),
    ("working_weeks_per_year", "", "Is required"),
    ("fte_hours_per_year", "8785", "Must be at most 8,784"),
    ("fte_hours_per_year", "nan", "Must be a finite number"),
    ("rate_physician", "inf", "Must be a finite number"),
    ("rate_nurse", "-1", "Must be at least 0"),
    ("rate_nurse", "10000.01", "Must be at most 10,000"),
    ("rate_app", "1e999", "Must be a finite number"),
    ("quorum_fraction", "1", "Must be less than 1"),
    ("quorum_fraction", "-0.1", "Must be at least 0"),
    ("quorum_fraction", "half", "Must be a number"),
    ("fiscal_year_start_month", "13", "Must be at most 12"),
    ("fiscal_year_start_month", "6.5", "Must be a whole number"),
    ("stale_after_days", "0", "Must be at least 1"),
    ("stale_after_days", "366", "Must be at most 365"),
    ("stale_after_days", "thirty", "Must be a whole number"),
    ("time_zone", "Mars/Olympus_Mons", "Is not a time zone we know: write it as a region and city, like America/"),
    ("time_zone", "EST", "Is not a time zone we know"),
    ("time_zone", "../../etc/passwd", "Is not a time zone we know"),
    ("time_zone", "", "Is required"),
    ("annual_target_hours", "0", "Must be more than 0"),
    ("annual_target_hours", "lots", "Must be a number"),
])
def test_a_bad_setting_is_refused_beside_its_field_and_nothing_is_saved(admin_client, session, field, value, message):
    before = settings_form(session)
    other = "stale_after_days" if field != "stale_after_days" else "working_weeks_per_year"
    response = post(admin_client, "/admin/settings", {**before, other: "40", field: value})
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error"[^>]*>{message}', response.get_data(as_text=True))
    assert settings_form(session) == before
    assert admin_notes(session) == []


# Who may


def test_every_admin_change_note_is_readable_and_free_of_secrets(admin_client, app, session, admin, invited):
    user_id, token = invited
    set_password(app, token)
    post(admin_client, f"/admin/users/{user_id}/invite", {}, page=f"/admin/users/{user_id}")
    notes = admin_notes(session)
    assert notes == ["User new.person@example.org: added with roles staff; invite link issued",
                     "User new.person@example.org: new invite link issued"]
    hashes = list(session.scalars(select(Invite.token_hash)))
    session.rollback()
    for note in notes:
        assert token not in note and NEW_PASSWORD not in note and not any(h in note for h in hashes)
    actors = set(session.scalars(select(Event.actor_id).where(Event.nomination_id.is_(None))))
    session.rollback()
    assert actors == {admin.id}


ADMIN_PAGES = ["/admin", "/admin/users", "/admin/users/new", "/admin/departments", "/admin/categories",
               "/admin/settings"]


@pytest.mark.parametrize("role", [Role.STAFF, Role.BOARD, Role.EXECUTIVE])
def test_other_roles_are_refused_every_admin_page_and_action(client, session, role):
    person = make_user(session, role, can_sign_in=True)
    sign_in(client, person.email)
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == 403, path
    token = csrf_token(client, "/nominations")
    refused = client.post("/admin/departments", data={"name": "Sneaky", "csrf_token": token})
    assert refused.status_code == 403
    roles = client.post(f"/admin/users/{person.id}/roles", data={"roles": ["admin"], "csrf_token": token})
    assert roles.status_code == 403
    assert fetch(session, User, person.id).roles == {role}
    assert admin_notes(session) == []


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_send_anonymous_visitors_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_the_overview_lists_recent_changes_escaped(admin_client):
    post(admin_client, "/admin/departments", {"name": "<script>x</script>"})
    page = admin_client.get("/admin").get_data(as_text=True)
    assert "Department: added “&lt;script&gt;x&lt;/script&gt;”" in page and "<script>x" not in page

