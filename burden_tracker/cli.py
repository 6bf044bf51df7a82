"""The `burden-tracker` command line, also reachable as `flask --app burden_tracker`.

Asking for help builds no app and loads no database: each command imports what it needs (the database, Alembic,
openpyxl, gunicorn) when it runs, so that `--help` and a mistyped option answer at once.

One module of more than 300 lines, because the command line is one list: each command is a few lines that hand
over to a service, and reading them together is how an operator's tasks are learnt.
"""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext

from .config import SERVE_THREADS
from .enums import Role
from .errors import DomainError


def init_app(app) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


def _create_app():
    # Imported when a command needs the app: the package's create_app registers this command line in turn.
    from . import create_app

    return create_app()


class _Commands(FlaskGroup):
    """Flask's command group, which lists its commands without building the app: they are this module's own, and
    the app adds no others. With --app naming another app, that app's commands are listed as Flask lists them."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        if ctx.ensure_object(ScriptInfo).app_import_path:
            return super().list_commands(ctx)
        return click.Group.list_commands(self, ctx)


@click.group(cls=_Commands, create_app=_create_app, add_default_commands=False, add_version_option=False)
def main():
    """Burden Tracker: find and retire the administrative work that burns clinicians out."""


def _session():
    from .db import get_session

    return get_session()


def _fail(message: str):
    raise click.ClickException(message)


def _queue_what_it_asked(session) -> None:
    """A change made here that announced webhooks queues their delivery, and one that closed a quarter its
    workbook's writing, as a page's change does."""
    from .jobs import jobs
    from .services.webhooks import ANNOUNCED
    from .services.workbooks import TO_WRITE

    if session.info.pop(ANNOUNCED, False):
        jobs().deliver_webhooks()
    for workbook_id in session.info.pop(TO_WRITE, []):
        jobs().write_workbook(workbook_id)


@click.command("init")
@with_appcontext
def init_command():
    """Create or upgrade the database schema and count the dashboard's kept figures; safe to run again."""
    from . import migrate
    from .db import refresh_statistics
    from .queries.reference import organization_today
    from .services.keeping import keep_current_quarters
    from .services.myths import add_library
    from .services.reference import ensure_reference_data

    migrate.upgrade(current_app.extensions["db_engine"])
    session = _session()
    ensure_reference_data(session=session)
    add_library(session=session)  # the regulatory myths shipped in data/, each once
    keep_current_quarters(session=session, today=organization_today(session=session))  # the dashboard's figures
    session.commit()
    refresh_statistics(current_app.extensions["db_engine"])
    click.echo("The database is up to date.")


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Load only when the database has no nominations.")
@with_appcontext
def demo_command(if_empty):
    """Load the demo data set from data/ and print the demo sign-ins."""
    from .queries.nominations import has_nominations
    from .queries.users import demo_logins
    from .services import demo

    session = _session()
    if if_empty and has_nominations(session=session):
        click.echo("The database already has nominations; the demo was not loaded.")
    else:
        loaded = demo.load_demo(session=session)
        click.echo(f"Loaded the demo: {loaded} nominations.")
    logins = demo_logins(session=session)
    if logins:
        click.echo(f"Demo sign-ins (password for each: {demo.DEMO_PASSWORD}):")
        for email, roles in logins:
            click.echo(f"  {email:<24} {roles}")
        if current_app.config["SECOND_FACTOR_FOR_ADMINS"]:
            click.echo("Admins add a second factor at their first sign-in: the page shows its key as text too.")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--threads", default=SERVE_THREADS, show_default=True, type=click.IntRange(1, 1000),
              help="Threads in each worker; each slow client holds one while it sends its request.")
@click.option("--with-worker", is_flag=True, help="Run a job worker beside the server, and stop it with it.")
def serve_command(host, port, workers, threads, with_worker):
    """Serve the app on gunicorn, a production WSGI server."""
    from contextlib import nullcontext

    from .config import serving_refusal
    from .server import serve, worker_beside  # gunicorn: only for this command

    refusal = serving_refusal()
    if refusal:
        _fail(refusal)
    with worker_beside() if with_worker else nullcontext():
        click.echo(f"Burden Tracker is at http://{host}:{port}/  (Ctrl-C stops it)")
        serve(host=host, port=port, workers=workers, threads=threads, make_app=_create_app)


