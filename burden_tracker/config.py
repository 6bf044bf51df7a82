"""Settings read from the environment, with safe defaults for one machine."""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

# Threads in each `serve` worker (burden_tracker/server.py). One worker may take every slow client at once, so
# each has more threads than the fifty slow clients it is tested against, and room for everyone else. A thread
# costs little while it waits; the database pool (SQLAlchemy's default) still bounds the queries at once.
SERVE_THREADS = 64


def load_config(app, test_config=None):
    instance = Path(app.instance_path)
    app.config.from_mapping(
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'burden_tracker.sqlite3'}",
        SECRET_KEY=os.environ.get("SECRET_KEY"),
        SMTP_HOST=os.environ.get("SMTP_HOST"),
        SMTP_PORT=int(os.environ.get("SMTP_PORT", "25")),
        MAIL_FROM=os.environ.get("MAIL_FROM", "burden-tracker@localhost"),
        NOMINATIONS_PER_PAGE=50,
        # Hardening (issue 6): each is read where it is used.
        BASE_URL=os.environ.get("BASE_URL"),  # the address people use, for links in emails
        REDIS_URL=os.environ.get("REDIS_URL"),  # shared rate-limit counts across worker processes
        PROXY_FIX=int(os.environ.get("PROXY_FIX", "0")),  # how many proxies in front set X-Forwarded-*
        SESSION_IDLE_MINUTES=int(os.environ.get("SESSION_IDLE_MINUTES", "60")),
        SESSION_MAX_HOURS=int(os.environ.get("SESSION_MAX_HOURS", "12")),
        MAX_CONTENT_LENGTH=int(os.environ.get("MAX_CONTENT_LENGTH", str(2 * 1024 * 1024))),  # forms hold text only
        # A file sent to a view that takes one (forms.accepts_upload): the body's limit then, the text still 2 MB.
        UPLOAD_MAX_BYTES=int(os.environ.get("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024))),
        # Screenshots and PDFs on nominations (services/attachments.py): kept here, outside static/, each up to
        # ATTACHMENT_MAX_BYTES. Several app servers share one folder (a network share), and backups include it.
        ATTACHMENTS_DIR=os.environ.get("ATTACHMENTS_DIR") or str(instance / "attachments"),
        ATTACHMENT_MAX_BYTES=int(os.environ.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))),
        # Signing out answers Clear-Site-Data: "cookies", "storage", so that a shared computer keeps nothing of
        # the session (the device cookie is handed over and set again: views/sign_in_guard.py). Browsers clear
        # "cookies" for the whole registrable domain, though: an installation that shares it with the hospital's
        # other signed-in sites (tracker.hospital.org beside intranet.hospital.org) sets SIGN_OUT_CLEARS_COOKIES=0,
        # so that signing out here does not sign people out there; it then clears "storage" only and expires its
        # own session cookie by name.
        SIGN_OUT_CLEARS_COOKIES=_switch("SIGN_OUT_CLEARS_COOKIES", default=True),
        # Single sign-on with OpenID Connect (views/sso.py): on when OIDC_ISSUER is set.
        OIDC_ISSUER=os.environ.get("OIDC_ISSUER") or None,
        OIDC_CLIENT_ID=os.environ.get("OIDC_CLIENT_ID"),
        OIDC_CLIENT_SECRET=os.environ.get("OIDC_CLIENT_SECRET"),
        OIDC_PROVIDER_NAME=os.environ.get("OIDC_PROVIDER_NAME") or "single sign-on",
        OIDC_ROLES_CLAIM=os.environ.get("OIDC_ROLES_CLAIM") or "groups",
        OIDC_TRUSTED_DOMAINS=_words(os.environ.get("OIDC_TRUSTED_DOMAINS", "")),
        # Passwords off for everyone but the accounts named with `burden-tracker user break-glass`.
        SSO_ONLY=_switch("SSO_ONLY", default=False),
        # Admins who sign in with a password must add a second factor (one-time codes) at their next sign-in.
        SECOND_FACTOR_FOR_ADMINS=_switch("SECOND_FACTOR_FOR_ADMINS", default=True),
        # The job queue (jobs.py): when unset, a SQLite file beside a SQLite database (or in the instance folder).
        JOBS_URL=os.environ.get("JOBS_URL") or None,
        # A failed job is tried again JOB_RETRIES times, the first after JOB_FIRST_WAIT_SECONDS, each wait twice the
        # one before (1, 2, 4, 8, 16 minutes: about half an hour), then kept for admins on /admin/jobs.
        # A quarter's workbook is written while its reader waits up to this many nominations in the program; past
        # it, by a job whose page shows its progress (views/reports.py). A closed quarter's is written once and kept.
        WORKBOOK_IN_REQUEST_UP_TO=int(os.environ.get("WORKBOOK_IN_REQUEST_UP_TO", "20000")),
        JOB_RETRIES=int(os.environ.get("JOB_RETRIES", "5")),
        JOB_FIRST_WAIT_SECONDS=float(os.environ.get("JOB_FIRST_WAIT_SECONDS", "60")),
        # /api/v1 (views/api.py): requests a token may make a minute, and the web origins whose pages may call it
        # from a browser (CORS); none by default, so that only programs, not other sites' pages, call it.
        API_REQUESTS_PER_MINUTE=int(os.environ.get("API_REQUESTS_PER_MINUTE", "120")),
        API_CORS_ORIGINS=_words(os.environ.get("API_CORS_ORIGINS", "")),
        # Webhooks (services/webhook_delivery.py): the waits, in seconds, before each try again of a delivery the
        # endpoint did not take; then it is given up. As the Standard Webhooks specification suggests: about a day.
        WEBHOOK_WAITS=_seconds(os.environ.get("WEBHOOK_WAITS", "5 300 1800 7200 18000 36000 36000")),
        # Plain http is refused for an endpoint (a payload and its signature would cross the network readable),
        # but to this machine's own addresses.
        WEBHOOK_HTTP_ALLOWED=_switch("WEBHOOK_HTTP_ALLOWED", default=False),
        # The hour, on the organization's clocks, of the worker's reminders and digests (weekly ones on Mondays).
        DIGEST_HOUR=int(os.environ.get("DIGEST_HOUR", "7")),
    )
    if test_config:
        app.config.update(test_config)
    # Flask caps each multipart text field at 500 kB on its own; one limit for the whole body is enough.
    if "MAX_FORM_MEMORY_SIZE" not in (test_config or {}):
        app.config["MAX_FORM_MEMORY_SIZE"] = app.config["MAX_CONTENT_LENGTH"]
    if not app.config["JOBS_URL"]:
        app.config["JOBS_URL"] = _jobs_beside(app.config["DATABASE_URL"], instance)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_secret_key(instance)


