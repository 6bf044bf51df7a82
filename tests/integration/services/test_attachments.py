"""Screenshots and PDFs on a nomination, on both databases: seen by their uploader and the board until released,
removed by either with the history keeping only that; followers told when they can see one; a refusal keeps
nothing, on disk or in a table."""

from io import BytesIO

import pytest
from sqlalchemy import func, select

from burden_tracker.enums import Role, State
from burden_tracker.errors import DomainError, NotFound
from burden_tracker.models import Attachment, Event, Notification
from burden_tracker.queries.details import nomination_details
from burden_tracker.services.attachments import attach, release, remove
from burden_tracker.services.nominations import support
from tests.support.factories import limit_to_sites, make_nomination, make_site, make_user
from tests.support.files import pdf_bytes, png_bytes

TEN_MB = 10 * 1024 * 1024


@pytest.fixture
def ward(session):
    submitter = make_user(session, name="Priya Nair")
    supporter, passer_by = make_user(session, name="Sam Rivera"), make_user(session, name="Lee Park")
    chair = make_user(session, Role.STAFF, Role.BOARD, name="Dr. Alex Chen")
    nomination = make_nomination(session, submitter=submitter, title="Fall score charted twice")
    support(session=session, nomination_id=nomination.id, user=supporter, occurrences_per_week=3)
    return {"submitter": submitter, "supporter": supporter, "passer_by": passer_by, "chair": chair,
            "nomination": nomination}


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "attachments"  # tmp_path holds the SQLite database too


def _attach(session, folder, nomination, who, data=None, name="banner.png"):
    return attach(session=session, folder=folder, nomination_id=nomination.id, uploader=who,
                  stream=BytesIO(png_bytes() if data is None else data), file_name=name, max_bytes=TEN_MB)


def _names_seen(session, nomination, viewer) -> list[str]:
    details = nomination_details(session=session, nomination_id=nomination.id, viewer=viewer)
    return [entry.file_name for entry in details.attachments]


def _notices(session, user) -> list[str]:
    return list(session.scalars(select(Notification.message).where(Notification.user_id == user.id)
                                .order_by(Notification.id)))


def _history(session, nomination) -> list[str]:
    return [event.note_text for event in session.scalars(
        select(Event).where(Event.nomination_id == nomination.id).order_by(Event.id))]


def _kept_files(folder) -> list:
    return sorted(path.name for path in folder.rglob("*") if path.is_file())


def test_a_new_file_is_seen_by_its_uploader_and_the_board_until_a_board_member_releases_it(session, ward, folder):
    nomination, chair = ward["nomination"], ward["chair"]
    _attach(session, folder, nomination, ward["supporter"], name="ward screen.png")
    assert _names_seen(session, nomination, ward["supporter"]) == ["ward screen.png"]
    assert _names_seen(session, nomination, chair) == ["ward screen.png"]
    assert _names_seen(session, nomination, ward["submitter"]) == []
    assert _names_seen(session, nomination, ward["passer_by"]) == []

    attachment_id = session.scalar(select(Attachment.id))
    release(session=session, nomination_id=nomination.id, attachment_id=attachment_id, actor=chair)
    assert _names_seen(session, nomination, ward["passer_by"]) == ["ward screen.png"]
    assert _history(session, nomination) == ["Added a file.", "Released a file to everyone."]
    with pytest.raises(DomainError, match="released already"):
        release(session=session, nomination_id=nomination.id, attachment_id=attachment_id, actor=chair)
    with pytest.raises(DomainError, match="Only board members"):
        release(session=session, nomination_id=nomination.id, attachment_id=attachment_id, actor=ward["submitter"])


def test_followers_are_told_of_a_file_when_they_can_see_it(session, ward, folder):
    nomination, chair = ward["nomination"], ward["chair"]
    board_follower = make_user(session, Role.BOARD, name="Linda Okoro")
    support(session=session, nomination_id=nomination.id, user=board_follower, occurrences_per_week=1)
    _attach(session, folder, nomination, ward["supporter"])
    assert _notices(session, board_follower) == [
        "A new file on “Fall score charted twice” waits for the board to release it."]
    assert _notices(session, ward["submitter"]) == []

    release(session=session, nomination_id=nomination.id, attachment_id=session.scalar(select(Attachment.id)),
            actor=chair)
    assert _notices(session, ward["submitter"]) == ["A new file on “Fall score charted twice”."]
    assert _notices(session, ward["supporter"]) == []  # who added it knows
    assert len(_notices(session, board_follower)) == 1  # told once, at upload
    assert _notices(session, ward["passer_by"]) == []  # follows nothing


