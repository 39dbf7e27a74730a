"""The Registration section of API.md under ``/api/v1/events/<event>/``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from flask import jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from core import extensions as limits
from core.api import (
    ApiBlueprint,
    ApiError,
    api_event,
    endpoint,
    from_service_error,
    organizer_event,
    page,
    pagination,
    parse_body,
    require_user,
    translated,
)
from core.api.schemas import NON_BLANK
from core.db import get_session, utcnow
from core.models import OrganizationClaim, Upload
from core.services import accounts
from core.services.errors import ServiceError
from core.web import commit, is_event_organizer, registry, signed_in_user
from plugins.registration import bulk, documents, services, visitors
from plugins.registration.documents_api import DocumentIn, DocumentOut, decode_files, storage
from plugins.registration.models import Registration

api = ApiBlueprint("registration_api", __name__, url_prefix="/api/v1/events/<event>")
TAGS = ["Registration"]
Text = Annotated[str, Field(max_length=5000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OrganizationIn(_Strict):
    """The registering agency; an existing one is matched by name and region."""

    name: str = Field(max_length=250)
    kind: Literal["government", "bumd", "university", "private"] = "government"
    region: str = Field(default="", max_length=120)


class ContactIn(_Strict):
    """The contact person; ``phone`` is an Indonesian number (stored as +62…)."""

    name: str = Field(max_length=200)
    email: str = Field(max_length=254, json_schema_extra={"format": "email"})
    phone: str = Field(max_length=40)


class InnovationIn(_Strict):
    """One innovation; ``category`` is one of the event's categories."""

    title: str = Field(max_length=250)
    summary: Text = ""
    category: str = Field(max_length=80)
    year_launched: int | None = Field(default=None, ge=1945, le=2100)
    cettar: list[Literal["cepat", "efektif", "efisien", "transparan", "tanggap", "responsif"]] = (
        Field(default_factory=list)
    )
    previous: int | None = Field(
        default=None,
        ge=1,
        le=2**31 - 1,
        description="An earlier entry of the same agency: this is that innovation, entered again.",
    )
    replicates: int | None = Field(
        default=None,
        ge=1,
        le=2**31 - 1,
        description="Another agency's innovation (an entry id) that this one replicates.",
    )
    launched_on: date | None = Field(
        default=None, description="When the innovation started serving (eligibility)."
    )


class RegistrationIn(_Strict):
    """A complete registration."""

    organization: OrganizationIn
    contact: ContactIn
    innovations: list[InnovationIn] = Field(min_length=1, max_length=100)
    answers: dict[str, str | bool] = Field(default_factory=dict)
    accept_terms: bool = False
    documents: list[DocumentIn] = Field(
        default_factory=list,
        max_length=20,
        description="The event's required documents (eligibility rule `required_documents`).",
    )


class RegistrationCreated(BaseModel):
    """The new registration's id and status."""

    id: int
    status: Literal["pending"]


class InnovationOut(BaseModel):
    """An innovation of a registration."""

    id: int
    title: str
    summary: str
    category: str
    year_launched: int | None
    cettar: list[str]
    status: str
    launched_on: date | None = None
    identity: int | None = None
    replicates: int | None = None


class OrganizationClaimOut(BaseModel):
    """Whether the contact still awaits the agency's confirmation, and why.

    ``null`` on the registration when no claim was needed (not approved yet, or the contact
    became a member at once: the registration created the agency, or was already a member).
    """

    status: Literal["pending", "confirmed", "refused"]
    reason: str


class RegistrationOut(BaseModel):
    """A registration with its status, the reason of the decision and its innovations."""

    id: int
    status: str
    reason: str
    organization: dict[str, Any]
    contact: dict[str, str]
    innovations: list[InnovationOut]
    answers: dict[str, Any]
    submitted_at: datetime | None
    decided_at: datetime | None
    offered_at: datetime | None
    organization_claim: OrganizationClaimOut | None
    documents: list[DocumentOut] = []


class PlacesOut(BaseModel):
    """Exhibitor places: quota (null: no limit), taken (approved) and left (null: no limit)."""

    quota: int | None
    taken: int
    left: int | None


class RegistrationPage(BaseModel):
    """A page of registrations, with the event's exhibitor places."""

    items: list[RegistrationOut]
    total: int
    places: PlacesOut


class DecisionIn(_Strict):
    """The organizers' decision and its reason (mailed to the contact)."""

    status: Literal["approved", "rejected", "waitlisted"]
    reason: Text = ""


class DecisionsIn(_Strict):
    """One decision for many registrations (all of them or none)."""

    ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(min_length=1, max_length=5000)
    status: Literal["approved", "rejected", "waitlisted"]
    reason: Text = ""


