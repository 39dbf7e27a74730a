"""Registration logic: drafts, submission, decisions with a quota, wait list, withdrawal.

Every function takes a SQLAlchemy session and plain values (no Flask request).  Functions
that send e-mail need an application context (templates and absolute links).
Nothing here commits: the caller owns the transaction, so a refused submission leaves no
partial registration behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from core.i18n import N_
from core.models import (
    CETTAR_VALUES,
    Event,
    EventPlugin,
    Innovation,
    Organization,
    OrganizationClaim,
)
from core.plugin_helpers import (
    announce_innovation_submitted,
    announce_registration_decided,
    stored_settings,
)
from core.services import accounts, audit, memberships, text_search
from core.services.errors import Conflict, NotFound, ValidationFailed
from plugins.registration import documents, eligibility, mails, reentry
from plugins.registration.models import (
    DECISION_STATUSES,
    LIVE_STATUSES,
    REGISTRATION_STATUSES,
    Registration,
    RegistrationInnovation,
)
from plugins.registration.phones import InvalidPhone, normalize_phone
from plugins.registration.settings import RegistrationSettings

REGISTERED_STATUSES = ("submitted", "accepted")
ORGANIZATION_KINDS = ("government", "bumd", "university", "private")
EDITABLE_STATUSES = ("draft", "pending")
# Why a registration's contact is not (yet) a member of its agency, by claim status.
CLAIM_REASONS = {
    "pending": N_(
        "The agency existed before this registration (same name and region). It is awaiting "
        "the agency's confirmation: one of its members, or a site admin, must confirm that "
        "the contact belongs to it."
    ),
    "confirmed": N_("The agency's members confirmed that the contact belongs to the agency."),
    "refused": N_(
        "The agency's members did not confirm the contact, who is not a member of the agency. "
        "The registration itself stays approved."
    ),
}
# What a decision does to the registration's innovations.
INNOVATION_STATUS_FOR = {
    "pending": "submitted",
    "approved": "accepted",
    "rejected": "rejected",
    "waitlisted": "submitted",
    "withdrawn": "withdrawn",
}


# --- input ------------------------------------------------------------------------------


@dataclass
class OrganizationInput:
    """The agency as typed: an existing one is matched by name and region."""

    name: str
    kind: str = "government"
    region: str = ""


@dataclass
class ContactInput:
    """The contact person of a registration."""

    name: str
    email: str
    phone: str


@dataclass
class InnovationInput:
    """One innovation as typed; ``document_upload_id`` is an already stored ``Upload``."""

    title: str
    summary: str = ""
    category: str = ""
    year_launched: int | None = None
    cettar: list[str] = field(default_factory=list)
    document_upload_id: int | None = None
    #: An earlier entry of the same agency this one enters again (issue 15).
    previous_id: int | None = None
    #: Another agency's innovation (an entry id) this one replicates.
    replicates_id: int | None = None
    launched_on: date | None = None


def event_settings(event: Event) -> RegistrationSettings:
    """The event's registration settings as a validated model."""
    return stored_settings(event, "registration", RegistrationSettings)  # type: ignore[return-value]


def clean_organization(data: OrganizationInput, prefix: str = "organization.") -> OrganizationInput:
    """The organization's fields trimmed and checked; :class:`ValidationFailed` names each."""
    problems: dict[str, list[str]] = {}
    name = (data.name or "").strip()
    region = (data.region or "").strip()
    if not name:
        problems[prefix + "name"] = [N_("The agency's name is required.")]
    elif len(name) > 250:
        problems[prefix + "name"] = [N_("At most 250 characters.")]
    if data.kind not in ORGANIZATION_KINDS:
        problems[prefix + "kind"] = [N_("Choose the kind of agency.")]
    if not region:
        problems[prefix + "region"] = [N_("The regency or city is required.")]
    elif len(region) > 120:
        problems[prefix + "region"] = [N_("At most 120 characters.")]
    if problems:
        raise ValidationFailed("invalid organization", fields=problems)
    return OrganizationInput(name=name, kind=data.kind, region=region)


