"""The least a signed-in page of 50 nominations can do on this stack, to put /nominations' throughput in context.

bench/http_throughput.py serves this app when /nominations misses its target: the real app with one more
route, /bare, served as `burden-tracker serve --workers 2` serves the app (burden_tracker/server.py). /bare
finds the person by the cookie's session token in one plain query, reads the newest 50 nominations in one
plain query (naming departments and categories from memory, as /nominations does), and renders the same
table rows as /nominations, but no navigation, filters, CSRF token, notices or settings. Its ratio to
/healthz is about as high as /nominations could go here; the gap between the two is what the real page
carries.
"""

import hashlib
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from flask import session
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from burden_tracker import create_app  # noqa: E402  (after the path is set)
from burden_tracker.db import get_session  # noqa: E402
from burden_tracker.server import serve  # noqa: E402
from burden_tracker.views.auth import OPEN_ENDPOINTS  # noqa: E402
from tests.support.serving import free_port, stop, wait_for  # noqa: E402

PATH = "/bare"
SESSION_OWNER = text("SELECT user_id FROM user_sessions WHERE token_hash = :token_hash")
NEWEST_PAGE = text("""
    SELECT id, title, state, department_id, category_id, submitted_on, supporters_count,
           coalesce(board_minutes_per_occurrence, minutes_per_occurrence)
           * coalesce(board_occurrences_per_week, occurrences_per_week)
           * coalesce(board_clinicians_affected, clinicians_affected) / 60.0 * 46
    FROM nominations ORDER BY submitted_on DESC, id DESC LIMIT 50""")
NAMES = text("SELECT 'departments', id, name FROM departments UNION ALL SELECT 'categories', id, name FROM categories")
ROWS = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Nominations</title>
<link rel="stylesheet" href="/static/css/app.css"></head><body><main><table><tbody>
{% for id, title, state, department, category, submitted_on, supporters, hours in rows %}<tr>
  <td data-label="#">{{ id }}</td>
  <td data-label="Title" class="title"><a href="/nominations/{{ id }}">{{ title }}</a></td>
  <td data-label="Department">{{ department }}</td>
  <td data-label="Category">{{ category }}</td>
  <td data-label="State"><span class="state state-{{ state }}">{{ state }}</span></td>
  <td data-label="Submitted">{{ submitted_on }}</td>
  <td data-label="Supporters" class="number">{{ supporters }}</td>
  <td data-label="Hours a year" class="number">{{ "{:,.0f}".format(hours) }}</td>
</tr>{% endfor %}
</tbody></table></main></body></html>"""

def create_bare_app():
    """The app, with /bare open to all: it checks the session itself, in one query, and names departments and
    categories from what it read on its first request, as /nominations names them from each worker's copy."""
    app = create_app()
    page = app.jinja_env.from_string(ROWS)
    OPEN_ENDPOINTS.add("bare")
    names = {}

    @app.get(PATH, endpoint="bare")
    def bare():
        connection = get_session().connection()
        token_hash = hashlib.sha256(session.get("_user_id", "").encode()).hexdigest()
        if connection.execute(SESSION_OWNER, {"token_hash": token_hash}).first() is None:
            return "Sign in first", 403
        if not names:
            for kind, name_id, name in connection.execute(NAMES):
                names.setdefault(kind, {})[name_id] = name
        departments, categories = names["departments"], names["categories"]
        rows = [(id_, title, state, departments[department_id], categories[category_id], *rest)
                for id_, title, state, department_id, category_id, *rest in connection.execute(NEWEST_PAGE)]
        return page.render(rows=rows)

    return app


@contextmanager
def served_bare(database_url: str):
    """Yields the address of this app served as `burden-tracker serve --workers 2` serves the real one."""
    port = free_port()
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "a key for benchmarks only", "PATH": os.environ["PATH"]}
    process = subprocess.Popen([sys.executable, __file__, str(port)], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/healthz")
        yield base
    finally:
        stop(process)


if __name__ == "__main__":
    serve(host="127.0.0.1", port=int(sys.argv[1]), workers=2, make_app=create_bare_app)