@click.group("user")
def user_group():
    """Manage users."""


@user_group.command("add")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice([r.value for r in Role]))
@click.option("--name", default="", help="The person's name as others will see it.")
@with_appcontext
def user_add_command(email, roles, name):
    """Create a user; the password is asked twice, or read from standard input."""
    from .services.users import add_user

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = add_user(session=_session(), email=email, roles={Role(r) for r in roles},
                        password=password, name=name)
    except DomainError as error:
        _fail(error.message)
    click.echo(f"Added {user.email} ({', '.join(sorted(roles))}).")


@user_group.command("break-glass")
@click.argument("email")
@click.option("--off", is_flag=True, help="Stop naming the account: it signs in like everyone else.")
@with_appcontext
def user_break_glass_command(email, off):
    """Name an account that may still sign in with its password when SSO_ONLY turns passwords off."""
    from .services.auth import set_break_glass

    try:
        user = set_break_glass(session=_session(), email=email, allowed=not off)
    except DomainError as error:
        _fail(error.message)
    click.echo(f"{user.email} {'no longer signs' if off else 'may sign'} in with its password while SSO_ONLY is on.")


@click.group("token")
def token_group():
    """Personal API tokens (people make their own on /me/tokens)."""


@token_group.command("create")
@click.argument("email")
@click.option("--scope", required=True, type=click.Choice(["read", "write"]),
              help="read: look only; write: also nominate, support, comment and decide, as the roles allow.")
@click.option("--name", default="made by an operator", show_default=True, help="What will use it.")
@click.option("--days", default=90, show_default=True, type=click.IntRange(1, 90), help="Until it expires.")
@with_appcontext
def token_create_command(email, scope, name, days):
    """Make an API token that acts as EMAIL with their roles, limited by --scope; it is printed once."""
    from .enums import TokenScope
    from .queries.users import find_user
    from .services.api_tokens import create_token

    user = find_user(session=_session(), email=email)
    if user is None:
        _fail(f"There is no account for {email}.")
    try:
        token, secret = create_token(session=_session(), user=user, name=name, scope=TokenScope(scope), days=days)
    except DomainError as error:
        _fail(error.message)
    click.echo(f"A {scope} token for {user.email}, until {token.expires_at.date().isoformat()}. It is shown this "
               f"once; send it as the header  Authorization: Bearer <token>", err=True)
    click.echo(secret)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--create-missing", is_flag=True, help="Create departments and categories the file names.")
@click.option("--dry-run", is_flag=True, help="Check everything and report, but write nothing.")
@with_appcontext
def import_command(file, create_missing, dry_run):
    """Import nominations from .xlsx or .csv; exits 0 only when every row was (or would be) imported."""
    from .services.importer import import_table
    from .services.sheet_files import read_table

    try:
        table = read_table(file)
        with click.progressbar(length=len(table.rows), label="Checking rows", file=sys.stderr) as bar:
            report = import_table(session=_session(), table=table, source=file.name,
                                  create_missing=create_missing, dry_run=dry_run, progress=bar.update)
    except DomainError as error:
        _fail(error.message)
    _print_import_report(report)
    if not report.ok:
        sys.exit(1)


def _print_import_report(report) -> None:
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    if report.errors:
        rows = len({e.row for e in report.errors})
        click.echo(f"Nothing was imported: {rows} row(s) have errors.", err=True)
        return
    for kind, names in report.created.items():
        if names:
            verb = "Would create" if report.dry_run else "Created"
            click.echo(f"{verb} {_count(len(names), kind)}: {', '.join(names[:10])}{' …' if len(names) > 10 else ''}")
    verb = "Would import" if report.dry_run else "Imported"
    click.echo(f"{verb} {_count(report.imported, 'nominations')}.")


_SINGULAR = {"sites": "site", "departments": "department", "categories": "category", "users": "user",
             "nominations": "nomination", "rows": "row", "figures": "figure", "cards": "card", "new cards": "new card"}


def _count(number: int, plural: str) -> str:
    return f"{number:,} {_SINGULAR[plural] if number == 1 else plural}"


@click.group("metrics")
def metrics_group():
    """EHR-use metrics from the vendor's exports."""