def clean_contact(data: ContactInput, prefix: str = "contact.") -> ContactInput:
    """The contact trimmed, the e-mail lower-cased and the phone as ``+62…``."""
    problems: dict[str, list[str]] = {}
    name = (data.name or "").strip()
    if not name:
        problems[prefix + "name"] = [N_("The contact person's name is required.")]
    elif len(name) > 200:
        problems[prefix + "name"] = [N_("At most 200 characters.")]
    email = ""
    try:
        email = accounts.normalize_email(data.email or "")
        if len(email) > 254:
            raise ValidationFailed("too long")
    except ValidationFailed:
        problems[prefix + "email"] = [N_("Enter a valid e-mail address.")]
    phone = ""
    try:
        phone = normalize_phone(data.phone or "")
    except InvalidPhone:
        problems[prefix + "phone"] = [
            N_("Enter an Indonesian phone number, e.g. 0812-3456-7890 or +62 31 1234567.")
        ]
    if problems:
        raise ValidationFailed("invalid contact", fields=problems)
    return ContactInput(name=name, email=email, phone=phone)


def clean_innovations(
    items: list[InnovationInput], settings: RegistrationSettings, prefix: str = "innovations"
) -> list[InnovationInput]:
    """Each innovation checked against the event's categories and the per-agency maximum."""
    problems: dict[str, list[str]] = {}
    if len(items) > settings.max_innovations_per_organization:
        problems[prefix] = [N_("More innovations than this event allows per agency.")]
    cleaned: list[InnovationInput] = []
    for index, item in enumerate(items):
        at = f"{prefix}.{index}."
        title = (item.title or "").strip()
        summary = (item.summary or "").strip()
        if not title:
            problems[at + "title"] = [N_("The innovation's title is required.")]
        elif len(title) > 250:
            problems[at + "title"] = [N_("At most 250 characters.")]
        if len(summary) > 5000:
            problems[at + "summary"] = [N_("At most 5000 characters.")]
        if item.category not in settings.categories:
            problems[at + "category"] = [N_("Choose one of the event's categories.")]
        if item.year_launched is not None and not 1945 <= item.year_launched <= 2100:
            problems[at + "year_launched"] = [N_("Give a year from 1945 to 2100.")]
        unknown = [v for v in item.cettar or [] if v not in CETTAR_VALUES]
        if unknown:
            problems[at + "cettar"] = [N_("Choose among the CETTAR values.")]
        cleaned.append(
            InnovationInput(
                title=title,
                summary=summary,
                category=item.category,
                year_launched=item.year_launched,
                cettar=[v for v in CETTAR_VALUES if v in (item.cettar or [])],
                document_upload_id=item.document_upload_id,
                previous_id=item.previous_id,
                replicates_id=item.replicates_id,
                launched_on=item.launched_on,
            )
        )
    if problems:
        raise ValidationFailed("invalid innovations", fields=problems)
    return cleaned


def clean_answers(
    answers: dict[str, Any], settings: RegistrationSettings, prefix: str = "answers."
) -> dict[str, Any]:
    """Answers to the organizer's extra questions: known ids only, required ones present."""
    problems: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for question in settings.questions:
        raw = (answers or {}).get(question.id)
        if question.kind == "yesno":
            value: Any = (
                raw
                if isinstance(raw, bool)
                else {"yes": True, "no": False}.get(str(raw or "").strip().lower())
            )
        else:
            value = str(raw).strip()[:2000] if raw not in (None, "") else None
            if question.kind == "choice" and value is not None and value not in question.choices:
                problems[prefix + question.id] = [N_("Choose one of the answers offered.")]
                continue
        if value is None:
            if question.required:
                problems[prefix + question.id] = [N_("An answer is required.")]
            continue
        cleaned[question.id] = value
    if problems:
        raise ValidationFailed("invalid answers", fields=problems)
    return cleaned


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationCounts:
    """How many agencies registered and how many innovations wait for a decision."""

    organizations: int
    awaiting_review: int
    accepted: int


