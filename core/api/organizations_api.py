"""Agencies' members and claims over the JSON API (``/api/v1/organizations/…``).

The caller must be a member of the agency or a site admin; anyone else signed in gets 404
``not_found``, exactly as for an agency that does not exist, so the API never reveals
which agencies exist or who belongs to them.  Without credentials: 401.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from flask import jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict

from core.api import (
    ApiBlueprint,
    ApiError,
    endpoint,
    from_service_error,
    page,
    parse_body,
    require_user,
)
from core.db import get_session, utcnow
from core.models import CLAIM_STATUSES, Membership, Organization
from core.services import memberships
from core.services.errors import NotFound, ServiceError
from core.services.memberships import ClaimRow
from core.web import commit, registry

bp = ApiBlueprint("organizations_api", __name__, url_prefix="/api/v1/organizations")
TAGS = ["Organizations"]
NOT_FOUND = (401, 404)


class MemberOut(BaseModel):
    """A member of an agency."""

    user_id: int
    name: str
    email: str
    role: str
    since: datetime


class MemberPage(BaseModel):
    """The agency's members, oldest first."""

    items: list[MemberOut]
    total: int


class ClaimOut(BaseModel):
    """A claim to join an agency, with the event and registration it comes from."""

    id: int
    organization: dict[str, Any]
    status: Literal["pending", "confirmed", "refused"]
    name: str
    email: str
    event: dict[str, Any] | None
    registration_id: int | None
    created_at: datetime
    decided_at: datetime | None


class ClaimPage(BaseModel):
    """The agency's claims, oldest first."""

    items: list[ClaimOut]
    total: int


class ClaimDecisionIn(BaseModel):
    """Confirm (the person becomes a member) or refuse a pending claim."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["confirmed", "refused"]


def member_json(membership: Membership) -> dict[str, Any]:
    """The API representation of a membership."""
    return {
        "user_id": membership.user_id,
        "name": membership.user.name,
        "email": membership.user.email,
        "role": membership.role,
        "since": membership.created_at.isoformat(),
    }


def claim_json(row: ClaimRow) -> dict[str, Any]:
    """The API representation of a claim."""
    claim, organization, event = row.claim, row.organization, row.event
    return {
        "id": claim.id,
        "organization": {"id": organization.id, "name": organization.name},
        "status": claim.status,
        "name": claim.name,
        "email": claim.email,
        "event": {"slug": event.slug, "name": event.name} if event is not None else None,
        "registration_id": claim.registration_id,
        "created_at": claim.created_at.isoformat(),
        "decided_at": claim.decided_at.isoformat() if claim.decided_at else None,
    }


def _organization(organization_id: int) -> Organization:
    """The agency when the caller is a member or a site admin; 404 otherwise."""
    user = require_user()
    try:
        return memberships.organization_for(get_session(), user, organization_id)
    except NotFound:
        raise ApiError(404, "not_found", _("Unknown agency.")) from None


@bp.get("/<int:organization_id>/members")
@endpoint(
    summary="Members of an agency",
    tags=TAGS,
    response=MemberPage,
    auth=True,
    errors=NOT_FOUND,
)
def list_members(organization_id: int) -> ResponseReturnValue:
    """Members and site admins only; anyone else gets 404."""
    organization = _organization(organization_id)
    items = memberships.members(get_session(), organization.id)
    return jsonify(page([member_json(m) for m in items], len(items)))


@bp.delete("/<int:organization_id>/members/<int:user_id>")
@endpoint(
    summary="Remove a member of an agency (or leave it)",
    tags=TAGS,
    status=204,
    auth=True,
    errors=(401, 404, 409),
)
def remove_member(organization_id: int, user_id: int) -> ResponseReturnValue:
    """A member removes another member or leaves; 409 for the last member (site admins may)."""
    organization = _organization(organization_id)
    session = get_session()
    try:
        memberships.remove_member(session, organization, user_id, actor=require_user())
    except ServiceError as exc:
        session.rollback()
        raise from_service_error(exc) from None
    commit()
    return "", 204


@bp.get("/<int:organization_id>/claims")
@endpoint(
    summary="Claims to join an agency",
    tags=TAGS,
    response=ClaimPage,
    auth=True,
    errors=(401, 404, 422),
    query={"status": {"type": "string", "enum": list(CLAIM_STATUSES)}},
)
def list_claims(organization_id: int) -> ResponseReturnValue:
    """Members and site admins only; ``?status=pending`` lists those awaiting a decision."""
    organization = _organization(organization_id)
    status = request.args.get("status") or None
    if status is not None and status not in CLAIM_STATUSES:
        raise ApiError(
            422, "validation_failed", _("Invalid filter."), {"status": [_("Unknown status.")]}
        )
    rows = memberships.claims_of(get_session(), organization.id, status=status)
    return jsonify(page([claim_json(row) for row in rows], len(rows)))


@bp.post("/<int:organization_id>/claims/<int:claim_id>/decision")
@endpoint(
    summary="Confirm or refuse a claim to join an agency",
    tags=TAGS,
    body=ClaimDecisionIn,
    response=ClaimOut,
    auth=True,
    errors=(400, 401, 404, 409, 413, 422),
)
def decide_claim(organization_id: int, claim_id: int) -> ResponseReturnValue:
    """A member or a site admin; 409 when the claim was already decided."""
    organization = _organization(organization_id)
    data = parse_body(ClaimDecisionIn)
    session = get_session()
    try:
        claim = memberships.get_claim(session, organization.id, claim_id)
        memberships.decide_claim(
            session, registry(), claim, data.status, actor=require_user(), now=utcnow()
        )
    except ServiceError as exc:
        session.rollback()
        raise from_service_error(exc) from None
    commit()
    row = next(r for r in memberships.claims_of(session, organization.id) if r.claim.id == claim.id)
    return jsonify(claim_json(row))