@metrics_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check everything and report, but write nothing.")
@with_appcontext
def metrics_import_command(file, dry_run):
    """Import EHR-use metrics from .xlsx or .csv, all or nothing; exits 0 only when every row was (or would be)
    imported."""
    from .services.metrics_import import import_metrics
    from .services.sheet_files import read_table

    try:
        report = import_metrics(session=_session(), table=read_table(file), dry_run=dry_run)
    except DomainError as error:
        _fail(error.message)
    for line in [*(f"warning: {w}" for w in report.warnings), *(f"error: {e}" for e in report.errors)]:
        click.echo(line, err=True)
    if report.errors:
        click.echo(f"Nothing was imported: {len({e.row for e in report.errors})} row(s) have errors.", err=True)
        sys.exit(1)
    verb = "Would import" if dry_run else "Imported"
    click.echo(f"{verb} {_count(report.rows, 'rows')} ({report.shape} shape) as "
               f"{_count(report.figures, 'figures')}: one per department, month and metric.")


@click.command("export")
@click.option("--quarter", required=True, help="The quarter, written like 2026-Q3.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the workbook (default: burden-tracker-QUARTER[-SITE].xlsx here).")
@click.option("--site", help="One site's workbook, by its name; without it, the whole health system's.")
@with_appcontext
def export_command(quarter, out, site):
    """Write the quarterly Excel workbook."""
    from .export import workbook_file_name, write_workbook
    from .models import Site
    from .queries.quarter_report import NotClosedBySite
    from .queries.reference import find_by_name
    from .queries.report_rows import row_counts
    from .queries.reporting import parse_quarter

    session = _session()
    try:
        chosen = parse_quarter(session=session, text=quarter)
    except ValueError as error:
        _fail(str(error))
    found = find_by_name(session, Site, site) if site else None
    if site and found is None:
        _fail(f"There is no site named “{site}”.")
    site_id = found.id if found else None
    out = out or Path(workbook_file_name(chosen, site_id, found and found.name))
    # Written beside the destination and renamed into place: a failed export leaves no half a workbook.
    partial = out.with_name(f".{out.name}.partial")
    try:
        with partial.open("wb") as file, click.progressbar(
                length=row_counts(session=session, quarter=chosen, site_id=site_id), label="Writing rows",
                file=sys.stderr) as bar:
            write_workbook(session=session, quarter=chosen, destination=file, site_id=site_id,
                           generated_by="the command line (burden-tracker export)", progress=bar.update)
        partial.replace(out)
    except NotClosedBySite as not_kept:
        partial.unlink(missing_ok=True)
        _fail(f"{not_kept}.")
    except OSError as error:
        partial.unlink(missing_ok=True)
        _fail(f"Could not write {out}: {error.strerror or error}.")
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    click.echo(f"Wrote the {chosen} workbook{f' of {found.name}' if found else ''} to {out}.")


@click.command("digest")
@click.argument("which", type=click.Choice(["daily", "weekly"]))
@with_appcontext
def digest_command(which):
    """Email the daily or weekly digests of notices now. The worker sends them each morning at DIGEST_HOUR (the
    weekly ones on Mondays); this is for an installation that runs them from a scheduler instead. Only the people
    who chose that digest in their settings receive one."""
    from .enums import NoticeEmail
    from .jobs import send_digests_now

    if not current_app.config.get("SMTP_HOST"):
        _fail("SMTP_HOST is not set: there is no mail server to send the digests through.")
    sent = send_digests_now(current_app, NoticeEmail.DAILY if which == "daily" else NoticeEmail.WEEKLY)
    click.echo(f"Sent {sent} {which} digest{'s' if sent != 1 else ''}.")


@click.command("remind")
@with_appcontext
def remind_command():
    """Remind the owners of evaluations due tomorrow, today or already past, once for each due day. The worker
    does it each morning at DIGEST_HOUR; run from a scheduler instead, run it before `digest daily`, so that a
    digest carries the reminders."""
    from .jobs import remind_owners_now

    reminded = remind_owners_now(current_app)
    click.echo(f"Reminded the owners of {reminded} nomination{'s' if reminded != 1 else ''}.")


@click.command("worker")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 32),
              help="Jobs run at once; a job mostly waits on a mail server or a webhook's endpoint.")
