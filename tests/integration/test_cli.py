"""The command line of docs/product.md, run as an operator would run it."""

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from burden_tracker.db import create_db_engine, open_session
from burden_tracker.enums import Role
from burden_tracker.models import Nomination, User
from burden_tracker.queries.users import find_user
from burden_tracker.services.users import password_matches
from tests.support.factories import make_department, make_nomination
from tests.support.statistics import forget_statistics, nominations_analyzed

BIN = Path(sys.executable).parent


def test_init_is_safe_to_run_again(runner):
    for _ in range(2):
        result = runner.invoke(args=["init"])
        assert result.exit_code == 0, result.output
        assert "up to date" in result.output


def test_init_gives_the_planner_statistics_of_the_tables(runner, session, engine):
    make_nomination(session)  # a table with no rows has nothing to say
    session.rollback()
    forget_statistics(engine)
    assert not nominations_analyzed(engine)
    assert runner.invoke(args=["init"]).exit_code == 0
    assert nominations_analyzed(engine)


def test_user_add_reads_the_password_from_standard_input(runner, session):
    result = runner.invoke(args=["user", "add", "Dr.Chen@Example.org", "--role", "board", "--role", "staff",
                                 "--name", "Dr. Alex Chen"], input="a long enough secret\n")
    assert result.exit_code == 0, result.output
    user = find_user(session=session, email="dr.chen@example.org")
    assert user.roles == {Role.BOARD, Role.STAFF}
    assert password_matches(user, "a long enough secret")
    assert not password_matches(user, "a wrong secret")


@pytest.mark.parametrize("email,password,message", [
    ("not-an-email", "a long enough secret", "is not an email address"),
    ("short@example.org", "short", "at least 8 characters"),
])
def test_user_add_refuses_bad_input_and_stores_nothing(runner, session, email, password, message):
    result = runner.invoke(args=["user", "add", email, "--role", "staff"], input=password + "\n")
    assert result.exit_code != 0
    assert message in result.output
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_user_add_refuses_an_email_already_in_use(runner):
    args = ["user", "add", "twice@example.org", "--role", "staff"]
    assert runner.invoke(args=args, input="a long enough secret\n").exit_code == 0
    again = runner.invoke(args=args, input="a long enough secret\n")
    assert again.exit_code != 0 and "already exists" in again.output


def test_user_add_refuses_an_unknown_role(runner):
    result = runner.invoke(args=["user", "add", "x@example.org", "--role", "surgeon"], input="secret-secret\n")
    assert result.exit_code != 0 and "surgeon" in result.output


@pytest.mark.parametrize("program", [["burden-tracker"], ["flask", "--app", "burden_tracker"]])
def test_the_commands_are_reachable_both_ways(program, tmp_path):
    env = {"PATH": str(BIN), "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "HOME": str(tmp_path)}
    result = subprocess.run([str(BIN / program[0]), *program[1:], "--help"], capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    for command in ("init", "demo", "serve", "user", "import", "backup"):
        assert f"  {command} " in result.stdout


def test_help_builds_no_app_and_loads_no_database(tmp_path):
    """Help answers at once: the database, migrations, workbook and server load when a command runs."""
    shown = ("import sys; from burden_tracker.cli import main\n"
             "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
             "print(sorted({name.split('.')[0] for name in sys.modules} & {'sqlalchemy', 'sqlmodel', 'alembic', "
             "'openpyxl', 'gunicorn', 'psycopg', 'wtforms'}), file=sys.stderr)")
    env = {"PATH": str(BIN), "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", shown], capture_output=True, text=True, env=env, timeout=60)
    assert "  init " in result.stdout
    assert result.stderr.strip() == "[]"


def test_a_command_builds_the_app_it_needs(tmp_path):
    env = {"PATH": str(BIN), "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "HOME": str(tmp_path)}
    result = subprocess.run([str(BIN / "burden-tracker"), "init"], capture_output=True, text=True, env=env,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_backup_copies_a_live_sqlite_database_that_restores_whole(runner, app, database_url, tmp_path):
    runner.invoke(args=["demo"])
    if not database_url.startswith("sqlite"):
        result = runner.invoke(args=["backup", str(tmp_path / "copy.sqlite3")])
        assert result.exit_code != 0 and "pg_dump" in result.output
        return
    source = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    source.execute("BEGIN")  # a reader holds a transaction open while the backup runs
    source.execute("SELECT count(*) FROM nominations").fetchone()

    result = runner.invoke(args=["backup", str(tmp_path / "copy.sqlite3")])
    source.rollback()

    assert result.exit_code == 0, result.output
    restored = tmp_path / "restored.sqlite3"
    shutil.copy(tmp_path / "copy.sqlite3", restored)
    copy = sqlite3.connect(restored)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    for table in ("nominations", "events", "supporters", "comments", "votes", "users", "notifications"):
        query = f"SELECT * FROM {table} ORDER BY 1"
        assert copy.execute(query).fetchall() == source.execute(query).fetchall(), table
    engine = create_db_engine(f"sqlite:///{restored}")
    with open_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Nomination)) == 200
    engine.dispose()


def test_metrics_import_says_what_it_did_or_why_not(runner, session, tmp_path):
    make_department(session, "Surgery")
    headers = "Department,Month,Metric,Numerator,Denominator\n"
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(headers + "Surgery,2026-01,WOW8,1.5,8\nSurgery,2026-02,WOW8,1,8\n", encoding="utf-8")
    bad.write_text(headers + "Surgery,2026-01,WOW8,1.5,8\nCardiology,2026-02,WOW8,1,8\n", encoding="utf-8")
    dry = runner.invoke(args=["metrics", "import", str(good), "--dry-run"])
    assert (dry.exit_code, dry.output) == (0, "Would import 2 rows (template shape) as 2 figures: one per "
                                              "department, month and metric.\n")
    refused = runner.invoke(args=["metrics", "import", str(bad)])
    assert refused.exit_code == 1
    assert "error: row 3, department: no department is named 'Cardiology'" in refused.stderr
    assert "Nothing was imported: 1 row(s) have errors." in refused.stderr
    done = runner.invoke(args=["metrics", "import", str(good)])
    assert done.exit_code == 0 and done.output.startswith("Imported 2 rows")


def test_token_create_prints_a_token_once_that_acts_as_the_person(runner, app, session):
    session.add(User(email="warehouse.owner@hospital.test", name="Wren Owner"))
    session.commit()
    result = runner.invoke(args=["token", "create", "warehouse.owner@hospital.test", "--scope", "read",
                                 "--name", "Nightly warehouse load", "--days", "30"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert secret.startswith("bt_") and "shown this once" in result.stderr
    answer = app.test_client().get("/api/v1/nominations", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200
    refused = runner.invoke(args=["token", "create", "nobody@hospital.test", "--scope", "write"])
    assert refused.exit_code != 0 and "There is no account for nobody@hospital.test." in refused.output