def test_a_following_board_member_of_another_site_is_told_as_staff_are(session, ward, folder):
    nomination, chair = ward["nomination"], ward["chair"]
    elsewhere = make_user(session, Role.BOARD, name="Kai Akana")
    limit_to_sites(session, elsewhere, make_site(session, "Kona"))
    support(session=session, nomination_id=nomination.id, user=elsewhere, occurrences_per_week=1)
    _attach(session, folder, nomination, ward["supporter"])
    assert _notices(session, elsewhere) == []  # they may not see it, nor release it
    assert _names_seen(session, nomination, elsewhere) == []
    release(session=session, nomination_id=nomination.id, attachment_id=session.scalar(select(Attachment.id)),
            actor=chair)
    assert _notices(session, elsewhere) == ["A new file on “Fall score charted twice”."]


def test_its_uploader_or_the_board_removes_a_file_and_the_history_keeps_only_that(session, ward, folder):
    nomination, chair, supporter = ward["nomination"], ward["chair"], ward["supporter"]
    mine = _attach(session, folder, nomination, supporter, png_bytes(colour=(1, 2, 3)), "mine.png")
    theirs = _attach(session, folder, nomination, supporter, pdf_bytes(), "MRN 0012345 form.pdf")
    with pytest.raises(NotFound):  # not released: to them there is no such file
        remove(session=session, folder=folder, nomination_id=nomination.id, attachment_id=mine.id,
               actor=ward["passer_by"])
    release(session=session, nomination_id=nomination.id, attachment_id=mine.id, actor=chair)
    with pytest.raises(DomainError, match="Only the person who added a file, or the board"):
        remove(session=session, folder=folder, nomination_id=nomination.id, attachment_id=mine.id,
               actor=ward["passer_by"])
    remove(session=session, folder=folder, nomination_id=nomination.id, attachment_id=mine.id, actor=supporter)
    remove(session=session, folder=folder, nomination_id=nomination.id, attachment_id=theirs.id, actor=chair)

    assert session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert _kept_files(folder) == []
    assert _history(session, nomination) == ["Added a file.", "Added a file.", "Released a file to everyone.",
                                             "Removed a file.", "Removed a file."]
    assert _notices(session, supporter) == ["The board removed a file you added to “Fall score charted twice”."]
    assert all("MRN" not in text for text in _notices(session, chair) + _history(session, nomination))


def test_the_same_screenshot_on_two_nominations_is_kept_once_and_outlives_one_removal(session, ward, folder):
    other = make_nomination(session, submitter=ward["passer_by"])
    first = _attach(session, folder, ward["nomination"], ward["supporter"])
    _attach(session, folder, other, ward["passer_by"])
    assert len(_kept_files(folder)) == 1
    remove(session=session, folder=folder, nomination_id=ward["nomination"].id, attachment_id=first.id,
           actor=ward["supporter"])
    assert _kept_files(folder) == [first.sha256]


def test_a_sixth_file_is_refused_and_nothing_of_it_is_kept(session, ward, folder):
    for number in range(5):
        _attach(session, folder, ward["nomination"], ward["supporter"], png_bytes(colour=(number, 0, 0)))
    with pytest.raises(DomainError, match="holds up to 5 files"):
        _attach(session, folder, ward["nomination"], ward["supporter"], png_bytes(colour=(9, 9, 9)))
    assert len(_kept_files(folder)) == 5
    assert session.scalar(select(func.count()).select_from(Attachment)) == 5


@pytest.mark.parametrize(("data", "name"), [(pdf_bytes(), "screenshot.png"), (b"<svg onload=alert(1)>", "x.png")])
def test_a_refused_file_leaves_no_row_event_notice_or_file(session, ward, folder, data, name):
    with pytest.raises(DomainError):
        _attach(session, folder, ward["nomination"], ward["chair"], data, name)
    session.rollback()
    assert [session.scalar(select(func.count()).select_from(table)) for table in (Attachment, Notification)] == [0, 0]
    assert _history(session, ward["nomination"]) == [] and _kept_files(folder) == []


def test_files_are_added_while_it_is_open_and_removed_at_any_time(session, ward, folder):
    retired = make_nomination(session, submitter=ward["submitter"], state=State.RETIRED)
    with pytest.raises(DomainError, match="while a nomination is open; this one is retired"):
        _attach(session, folder, retired, ward["submitter"])


def test_an_anonymous_submitters_file_does_not_name_them(session, folder):
    secret = make_user(session, name="Quillon Vantablack")
    chair = make_user(session, Role.STAFF, Role.BOARD)
    nomination = make_nomination(session, submitter=secret, anonymous=True)
    _attach(session, folder, nomination, secret)
    details = nomination_details(session=session, nomination_id=nomination.id, viewer=chair)
    assert "Vantablack" not in details.attachments[0].added_by
    assert all("Vantablack" not in entry.who for entry in details.events)
