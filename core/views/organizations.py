"""The signed-in person's agencies: members, leaving, removing, and claims to confirm.

Every page checks the agency itself: only its members and the site admins see it; anyone
else gets 404 (whether an agency has members, and who, is not revealed).  Site admins see
every pending claim at ``/admin/claims`` (:mod:`core.views.admin`) and decide them from
there or on the agency's page.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from core.db import get_session, utcnow
from core.forms import ClaimDecisionForm, EmptyForm, OrganizationNamesForm
from core.i18n import translate
from core.models import User
from core.services import memberships
from core.services.errors import NotFound, ServiceError
from core.web import commit, registry, signed_in_user

bp = Blueprint("organizations", __name__, url_prefix="/account/organizations")


def _user() -> User | None:
    return signed_in_user()


def _sign_in_first() -> Any:
    return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]


@bp.get("/")
def index() -> ResponseReturnValue:
    """The signed-in person's agencies, with how many claims wait in each."""
    user = _user()
    if user is None:
        return _sign_in_first()
    session = get_session()
    rows = memberships.my_organizations(session, user)
    waiting = {
        organization.id: len(memberships.claims_of(session, organization.id, status="pending"))
        for organization, _membership in rows
    }
    admin_waiting = len(memberships.pending_claims(session)) if user.is_admin else 0
    return render_template(
        "organizations/index.html", rows=rows, waiting=waiting, admin_waiting=admin_waiting
    )


def _organization_or_404(organization_id: int) -> Any:
    try:
        return memberships.organization_for(get_session(), _user(), organization_id)
    except NotFound:
        abort(404)


@bp.get("/<int:organization_id>")
def detail(organization_id: int, names: OrganizationNamesForm | None = None) -> ResponseReturnValue:
    """One agency: its members (remove, leave) and its claims (confirm, refuse)."""
    user = _user()
    if user is None:
        return _sign_in_first()
    organization = _organization_or_404(organization_id)
    session = get_session()
    return render_template(
        "organizations/detail.html",
        organization=organization,
        members=memberships.members(session, organization.id),
        pending=memberships.claims_of(session, organization.id, status="pending"),
        decided=[
            row
            for row in memberships.claims_of(session, organization.id)
            if row.claim.status != "pending"
        ],
        me=user,
        is_member=memberships.is_member(session, user.id, organization.id),
        form=EmptyForm(),
        decision=ClaimDecisionForm(),
        names=names
        or OrganizationNamesForm(short_name=organization.short_name, aliases=organization.aliases),
    )


@bp.post("/<int:organization_id>/names")
def update_names(organization_id: int) -> ResponseReturnValue:
    """Set the agency's short name and aliases (members and site admins)."""
    user = _user()
    if user is None:
        return _sign_in_first()
    organization = _organization_or_404(organization_id)
    form = OrganizationNamesForm()
    session = get_session()
    if form.validate_on_submit():
        try:
            memberships.update_names(
                session,
                organization,
                short_name=form.short_name.data or "",
                aliases=form.aliases.data or "",
                actor=user,
            )
        except ServiceError as exc:
            session.rollback()
            for name, messages in exc.fields.items():
                getattr(form, name).errors = [translate(m) for m in messages]
        else:
            commit()
            flash(_("The names of %(agency)s were saved.", agency=organization.name), "success")
            return redirect(url_for("organizations.detail", organization_id=organization_id))
    return detail(organization_id, names=form), 422


@bp.post("/<int:organization_id>/members/<int:user_id>/remove")
def remove_member(organization_id: int, user_id: int) -> ResponseReturnValue:
    """Remove a member, or leave when it is oneself (the last member cannot leave)."""
    user = _user()
    if user is None:
        return _sign_in_first()
    organization = _organization_or_404(organization_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    session = get_session()
    try:
        memberships.remove_member(session, organization, user_id, actor=user)
    except NotFound:
        session.rollback()
        abort(404)
    except ServiceError as exc:
        session.rollback()
        flash(translate(exc.message), "error")
        return redirect(url_for("organizations.detail", organization_id=organization_id))
    commit()
    if user_id == user.id:
        flash(_("You left %(agency)s.", agency=organization.name), "success")
        if not user.is_admin:
            return redirect(url_for("organizations.index"))
    else:
        flash(_("The member was removed."), "success")
    return redirect(url_for("organizations.detail", organization_id=organization_id))


@bp.post("/<int:organization_id>/claims/<int:claim_id>/decision")
def decide_claim(organization_id: int, claim_id: int) -> ResponseReturnValue:
    """Confirm (the person becomes a member) or refuse a pending claim."""
    user = _user()
    if user is None:
        return _sign_in_first()
    organization = _organization_or_404(organization_id)
    form = ClaimDecisionForm()
    if not form.validate_on_submit():
        flash(_("Choose confirm or refuse."), "error")
        return redirect(url_for("organizations.detail", organization_id=organization_id))
    session = get_session()
    try:
        claim = memberships.get_claim(session, organization.id, claim_id)
        memberships.decide_claim(
            session, registry(), claim, form.status.data or "", actor=user, now=utcnow()
        )
    except NotFound:
        session.rollback()
        abort(404)
    except ServiceError as exc:
        session.rollback()
        flash(translate(exc.message), "error")
        return redirect(url_for("organizations.detail", organization_id=organization_id))
    commit()
    if claim.status == "confirmed":
        flash(_("%(email)s is now a member.", email=claim.email), "success")
    else:
        flash(_("The claim of %(email)s was refused.", email=claim.email), "success")
    return redirect(url_for("organizations.detail", organization_id=organization_id))