def _jobs_beside(database_url: str, instance: Path) -> str:
    if database_url.startswith("sqlite:///") and database_url != "sqlite:///:memory:":
        database = Path(database_url.removeprefix("sqlite:///"))
        return f"sqlite:///{database.with_name(database.stem + '-jobs.sqlite3')}"
    return f"sqlite:///{instance / 'jobs.sqlite3'}"


def _words(value: str) -> tuple[str, ...]:
    """A list setting, its items separated by commas or spaces, lower-cased."""
    return tuple(word.lower() for word in value.replace(",", " ").split())


def _seconds(value: str) -> tuple[float, ...]:
    """A list of waits in seconds, separated by commas or spaces; each must be a number above nothing."""
    waits = tuple(float(word) for word in value.replace(",", " ").split())
    if not waits or min(waits) <= 0:
        raise ValueError(f"Expected waits in seconds, each above 0, not {value!r}.")
    return waits


def _switch(name: str, *, default: bool, environ=os.environ) -> bool:
    """An on/off setting: 0, false, no or off turn it off, 1, true, yes or on turn it on, unset keeps the default.
    Anything else is refused, so that a typo does not quietly pick a side."""
    value = environ.get(name, "")
    if not value.strip():
        return default
    words = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}
    try:
        return words[value.strip().lower()]
    except KeyError:
        raise ValueError(f"{name} must be on or off (1 or 0), not {value!r}") from None


def serving_refusal(environ=os.environ) -> str | None:
    """Why `serve` must not start with these settings, in one line; None when it may.

    With an SMTP server and no BASE_URL, links in emails could only come from a request's Host, which
    the client chooses: a served app refuses that outright rather than mail links without an address.
    """
    if environ.get("OIDC_ISSUER") and not (environ.get("OIDC_CLIENT_ID") and environ.get("OIDC_CLIENT_SECRET")):
        return "OIDC_ISSUER is set but OIDC_CLIENT_ID or OIDC_CLIENT_SECRET is not: single sign-on needs all three."
    if _switch("SSO_ONLY", default=False, environ=environ) and not environ.get("OIDC_ISSUER"):
        return "SSO_ONLY is on but OIDC_ISSUER is not set: nobody could sign in but the break-glass accounts."
    base_url = environ.get("BASE_URL")
    if environ.get("SMTP_HOST") and not base_url:
        return ("SMTP_HOST is set but BASE_URL is not: set BASE_URL to the address people use "
                "(like https://burden.example.org/), which links in emails start with.")
    if base_url:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            return f"BASE_URL must be an address like https://burden.example.org/, not {base_url!r}."
    return None


def instance_secret_key(instance: Path) -> str:
    """Read the key kept in the instance folder, making it on first run.

    Several workers may start at once: the key is written to a private temporary file and
    linked into place, so every worker reads the same complete key.
    """
    key_file = instance / "secret_key"
    if not key_file.exists():
        instance.mkdir(parents=True, exist_ok=True)
        draft = instance / f".secret_key.{os.getpid()}"
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()
