"""How a request's transaction ends (burden_tracker/db.py): a page that only read commits, so that
PostgreSQL keeps the statements psycopg prepared; anything a read changed by mistake is still not saved."""

import pytest
from sqlalchemy import text

from burden_tracker.db import get_session
from burden_tracker.models import Nomination
from tests.factories import make_nomination, make_user
from tests.web import sign_in


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_pages_that_only_read_keep_the_list_query_prepared_on_postgresql(app, client, session):
    make_nomination(session, title="Fax the referral twice")
    session.commit()
    sign_in(client, make_user(session, can_sign_in=True).email)
    for _ in range(8):  # psycopg prepares a statement on its fifth run
        assert client.get("/nominations").status_code == 200
    engine = app.extensions["db_engine"]
    assert engine.pool.checkedin() == 1  # one connection served every request, and this reads its statements
    with engine.connect() as connection:
        prepared = connection.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
    assert any("FROM nominations" in statement for statement in prepared), prepared


def test_a_page_that_changed_an_object_while_reading_saves_nothing(app, client, session):
    nomination_id = make_nomination(session, title="Sign the same form twice").id
    session.commit()

    @app.get("/test-only/retitle/<int:nomination_id>")
    def retitle(nomination_id):
        get_session().get(Nomination, nomination_id).title = "Changed by a page that only reads"
        return "read"

    sign_in(client, make_user(session, can_sign_in=True).email)
    assert client.get(f"/test-only/retitle/{nomination_id}").status_code == 200
    session.expire_all()
    assert session.get(Nomination, nomination_id).title == "Sign the same form twice"


def test_a_page_that_failed_while_reading_saves_nothing(app, client, session):
    nomination_id = make_nomination(session, title="Print and scan the consent").id
    session.commit()

    @app.get("/test-only/retitle-then-fail/<int:nomination_id>")
    def retitle_then_fail(nomination_id):
        db_session = get_session()
        db_session.get(Nomination, nomination_id).title = "Changed before a failure"
        db_session.flush()
        raise RuntimeError("the page failed after writing")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    sign_in(client, make_user(session, can_sign_in=True).email)
    assert client.get(f"/test-only/retitle-then-fail/{nomination_id}").status_code == 500
    session.expire_all()
    assert session.get(Nomination, nomination_id).title == "Print and scan the consent"