def registration_counts(session: Session, event: Any) -> RegistrationCounts:
    """Counts for ``event``: registered agencies, innovations awaiting review, accepted."""
    organizations = session.scalar(
        select(func.count(func.distinct(Innovation.organization_id))).where(
            Innovation.event_id == event.id, Innovation.status.in_(REGISTERED_STATUSES)
        )
    )
    by_status = dict(
        session.execute(
            select(Innovation.status, func.count())
            .where(Innovation.event_id == event.id)
            .group_by(Innovation.status)
        ).all()
    )
    return RegistrationCounts(
        organizations=organizations or 0,
        awaiting_review=by_status.get("submitted", 0),
        accepted=by_status.get("accepted", 0),
    )


def status_counts(session: Session, event: Event) -> dict[str, int]:
    """Number of registrations of the event in each status (every status present)."""
    rows = session.execute(
        select(Registration.status, func.count())
        .where(Registration.event_id == event.id)
        .group_by(Registration.status)
    ).all()
    found = {status: count for status, count in rows}
    return {status: found.get(status, 0) for status in REGISTRATION_STATUSES}


def _with_details(query: Select[tuple[Registration]]) -> Select[tuple[Registration]]:
    return query.options(
        selectinload(Registration.organization),
        selectinload(Registration.links).selectinload(RegistrationInnovation.innovation),
    )


