"""Burden Tracker: find and retire the administrative work that burns clinicians out."""

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

__version__ = "0.1.0"

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> "Flask":
    # Imported here, not with the package: the pure core (workflow.py, hours.py) is imported without Flask.
    from flask import Flask

    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_relative_config=True,
    )
    from . import cli, config, db, forms, jobs, security, views

    config.load_config(app, test_config)
    security.init_app(app)
    forms.init_app(app)
    db.init_app(app)
    jobs.init_app(app)
    views.init_app(app)
    cli.init_app(app)
    return app
