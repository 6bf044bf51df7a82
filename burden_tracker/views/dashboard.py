"""The executives' dashboard. (Being built.)"""

from flask import Blueprint, abort

from ..enums import Role
from .auth import role_required

bp = Blueprint("dashboard", __name__)
REPORT_READERS = (Role.BOARD, Role.EXECUTIVE, Role.ADMIN)


@bp.get("/dashboard")
@role_required(*REPORT_READERS)
def index():
    abort(404)
