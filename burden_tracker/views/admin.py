"""Administration: users and roles, departments, categories and settings, at /admin."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
