"""The first pages: the nominations list and the health check."""

from datetime import date

import pytest

from burden_tracker import create_app
from burden_tracker.services.demo import load_demo
from tests.factories import make_nomination, make_user
from tests.web import sign_in


@pytest.fixture
def staff_client(client, session):
    sign_in(client, make_user(session, can_sign_in=True).email)
    return client


def test_the_list_shows_nominations_from_the_database_newest_first(staff_client, session):
    client = staff_client
    make_nomination(session, title="Older burden <script>alert(1)</script>", submitted_on=date(2026, 1, 2))
    make_nomination(session, title="Newer burden", submitted_on=date(2026, 2, 2))
    page = client.get("/nominations").get_data(as_text=True)
    assert page.index("Newer burden") < page.index("Older burden")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_the_list_is_paged(staff_client, session):
    client = staff_client
    load_demo(session=session)
    first = client.get("/nominations").get_data(as_text=True)
    assert first.count("<tr>") == 51  # a header row and 50 nominations
    assert 'rel="next"' in first
    last = client.get("/nominations?page=4").get_data(as_text=True)
    assert last.count('<tr>') == 51 and 'rel="next"' not in last


def test_the_home_page_leads_to_the_list(staff_client):
    client = staff_client
    assert client.get("/").headers["Location"].endswith("/nominations")


def test_health_answers_200_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_health_answers_503_when_the_database_does_not(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    app.extensions["db_engine"].dispose()
