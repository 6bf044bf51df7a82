"""Adding, opening, releasing and removing a nomination's files over HTTP: what each person may open, the headers
a file is served with, and a refusal that says why beside the field and keeps nothing."""

from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from burden_tracker.enums import Role
from burden_tracker.models import Attachment
from tests.support.factories import make_nomination, make_user
from tests.support.files import pdf_bytes, png_bytes
from tests.support.web import HTMX, count, csrf_token, sign_in


@pytest.fixture
def people(session):
    return {"nurse": make_user(session, can_sign_in=True, name="Priya Nair"),
            "colleague": make_user(session, can_sign_in=True, name="Sam Rivera"),
            "chair": make_user(session, Role.STAFF, Role.BOARD, can_sign_in=True, name="Dr. Alex Chen")}


@pytest.fixture
def nomination(session, people):
    return make_nomination(session, submitter=people["nurse"], title="Fall score charted twice")


def _as(app, email):
    client = app.test_client()
    sign_in(client, email)
    return client, csrf_token(client, "/login")


def _send(client, token, nomination, data: bytes, name: str, headers=None):
    """As a browser sends the form. The body is built in memory: the test client would spill a large one into a
    temporary file that it never closes."""
    boundary, body = encode_multipart({"csrf_token": token, "file": FileStorage(BytesIO(data), name)})
    return client.post(f"/nominations/{nomination.id}/files", headers=headers or {}, data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def _opened(client, address: str):
    """A file as served, its body read and the file closed."""
    response = client.get(address)
    response.get_data()
    response.close()
    return response


def _kept(app) -> list[Path]:
    return [path for path in Path(app.config["ATTACHMENTS_DIR"]).rglob("*") if path.is_file()]


def test_a_screenshot_added_shows_on_the_page_and_opens_inline_for_those_who_may_see_it(app, session, people,
                                                                                       nomination):
    nurse, token = _as(app, people["nurse"].email)
    answer = _send(nurse, token, nomination, png_bytes(), "order screen.png")
    assert answer.status_code == 303 and answer.location.endswith(f"/nominations/{nomination.id}#attachments")
    page = nurse.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert "Your file is added. The board will look at it before everyone else can see it." in page
    assert "order screen.png" in page and "Not released yet:" in page
    attachment_id = session.scalar(select(Attachment.id))
    session.commit()  # ends the read: on SQLite an open transaction would hold the lock the app needs
    address = f"/nominations/{nomination.id}/files/{attachment_id}"

    served = _opened(nurse, address)
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert served.headers["Content-Disposition"].startswith("inline")
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Security-Policy"] == app.extensions["content_security_policy"]
    assert "no-store" in served.headers["Cache-Control"]

    colleague, _ = _as(app, people["colleague"].email)
    assert colleague.get(address).status_code == 404  # not released: as if there were no such file
    assert "order screen.png" not in colleague.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    chair, chair_token = _as(app, people["chair"].email)
    assert _opened(chair, address).status_code == 200
    released = chair.post(f"{address}/release", data={"csrf_token": chair_token}, headers=HTMX)
    assert released.status_code == 200
    assert "The file is released: everyone signed in can see it now." in released.get_data(as_text=True)
    assert _opened(colleague, address).status_code == 200
    assert app.test_client().get(address).status_code == 302  # not signed in: to /login


def test_a_pdf_is_served_as_a_download_under_its_own_name(app, session, people, nomination):
    nurse, token = _as(app, people["nurse"].email)
    _send(nurse, token, nomination, pdf_bytes(), "Discharge form.pdf")
    served = _opened(nurse, f"/nominations/{nomination.id}/files/{session.scalar(select(Attachment.id))}")
    assert served.mimetype == "application/pdf" and served.data == pdf_bytes()
    assert served.headers["Content-Disposition"].startswith("attachment;")
    assert served.headers["Content-Disposition"] == 'attachment; filename="Discharge form.pdf"'


def test_a_file_lying_about_its_type_is_refused_beside_the_field_and_nothing_is_kept(app, session, people,
                                                                                   nomination):
    nurse, token = _as(app, people["nurse"].email)
    answer = _send(nurse, token, nomination, pdf_bytes(), "<b>shot.png", headers=HTMX)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'id="attachment-error"' in text and "&lt;b&gt;shot.png is a PDF, but its name says a PNG" in text
    assert count(session, Attachment) == 0 and _kept(app) == []


def test_a_file_over_ten_megabytes_is_refused_with_the_limit(app, session, people, nomination):
    nurse, token = _as(app, people["nurse"].email)
    answer = _send(nurse, token, nomination, b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024), "big.png")
    assert answer.status_code == 422
    assert "big.png is larger than 10 MB." in answer.get_data(as_text=True)
    assert count(session, Attachment) == 0 and _kept(app) == []


def test_a_body_past_the_upload_limit_is_refused_before_it_is_read(app, people, nomination):
    nurse, token = _as(app, people["nurse"].email)
    answer = _send(nurse, token, nomination, b"0" * (app.config["UPLOAD_MAX_BYTES"] + 1), "huge.png")
    assert answer.status_code == 413 and _kept(app) == []


def test_a_file_sent_to_a_form_without_one_is_refused_whole(app, people, nomination):
    nurse, token = _as(app, people["nurse"].email)
    answer = nurse.post(f"/nominations/{nomination.id}/comments", content_type="multipart/form-data",
                        data={"csrf_token": token, "body": (BytesIO(png_bytes()), "shot.png")})
    assert answer.status_code == 400


def test_its_uploader_removes_a_file_and_the_page_then_shows_none(app, session, people, nomination):
    nurse, token = _as(app, people["nurse"].email)
    _send(nurse, token, nomination, png_bytes(), "shot.png")
    attachment_id = session.scalar(select(Attachment.id))
    session.commit()  # ends the read: on SQLite an open transaction would hold the lock the app needs
    colleague, colleague_token = _as(app, people["colleague"].email)
    refused = colleague.post(f"/nominations/{nomination.id}/files/{attachment_id}/remove",
                             data={"csrf_token": colleague_token}, headers=HTMX)
    assert refused.status_code == 404  # they cannot see it, so it is not there for them
    removed = nurse.post(f"/nominations/{nomination.id}/files/{attachment_id}/remove", data={"csrf_token": token},
                         headers=HTMX)
    text = removed.get_data(as_text=True)
    assert removed.status_code == 200 and "The file is removed." in text and "No screenshots or files yet." in text
    assert count(session, Attachment) == 0 and _kept(app) == []
    assert nurse.get(f"/nominations/{nomination.id}/files/{attachment_id}").status_code == 404
