"""/admin/sign-on, for admins only: how single sign-on is set up, and which values of the provider's roles claim
grant which roles here (services/single_sign_on.py applies them at each sign-in)."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from ..db import get_session
from ..enums import Role
from ..errors import DomainError
from ..forms import SignOnRoleForm
from ..queries.sign_on import role_mapping_rows
from ..services import single_sign_on
from .auth import admins_only
from .reauth import fresh_proof_required
from .rendering import show_errors

bp = Blueprint("sign_on_admin", __name__, url_prefix="/admin/sign-on")


bp.before_request(admins_only)


@bp.route("", methods=["GET", "POST"])
@fresh_proof_required
def mappings():
    form = SignOnRoleForm()
    if form.validate_on_submit():
        try:
            single_sign_on.map_role(session=get_session(), actor_id=current_user.id,
                                    claim_value=form.claim_value.data, role=Role(form.role.data))
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(f"From their next sign-in, people whose {_claim()} claim holds {form.claim_value.data.strip()} "
                  f"are {form.role.data}.")
            return redirect(url_for("sign_on_admin.mappings"), code=303)
    return _page(form)


@bp.post("/remove")
@fresh_proof_required
def unmap():
    form = SignOnRoleForm()
    if not form.validate_on_submit() or not form.claim_value.data:
        abort(400)
    single_sign_on.unmap_role(session=get_session(), actor_id=current_user.id, claim_value=form.claim_value.data,
                              role=Role(form.role.data))
    flash(f"{form.claim_value.data} no longer grants {form.role.data}; the role is left to this page's users list "
          "from now on.")
    return redirect(url_for("sign_on_admin.mappings"), code=303)


def _claim() -> str:
    return current_app.config["OIDC_ROLES_CLAIM"]


def _page(form: SignOnRoleForm):
    config = current_app.config
    return render_template("admin/sign_on.html", form=form, mappings=role_mapping_rows(session=get_session()),
                           issuer=config["OIDC_ISSUER"], provider_name=config["OIDC_PROVIDER_NAME"],
                           claim=_claim(), trusted_domains=config["OIDC_TRUSTED_DOMAINS"],
                           sso_only=config["SSO_ONLY"]), 422 if form.errors else 200