class DecisionsOut(BaseModel):
    """The decided registrations, in the order of ``ids``."""

    items: list[RegistrationOut]


class VisitorIn(_Strict):
    """A visitor signing up for a pass."""

    name: str = Field(max_length=200, json_schema_extra=NON_BLANK)
    email: str = Field(max_length=254, json_schema_extra={"format": "email"})


class VisitorCreated(BaseModel):
    """Where the pass went (its code is only in the e-mail)."""

    status: Literal["sent"]
    email: str


def claim_json(claim: OrganizationClaim | None) -> dict[str, str] | None:
    """``{status, reason}`` of a registration's claim on its agency (``None`` without one)."""
    if claim is None:
        return None
    return {"status": claim.status, "reason": _(services.CLAIM_REASONS[claim.status])}


def registration_json(
    registration: Registration,
    claim: OrganizationClaim | None = None,
    labelled: dict[str, Upload] | None = None,
) -> dict[str, Any]:
    """The API representation of a registration.

    ``claim``: its claim on the agency; ``labelled``: its documents by key (see
    :func:`plugins.registration.documents.uploaded_many`).
    """
    organization = registration.organization
    return {
        "id": registration.id,
        "status": registration.status,
        "reason": registration.reason,
        "organization": {
            "id": organization.id,
            "name": organization.name,
            "kind": organization.kind,
            "region": organization.region,
        },
        "contact": {
            "name": registration.contact_name,
            "email": registration.contact_email,
            "phone": registration.contact_phone,
        },
        "innovations": [
            {
                "id": i.id,
                "title": i.title,
                "summary": i.summary,
                "category": i.category,
                "year_launched": i.year_launched,
                "cettar": list(i.cettar or []),
                "status": i.status,
                "launched_on": i.launched_on.isoformat() if i.launched_on else None,
                "identity": i.identity_id,
                "replicates": i.replicates_id,
            }
            for i in registration.innovations
        ],
        "answers": dict(registration.answers or {}),
        "submitted_at": _iso(registration.submitted_at),
        "decided_at": _iso(registration.decided_at),
        "offered_at": _iso(registration.offered_at),
        "organization_claim": claim_json(claim),
        "documents": [
            {
                "key": key,
                "filename": upload.filename,
                "content_type": upload.content_type,
                "size": upload.size,
            }
            for key, upload in (labelled or {}).items()
        ],
    }


def _labelled(registrations: list[Registration]) -> dict[int, dict[str, Upload]]:
    return documents.uploaded_many(get_session(), [r.id for r in registrations])


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _service(call: Any) -> Any:
    """Run a service call; its errors become API errors (a duplicate links to the first)."""
    try:
        return call()
    except ServiceError as exc:
        existing = exc.extra.get("registration_id")
        if existing is not None and request.view_args:
            exc.extra["link"] = url_for(
                "registration_api.get_registration",
                event=request.view_args["event"],
                id=existing,
                _external=True,
            )
        raise from_service_error(exc) from None


def _innovation_input(item: InnovationIn) -> services.InnovationInput:
    values = item.model_dump(exclude={"previous", "replicates"})
    return services.InnovationInput(
        **values, previous_id=item.previous, replicates_id=item.replicates
    )


@api.post("/registrations")
@endpoint(
    summary="Register an agency and its innovations",
    tags=TAGS,
    body=RegistrationIn,
    response=RegistrationCreated,
    status=201,
    errors=(400, 404, 409, 413, 422),
)
def create_registration(event: str) -> ResponseReturnValue:
    """Anyone while the window is open; 409 when closed or the agency already registered."""
    target = api_event(event)
    data = parse_body(RegistrationIn)
    files = decode_files(data.documents)
    session = get_session()
    registration = _service(
        lambda: services.submit_registration(
            session,
            registry(),
            target,
            organization=services.OrganizationInput(**data.organization.model_dump()),
            contact=services.ContactInput(**data.contact.model_dump()),
            innovations=[_innovation_input(i) for i in data.innovations],
            answers=dict(data.answers),
            terms_accepted=data.accept_terms,
            now=utcnow(),
            files=files,
            storage=storage(),
        )
    )
    commit()
    return jsonify({"id": registration.id, "status": registration.status}), 201