@with_appcontext
def worker_command(threads):
    """Run the queued jobs (emails, digests, reminders) until stopped: Ctrl-C, or SIGTERM, lets the jobs
    running finish. Several workers may share one queue (JOBS_URL in Redis or PostgreSQL)."""
    from .jobs import run_worker

    click.echo(f"The worker runs the jobs queued in {_shown_queue(current_app.config['JOBS_URL'])}  (Ctrl-C stops it)")
    run_worker(current_app, threads=threads)


def _shown_queue(url: str) -> str:
    """The queue's address without a password in it."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return url.replace(f":{parts.password}@", ":…@") if parts.password else url


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file):
    """Write a consistent copy of the live SQLite database to FILE."""
    from .services.backup import backup_sqlite

    try:
        pages = backup_sqlite(current_app.config["DATABASE_URL"], file)
    except DomainError as error:
        _fail(error.message)
    click.echo(f"Backed up {pages} pages to {file}.")


@click.group("quarter")
def quarter_group():
    """Close a quarter (its figures then never change), reopen it, or count the kept figures afresh."""


def _quarter(text: str):
    from .queries.reporting import parse_quarter

    try:
        return parse_quarter(session=_session(), text=text)
    except ValueError as error:
        _fail(str(error))


@quarter_group.command("close")
@click.argument("quarter")
@with_appcontext
def quarter_close_command(quarter):
    """Close QUARTER (written like 2026-Q3): store its figures and rows as they stand."""
    from .services.closing import OPERATOR, close_quarter

    chosen = _quarter(quarter)
    session = _session()
    try:
        close_quarter(session=session, quarter=chosen, actor_id=None, closed_by=OPERATOR)
    except DomainError as error:
        _fail(error.message)
    _queue_what_it_asked(session)
    click.echo(f"Closed {chosen}: its dashboard and workbook now show the figures as they stand today, on any "
               "later day.")


@quarter_group.command("reopen")
@click.argument("quarter")
@click.option("--reason", required=True, help="Why it is reopened; kept with the quarter's history.")
@with_appcontext
def quarter_reopen_command(quarter, reason):
    """Reopen a closed QUARTER: its figures are computed live again."""
    from .services.closing import reopen_quarter

    chosen = _quarter(quarter)
    try:
        reopen_quarter(session=_session(), quarter=chosen, actor_id=None, reason=reason)
    except DomainError as error:
        _fail(error.message)
    click.echo(f"Reopened {chosen}.")


@quarter_group.command("keep")
@with_appcontext
def quarter_keep_command():
    """Count afresh the kept figures of the current quarter and the seven before that are behind: needed only
    after a change made around the application (a script, a restore), which the dashboard then counts live."""
    from .queries.reference import organization_today
    from .services.keeping import keep_current_quarters

    session = _session()
    counted = keep_current_quarters(session=session, today=organization_today(session=session))
    click.echo(f"Counted {', '.join(map(str, counted))}." if counted else "Every kept quarter was up to date.")


@click.group("commons")
def commons_group():
    """Burden cards: share retired burdens with other health systems, and read theirs (docs/burden-cards.md)."""


@commons_group.command("export")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only cards marked on or after this day.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The JSON file to write.")
@with_appcontext
def commons_export_command(since, out):
    """Write the cards an admin marked for sharing to a JSON file."""
    from .services.commons import export_cards

    text, count = export_cards(session=_session(), since=since.date() if since else None)
    out.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {_count(count, 'cards')} to {out}.")


@commons_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def commons_import_command(file):
    """Read another health system's burden cards from FILE; a file that is not valid changes nothing."""
    from .services.commons import import_cards

    try:
        done = import_cards(session=_session(), text=file.read_bytes())
    except DomainError as error:
        _fail(error.message)
    click.echo(f"Imported {_count(done.added, 'new cards')}; {_count(done.replaced, 'cards')} replaced an earlier "
               f"copy" + (f"; left out {_count(done.own, 'cards')} of our own." if done.own else "."))


COMMANDS = (init_command, demo_command, serve_command, user_group, token_group, import_command, metrics_group,
            export_command, digest_command, remind_command, worker_command, backup_command, quarter_group,
            commons_group)
for _command in COMMANDS:
    main.add_command(_command)