def list_registrations(
    session: Session,
    event: Event,
    *,
    status: str | None = None,
    q: str | None = None,
    category: str | None = None,
    kind: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Registration], int]:
    """Registrations of the event (drafts only when asked for), oldest first, with the total.

    ``q`` matches every word against the agency, region, contact and innovation titles.
    """
    query = (
        select(Registration)
        .join(Organization, Organization.id == Registration.organization_id)
        .where(Registration.event_id == event.id)
    )
    if status:
        query = query.where(Registration.status == status)
    else:
        query = query.where(Registration.status != "draft")
    if kind:
        query = query.where(Organization.kind == kind)
    innovation_of = select(RegistrationInnovation.registration_id).join(
        Innovation, Innovation.id == RegistrationInnovation.innovation_id
    )
    if category:
        query = query.where(
            Registration.id.in_(innovation_of.where(Innovation.category == category))
        )
    for word in (q or "").split():
        query = query.where(
            or_(
                text_search.contains(Organization.name, word),
                text_search.contains(Organization.short_name, word),
                text_search.contains(Organization.region, word),
                text_search.contains(Registration.contact_name, word),
                text_search.contains(Registration.contact_email, word),
                Registration.id.in_(
                    innovation_of.where(text_search.contains(Innovation.title, word))
                ),
            )
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = list(
        session.scalars(
            _with_details(query)
            .order_by(Registration.submitted_at, Registration.id)
            .limit(limit)
            .offset(offset)
        )
    )
    return items, total


def get_registration(session: Session, event: Event, registration_id: int) -> Registration:
    """One registration of the event, or :class:`NotFound`."""
    registration = session.scalar(
        _with_details(
            select(Registration).where(
                Registration.event_id == event.id, Registration.id == registration_id
            )
        )
    )
    if registration is None:
        raise NotFound("unknown registration")
    return registration


def live_registration(
    session: Session, event: Event, organization_id: int, *, exclude_id: int | None = None
) -> Registration | None:
    """The organization's submitted (not withdrawn) registration for the event, if any."""
    query = select(Registration).where(
        Registration.event_id == event.id,
        Registration.organization_id == organization_id,
        Registration.status.in_(LIVE_STATUSES),
    )
    if exclude_id is not None:
        query = query.where(Registration.id != exclude_id)
    return session.scalar(query)


def matching_organization(session: Session, data: OrganizationInput) -> Organization | None:
    """The existing agency with this name and region (case-insensitive), if any.

    Only a suggestion: a registration naming an existing agency is linked to it, but its
    contact becomes a member only when the agency's members confirm (see :func:`decide`).
    """
    return session.scalar(
        select(Organization)
        .where(
            func.lower(Organization.name) == data.name.lower(),
            func.lower(Organization.region) == data.region.lower(),
        )
        .order_by(Organization.id)
    )


def known_organizations(session: Session, limit: int = 1000) -> list[Organization]:
    """Agencies known from any event, by name (the form's suggestions)."""
    return list(session.scalars(select(Organization).order_by(Organization.name).limit(limit)))


# --- guards -------------------------------------------------------------------------------


def check_window(event: Event, settings: RegistrationSettings, now: datetime) -> None:
    """:class:`Conflict` unless the registration window is open at ``now``."""
    state = settings.window_state(now)
    if state == "open":
        return
    if state == "upcoming":
        raise Conflict(
            N_("Registration has not opened yet."),
            window=state,
            opens_at=settings.opens_at.isoformat() if settings.opens_at else None,
        )
    if state == "closed":
        raise Conflict(
            N_("Registration has closed."),
            window=state,
            closes_at=settings.closes_at.isoformat() if settings.closes_at else None,
        )
    raise Conflict(N_("Registration is not open."), window=state)


def lock_event(session: Session, event: Event) -> None:
    """Take the event's registration lock (its ``event_plugins`` row) until the commit.

    PostgreSQL: ``SELECT … FOR UPDATE``.  SQLite: write transactions already begin
    IMMEDIATE, so one writer at a time; the statement just starts it.
    """
    session.execute(
        select(EventPlugin.id)
        .where(EventPlugin.event_id == event.id, EventPlugin.name == "registration")
        .with_for_update()
    ).first()


def _duplicate(existing: Registration) -> Conflict:
    return Conflict(
        N_("This agency has already registered for the event."),
        fields={"organization.name": [N_("This agency has already registered for the event.")]},
        registration_id=existing.id,
    )


def _check_not_registered(session: Session, event: Event, registration: Registration) -> None:
    existing = live_registration(
        session, event, registration.organization_id, exclude_id=registration.id
    )
    if existing is not None:
        raise _duplicate(existing)


# --- writing: the exhibitor -------------------------------------------------------------


def _resolve_organization(session: Session, data: OrganizationInput) -> tuple[Organization, bool]:
    """The agency named (an existing one suggested by name) and whether it was created now."""
    organization = matching_organization(session, data)
    if organization is not None:
        return organization, False
    organization = Organization(name=data.name, kind=data.kind, region=data.region)
    session.add(organization)
    session.flush()
    return organization, True


def start_draft(
    session: Session, event: Event, organization: OrganizationInput, *, now: datetime
) -> Registration:
    """Begin a registration with its agency (step 1); the draft is saved at once."""
    settings = event_settings(event)
    check_window(event, settings, now)
    data = clean_organization(organization)
    existing_org = matching_organization(session, data)
    if existing_org is not None:
        existing = live_registration(session, event, existing_org.id)
        if existing is not None:
            raise _duplicate(existing)
    organization_row, created = _resolve_organization(session, data)
    registration = Registration(
        event_id=event.id,
        organization_id=organization_row.id,
        created_organization=created,
        status="draft",
        answers={},
    )
    session.add(registration)
    session.flush()
    return registration


def _check_editable(event: Event, registration: Registration, now: datetime) -> None:
    if registration.status not in EDITABLE_STATUSES:
        raise Conflict(N_("This registration can no longer be changed."))
    check_window(event, event_settings(event), now)


def update_organization(
    session: Session,
    event: Event,
    registration: Registration,
    organization: OrganizationInput,
    *,
    now: datetime,
) -> Registration:
    """Change the agency of a draft or pending registration."""
    _check_editable(event, registration, now)
    data = clean_organization(organization)
    organization_row, created = _resolve_organization(session, data)
    existing = live_registration(session, event, organization_row.id, exclude_id=registration.id)
    if existing is not None:
        raise _duplicate(existing)
    if organization_row.id != registration.organization_id:
        registration.created_organization = created
    registration.organization_id = organization_row.id
    for innovation in registration.innovations:
        innovation.organization_id = organization_row.id
    session.flush()
    session.refresh(registration, ["organization"])
    return registration


def update_contact(
    session: Session,
    event: Event,
    registration: Registration,
    contact: ContactInput,
    *,
    now: datetime,
) -> Registration:
    """Set the contact person of a draft or pending registration."""
    _check_editable(event, registration, now)
    data = clean_contact(contact)
    registration.contact_name = data.name
    registration.contact_email = data.email
    registration.contact_phone = data.phone
    session.flush()
    return registration


def replace_innovations(
    session: Session,
    event: Event,
    registration: Registration,
    items: list[InnovationInput],
    *,
    now: datetime,
) -> Registration:
    """Make the registration's innovations exactly ``items`` (kept rows are updated)."""
    _check_editable(event, registration, now)
    settings = event_settings(event)
    cleaned = clean_innovations(items, settings)
    problems = reentry.link_problems(
        session,
        event,
        registration.organization_id,
        cleaned,
        own_ids=set(registration.innovation_ids),
    )
    if problems:
        raise ValidationFailed("invalid innovations", fields=problems)
    _apply_innovations(session, event, registration, cleaned)
    return registration


def _apply_innovations(
    session: Session, event: Event, registration: Registration, items: list[InnovationInput]
) -> None:
    status = "draft" if registration.status == "draft" else "submitted"
    links = list(registration.links)
    for position, data in enumerate(items):
        if position < len(links):
            innovation = links[position].innovation
        else:
            innovation = Innovation(
                event_id=event.id,
                organization_id=registration.organization_id,
                status=status,
                title=data.title,
            )
            registration.links.append(RegistrationInnovation(innovation=innovation))
        innovation.title = data.title
        innovation.summary = data.summary
        innovation.category = data.category
        innovation.year_launched = data.year_launched
        innovation.cettar = list(data.cettar)
        innovation.document_upload_id = data.document_upload_id
        innovation.organization_id = registration.organization_id
        reentry.apply_links(session, innovation, data)
    for link in links[len(items) :]:
        registration.links.remove(link)
        session.delete(link.innovation)
    for position, link in enumerate(registration.links):
        link.position = position
    session.flush()


def set_answers(
    session: Session,
    event: Event,
    registration: Registration,
    answers: dict[str, Any],
    *,
    terms_accepted: bool,
    now: datetime,
) -> Registration:
    """Store the answers to the extra questions and the terms acceptance."""
    _check_editable(event, registration, now)
    registration.answers = clean_answers(answers, event_settings(event))
    registration.terms_accepted = bool(terms_accepted)
    session.flush()
    return registration


def _check_complete(registration: Registration, settings: RegistrationSettings) -> None:
    problems: dict[str, list[str]] = {}
    if not (registration.contact_name and registration.contact_email):
        problems["contact.name"] = [N_("Add the contact person.")]
    if not registration.links:
        problems["innovations"] = [N_("Add at least one innovation.")]
    elif len(registration.links) > settings.max_innovations_per_organization:
        problems["innovations"] = [N_("More innovations than this event allows per agency.")]
    if settings.terms and not registration.terms_accepted:
        problems["terms_accepted"] = [N_("Accept the terms to submit.")]
    try:
        clean_answers(registration.answers or {}, settings)
    except ValidationFailed as exc:
        problems.update(exc.fields)
    if problems:
        raise ValidationFailed("incomplete registration", fields=problems)


def submit_draft(
    session: Session, registry: Any, event: Event, registration: Registration, *, now: datetime
) -> Registration:
    """Send a complete draft to the organizers: pending, innovations submitted, mail sent."""
    if registration.status != "draft":
        raise Conflict(N_("This registration was already submitted."))
    settings = event_settings(event)
    check_window(event, settings, now)
    _check_complete(registration, settings)
    eligibility.refuse_if_ineligible(session, event, registration, settings)
    lock_event(session, event)
    _check_not_registered(session, event, registration)
    registration.status = "pending"
    registration.submitted_at = now
    for innovation in registration.innovations:
        innovation.status = "submitted"
    try:
        session.flush()
    except IntegrityError:  # a concurrent registration of the same agency won the race
        session.rollback()
        raise Conflict(N_("This agency has already registered for the event.")) from None
    audit.record(
        session, "registration.submitted", event_id=event.id, registration_id=registration.id
    )
    for innovation in registration.innovations:
        announce_innovation_submitted(registry, session, event, innovation)
    mails.send_received(session, event, registration)
    return registration


def submit_registration(
    session: Session,
    registry: Any,
    event: Event,
    *,
    organization: OrganizationInput,
    contact: ContactInput,
    innovations: list[InnovationInput],
    answers: dict[str, Any] | None = None,
    terms_accepted: bool = False,
    now: datetime,
    files: Sequence[documents.DocumentInput] = (),
    storage: documents.Storage | None = None,
) -> Registration:
    """Register in one go (the API): every field is checked before anything is stored.

    ``files`` are the required documents (stored in ``storage`` before the eligibility check).
    """
    settings = event_settings(event)
    check_window(event, settings, now)
    problems: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    checks = (
        ("organization", lambda: clean_organization(organization)),
        ("contact", lambda: clean_contact(contact)),
        ("innovations", lambda: clean_innovations(innovations, settings)),
        ("answers", lambda: clean_answers(answers or {}, settings)),
    )
    for name, check in checks:
        try:
            cleaned[name] = check()
        except ValidationFailed as exc:
            problems.update(exc.fields)
    if not innovations:
        problems.setdefault("innovations", [N_("Add at least one innovation.")])
    if settings.terms and not terms_accepted:
        problems["terms_accepted"] = [N_("Accept the terms to submit.")]
    if problems:
        raise ValidationFailed("Some fields are invalid.", fields=problems)
    lock_event(session, event)
    org_data: OrganizationInput = cleaned["organization"]
    existing_org = matching_organization(session, org_data)
    if existing_org is not None:
        existing = live_registration(session, event, existing_org.id)
        if existing is not None:
            raise _duplicate(existing)
    link_problems = reentry.link_problems(
        session,
        event,
        existing_org.id if existing_org is not None else None,
        cleaned["innovations"],
    )
    if link_problems:
        raise ValidationFailed("Some fields are invalid.", fields=link_problems)
    contact_data: ContactInput = cleaned["contact"]
    organization_row, created = _resolve_organization(session, org_data)
    registration = Registration(
        event_id=event.id,
        organization_id=organization_row.id,
        created_organization=created,
        contact_name=contact_data.name,
        contact_email=contact_data.email,
        contact_phone=contact_data.phone,
        status="draft",
        answers=cleaned["answers"],
        terms_accepted=bool(terms_accepted),
    )
    session.add(registration)
    session.flush()
    _apply_innovations(session, event, registration, cleaned["innovations"])
    if files and storage is not None:
        documents.store_all(session, event, registration, settings, files, storage)
    return submit_draft(session, registry, event, registration, now=now)


def withdraw(
    session: Session, registry: Any, event: Event, registration: Registration, *, now: datetime
) -> Registration | None:
    """Withdraw a registration; a freed approved place is offered to the wait list.

    Returns the wait-listed registration that was offered the place, if any.
    """
    if registration.status == "withdrawn":
        raise Conflict(N_("This registration was already withdrawn."))
    lock_event(session, event)
    was_approved = registration.status == "approved"
    registration.status = "withdrawn"
    registration.withdrawn_at = now
    for innovation in registration.innovations:
        innovation.status = "withdrawn"
    session.flush()
    memberships.withdraw_claims(session, event.id, registration.id)
    audit.record(
        session, "registration.withdrawn", event_id=event.id, registration_id=registration.id
    )
    return offer_next_place(session, event, now=now) if was_approved else None


def approved_count(session: Session, event: Event) -> int:
    """How many registrations of the event are approved (the places taken)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.event_id == event.id, Registration.status == "approved")
        )
        or 0
    )


@dataclass(frozen=True)
class Places:
    """Exhibitor places of an event: ``taken`` approved registrations out of ``quota``.

    ``quota`` and ``left`` are ``None`` when the event sets no exhibitor quota.  This is the
    one count behind the public registration page, the console and the quota rule.
    """

    quota: int | None
    taken: int
    left: int | None


def places(session: Session, event: Event) -> Places:
    """The exhibitor places of ``event``: quota, taken (approved registrations) and left."""
    quota = event_settings(event).exhibitor_quota
    taken = approved_count(session, event)
    left = max(quota - taken, 0) if quota is not None else None
    return Places(quota=quota, taken=taken, left=left)


def offer_next_place(session: Session, event: Event, *, now: datetime) -> Registration | None:
    """Offer a free place to the first wait-listed registration not yet offered one (e-mail)."""
    quota = event_settings(event).exhibitor_quota
    if quota is not None and approved_count(session, event) >= quota:
        return None
    candidate = session.scalar(
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == "waitlisted",
            Registration.offered_at.is_(None),
        )
        .order_by(Registration.submitted_at, Registration.id)
        .limit(1)
    )
    if candidate is None:
        return None
    candidate.offered_at = now
    session.flush()
    audit.record(session, "registration.offered", event_id=event.id, registration_id=candidate.id)
    mails.send_offer(session, event, candidate)
    return candidate


def accept_offer(
    session: Session, registry: Any, event: Event, registration: Registration, *, now: datetime
) -> Registration:
    """The wait-listed contact takes the place offered (approval, quota still enforced)."""
    if registration.status != "waitlisted" or registration.offered_at is None:
        raise Conflict(N_("No place is on offer for this registration."))
    return decide(session, registry, event, registration, "approved", "", actor_id=None, now=now)


# --- writing: the organizers -------------------------------------------------------------


def decide(
    session: Session,
    registry: Any,
    event: Event,
    registration: Registration,
    status: str,
    reason: str,
    *,
    actor_id: int | None,
    now: datetime,
) -> Registration:
    """Approve, reject or wait-list; approving past the exhibitor quota is a :class:`Conflict`.

    The quota is counted under the event's registration lock, so two organizers approving
    the last place at the same moment cannot both succeed.  Approval makes the contact a
    member of the agency only when that is proven (:func:`grant_or_claim`); otherwise it
    asks the agency's members with a claim.  Any other decision drops a pending claim.
    Re-approvals, bulk decisions and accepted offers all pass through here.
    """
    if status not in DECISION_STATUSES:
        raise ValidationFailed(
            "unknown decision", fields={"status": [N_("Choose approved, rejected or waitlisted.")]}
        )
    reason = (reason or "").strip()
    if len(reason) > 5000:
        raise ValidationFailed(
            "reason too long", fields={"reason": [N_("At most 5000 characters.")]}
        )
    if registration.status not in LIVE_STATUSES:
        raise Conflict(N_("Only submitted registrations can be decided."))
    lock_event(session, event)
    session.refresh(registration)
    if registration.status not in LIVE_STATUSES:
        raise Conflict(N_("Only submitted registrations can be decided."))
    quota = event_settings(event).exhibitor_quota
    if (
        status == "approved"
        and registration.status != "approved"
        and quota is not None
        and approved_count(session, event) >= quota
    ):
        raise Conflict(
            N_("The exhibitor quota is reached."),
            fields={"status": [N_("All exhibitor places are taken.")]},
            quota=quota,
        )
    previous = registration.status
    registration.status = status
    registration.reason = reason
    registration.decided_at = now
    registration.decided_by_id = actor_id
    if status != "waitlisted":
        registration.offered_at = None
    for innovation in registration.innovations:
        innovation.status = INNOVATION_STATUS_FOR[status]
    user, new_account, claim = None, False, None
    if status == "approved":
        user, new_account, claim = grant_or_claim(session, event, registration)
    else:
        memberships.withdraw_claims(session, event.id, registration.id)
    session.flush()
    audit.record(
        session,
        "registration.decided",
        event_id=event.id,
        user_id=actor_id,
        registration_id=registration.id,
        status=status,
        previous=previous,
    )
    announce_registration_decided(registry, session, event, registration, status)
    mails.send_decision(session, event, registration, user, new_account, claim=claim)
    if previous == "approved" and status != "approved":
        offer_next_place(session, event, now=now)
    return registration


def grant_or_claim(
    session: Session, event: Event, registration: Registration
) -> tuple[Any, bool, OrganizationClaim | None]:
    """Make the approved contact a member of the agency when proven, else ask with a claim.

    Proven means: the contact's account already belongs to the agency, or this very
    registration created the agency and it has no members yet.  Otherwise a pending claim
    waits for a member of the agency (or a site admin); the name that matched an existing
    agency grants nothing.  Returns the contact's user (created password-less when new),
    whether it was created, and the claim (``None`` when membership was granted).
    """
    organization_id = registration.organization_id
    existing = accounts.find_user(session, registration.contact_email)
    if existing is not None and memberships.is_member(session, existing.id, organization_id):
        registration.contact_user_id = existing.id
        return existing, False, None
    if (
        registration.created_organization
        and memberships.member_count(session, organization_id) == 0
    ):
        user, created = accounts.get_or_invite_user(
            session, registration.contact_email, registration.contact_name
        )
        memberships.grant(session, organization_id, user.id)
        registration.contact_user_id = user.id
        return user, created, None
    claim, _new = memberships.request_claim(
        session,
        registration.organization,
        email=registration.contact_email,
        name=registration.contact_name,
        event=event,
        registration_id=registration.id,
    )
    if claim.status == "confirmed" and claim.user_id is not None:
        registration.contact_user_id = claim.user_id
    return None, False, claim


def claim_state(
    session: Session, registration: Registration
) -> tuple[OrganizationClaim | None, str]:
    """The registration's claim on its agency (if any) and why it was needed, for display.

    The reason is an untranslated message (``N_``); pages and the API translate it.
    """
    claim = memberships.claim_for_registration(session, registration.event_id, registration.id)
    return claim, CLAIM_REASONS.get(claim.status, "") if claim is not None else ""


def claim_states(
    session: Session, event: Event, registrations: list[Registration]
) -> dict[int, OrganizationClaim]:
    """The newest claim of each registration that has one (one query for a whole page)."""
    return memberships.claims_for_registrations(
        session, event.id, [registration.id for registration in registrations]
    )


@dataclass
class BulkResult:
    """Which registrations a bulk decision changed and which it refused (with why)."""

    decided: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)


def decide_many(
    session: Session,
    registry: Any,
    event: Event,
    registration_ids: list[int],
    status: str,
    reason: str,
    *,
    actor_id: int | None,
    now: datetime,
) -> BulkResult:
    """One decision for several registrations, in the order given; refusals are reported."""
    result = BulkResult()
    for registration_id in dict.fromkeys(registration_ids):
        try:
            registration = get_registration(session, event, registration_id)
            decide(
                session, registry, event, registration, status, reason, actor_id=actor_id, now=now
            )
        except (Conflict, NotFound) as exc:
            result.refused[registration_id] = exc.message
            continue
        result.decided.append(registration_id)
    return result


def set_notes(
    session: Session, event: Event, registration: Registration, notes: str, *, actor_id: int | None
) -> Registration:
    """The organizers' internal notes on a registration (never shown to the exhibitor)."""
    text = (notes or "").strip()
    if len(text) > 20000:
        raise ValidationFailed(
            "notes too long", fields={"notes": [N_("At most 20000 characters.")]}
        )
    registration.notes = text
    session.flush()
    audit.record(
        session,
        "registration.notes",
        event_id=event.id,
        user_id=actor_id,
        registration_id=registration.id,
    )
    return registration


def is_contact(registration: Registration, user: Any) -> bool:
    """Whether ``user`` is the registration's contact person (same, verified e-mail).

    An unverified account never counts: anybody could have signed up with the contact's
    address before the contact did.
    """
    return bool(
        user is not None
        and accounts.is_verified(user)
        and registration.contact_email
        and user.email.lower() == registration.contact_email.lower()
    )