@api.get("/registrations")
@endpoint(
    summary="List registrations",
    tags=TAGS,
    response=RegistrationPage,
    auth=True,
    errors=(401, 403, 404, 422),
    query={
        "status": {
            "type": "string",
            "enum": ["pending", "approved", "rejected", "waitlisted", "withdrawn", "draft"],
        },
        "q": {"type": "string", "description": "Words matched against agency, contact, titles"},
    },
)
def list_registrations(event: str) -> ResponseReturnValue:
    """Organizers only; ``?status=`` filters, drafts are listed only when asked for."""
    target = organizer_event(event)
    limit, offset = pagination()
    status = request.args.get("status") or None
    if status is not None and status not in services.REGISTRATION_STATUSES:
        raise ApiError(
            422,
            "validation_failed",
            _("Invalid filter."),
            {"status": [_("Unknown status.")]},
        )
    items, total = services.list_registrations(
        get_session(), target, status=status, q=request.args.get("q"), limit=limit, offset=offset
    )
    claims = services.claim_states(get_session(), target, items)
    labelled = _labelled(items)
    body = page([registration_json(r, claims.get(r.id), labelled.get(r.id)) for r in items], total)
    places = services.places(get_session(), target)
    body["places"] = {"quota": places.quota, "taken": places.taken, "left": places.left}
    return jsonify(body)


@api.get("/registrations/<int:id>")
@endpoint(
    summary="One registration",
    tags=TAGS,
    response=RegistrationOut,
    auth=True,
    errors=(401, 403, 404),
)
def get_registration(event: str, id: int) -> ResponseReturnValue:
    """The event's organizers, or the registration's contact person."""
    user = require_user()
    target = api_event(event)
    registration = _service(lambda: services.get_registration(get_session(), target, id))
    if not (is_event_organizer(target) or services.is_contact(registration, user)):
        raise ApiError(403, "forbidden", _("Only the organizers or the contact may see this."))
    claim, _reason = services.claim_state(get_session(), registration)
    labelled = _labelled([registration])
    return jsonify(registration_json(registration, claim, labelled.get(registration.id)))


@api.post("/registrations/<int:id>/decision")
@endpoint(
    summary="Approve, reject or wait-list a registration",
    tags=TAGS,
    body=DecisionIn,
    response=RegistrationOut,
    auth=True,
    errors=(400, 401, 403, 404, 409, 422),
)
def decide(event: str, id: int) -> ResponseReturnValue:
    """Organizers only; approving past the exhibitor quota answers 409."""
    target = organizer_event(event)
    data = parse_body(DecisionIn)
    session = get_session()
    user = signed_in_user()
    registration = _service(lambda: services.get_registration(session, target, id))
    _service(
        lambda: services.decide(
            session,
            registry(),
            target,
            registration,
            data.status,
            data.reason,
            actor_id=user.id if user else None,
            now=utcnow(),
        )
    )
    commit()
    claim, _reason = services.claim_state(session, registration)
    labelled = _labelled([registration])
    return jsonify(registration_json(registration, claim, labelled.get(registration.id)))


@api.post("/registrations/decisions")
@endpoint(
    summary="Approve, reject or wait-list many registrations at once (all or none)",
    tags=TAGS,
    body=DecisionsIn,
    response=DecisionsOut,
    auth=True,
    errors=(400, 401, 403, 404, 409, 413, 422),
)
def decide_in_bulk(event: str) -> ResponseReturnValue:
    """Organizers only; 422 naming ``ids.<row>``; the quota counts the whole batch (409)."""
    target = organizer_event(event)
    data = parse_body(DecisionsIn)
    session = get_session()
    user = signed_in_user()
    try:
        decided = bulk.decide_all(
            session,
            registry(),
            target,
            list(data.ids),
            data.status,
            data.reason,
            actor_id=user.id if user else None,
            now=utcnow(),
        )
    except ServiceError as exc:
        raise translated(exc) from None
    commit()
    claims = services.claim_states(session, target, decided)
    labelled = _labelled(decided)
    return jsonify(
        {"items": [registration_json(r, claims.get(r.id), labelled.get(r.id)) for r in decided]}
    )


@api.post("/visitors")
@endpoint(
    summary="Sign up as a visitor (the pass code is e-mailed)",
    tags=TAGS,
    body=VisitorIn,
    response=VisitorCreated,
    status=201,
    errors=(400, 404, 409, 413, 422, 429),
)
def sign_up_visitor(event: str) -> ResponseReturnValue:
    """Anyone while the event runs; the pass code is never in the response."""
    target = api_event(event)
    data = parse_body(VisitorIn)
    clean = accounts.clean_email_or_none(data.email)
    if clean and not limits.spend_mail_budget("visitor", clean, address_key=limits.VISITOR_ADDRESS):
        limits.too_many_requests()
    today = utcnow().astimezone(ZoneInfo(target.timezone)).date()
    visitor_pass = _service(
        lambda: visitors.sign_up(get_session(), target, data.name, data.email, today=today)
    )
    email = visitor_pass.holder_email
    commit()
    return jsonify({"status": "sent", "email": email}), 201
