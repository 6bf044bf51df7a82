"""`burden-tracker commons export` and `import`, on both databases: the file written is read back by the same
command of another system, and a file that is not valid exits non-zero and changes nothing."""

import json
from datetime import date

from sqlalchemy import func, select

from burden_tracker.enums import Role, State
from burden_tracker.models import CommonsCard
from burden_tracker.services.commons import mark_for_sharing
from tests.support.factories import make_nomination, make_user


def test_export_then_import_elsewhere(runner, session, tmp_path):
    admin = make_user(session, Role.ADMIN)
    retired = make_nomination(session, state=State.RETIRED, retired_on=date(2026, 3, 1))
    mark_for_sharing(session=session, actor_id=admin.id, nomination_id=retired.id, values={}, today=date(2026, 12, 7))
    out = tmp_path / "cards.json"
    written = runner.invoke(args=["commons", "export", "--since", "2026-12-01", "--out", str(out)])
    assert written.exit_code == 0 and written.output == f"Wrote 1 card to {out}.\n"
    document = json.loads(out.read_text(encoding="utf-8"))
    document["cards"][0]["id"] = "urn:uuid:0b8e4c4e-3f6a-4d2b-9c1e-5a7d2f1e8b90"  # as another system's card
    theirs = tmp_path / "theirs.json"
    theirs.write_text(json.dumps(document), encoding="utf-8")
    read = runner.invoke(args=["commons", "import", str(theirs)])
    assert read.exit_code == 0 and read.output == "Imported 1 new card; 0 cards replaced an earlier copy.\n"
    session.rollback()
    assert session.scalar(select(func.count()).select_from(CommonsCard)) == 1


def test_a_file_that_is_not_valid_exits_non_zero_and_changes_nothing(runner, session, tmp_path):
    bad = tmp_path / "cards.json"
    bad.write_text('{"format": "burden-cards", "version": 2, "cards": []}', encoding="utf-8")
    refused = runner.invoke(args=["commons", "import", str(bad)])
    assert refused.exit_code != 0 and "not a valid file of burden cards" in refused.output
    assert session.scalar(select(func.count()).select_from(CommonsCard)) == 0
