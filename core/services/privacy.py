"""Personal data (UU 27/2022): privacy notices, consents, "Data saya", erasure, retention.

Erasure keeps what an event's record needs without the person: the ``users`` row stays as a
tombstone (``erased-<id>@invalid``, no name, no password, inactive) so a judge's submitted
score sheets keep counting, a visitor pass stays (without holder) so its votes stay in the
tally, and an agency's registration stays (without its contact).  Names, e-mails, phones
and free text about the person are blanked everywhere, including audit payloads and the
mail outbox; plugins erase their own rows through ``on_personal_data_erase``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext
from sqlalchemy import String, cast, delete, func, or_, select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.i18n import N_
from core.models import (
    CONSENT_PURPOSES,
    ApiToken,
    AuditEntry,
    Consent,
    Event,
    EventRole,
    Membership,
    Organization,
    OrganizationClaim,
    OutboundMail,
    PrivacyNotice,
    User,
    UserSession,
    VisitorPass,
)
from core.services import accounts, audit
from core.services.errors import Conflict, Forbidden, ValidationFailed

DEFAULT_RETENTION_DAYS = 365
MAX_RETENTION_DAYS = 3650
MAX_PURPOSES = 20
ERASED = "[dihapus]"
NOTICE_FIELDS = ("controller", "contact_email", "purposes", "retention_days", "notice")
DATA_SECTIONS = (
    "account",
    "roles",
    "organizations",
    "registrations",
    "passes",
    "votes",
    "agenda",
    "assignments",
    "scores",
    "audit",
)
CONSENT_LABELS = {
    "photos": N_("Photos of me taken at the event may be published."),
    "newsletter": N_("Send me news about next year's event by e-mail."),
}
_DEFAULT_PURPOSES = (
    N_("Registering participants, exhibitors, judges and speakers of the event"),
    N_("Judging the innovations and publishing the results"),
    N_("Visitor passes, check-in and the visitors' vote"),
    N_("E-mails about the event you take part in"),
)
_DEFAULT_NOTICE = N_(
    "We process your personal data (name, e-mail address, phone number and what you enter"
    " in the forms) only for the purposes listed here, in accordance with Law No. 27 of 2022"
    " on Personal Data Protection. You can see, download and erase your data on the page"
    ' "My data" of your account, or ask the contact named here.'
)


def erased_email(user_id: int) -> str:
    """The address a tombstone account gets: unique, never deliverable."""
    return f"erased-{user_id}@invalid"


# --- the privacy notice ---------------------------------------------------------------------


def _organizers(session: Session, event: Event) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .join(EventRole, EventRole.user_id == User.id)
            .where(EventRole.event_id == event.id, EventRole.role == "organizer")
            .where(User.is_active.is_(True))
            .order_by(EventRole.created_at, EventRole.id)
        )
    )


def default_notice(session: Session, event: Event) -> dict[str, Any]:
    """The notice an event has until its organizer edits it (in the current language)."""
    organizers = _organizers(session, event)
    names = ", ".join(u.name for u in organizers if u.name)
    controller = gettext("Organizing committee of %(event)s", event=event.name)
    if names:
        controller = f"{controller} ({names})"
    return {
        "controller": controller[:250],
        "contact_email": organizers[0].email if organizers else "",
        "purposes": [gettext(p) for p in _DEFAULT_PURPOSES],
        "retention_days": DEFAULT_RETENTION_DAYS,
        "notice": gettext(_DEFAULT_NOTICE),
        "version": 1,
        "updated_at": event.created_at,
    }


def notice_row(session: Session, event: Event) -> PrivacyNotice | None:
    """The stored notice of ``event`` (``None`` while it is the default)."""
    return session.scalar(select(PrivacyNotice).where(PrivacyNotice.event_id == event.id))


def get_notice(session: Session, event: Event) -> dict[str, Any]:
    """The event's notice: ``controller, contact_email, purposes, retention_days, notice,
    version, updated_at``."""
    row = notice_row(session, event)
    if row is None:
        return default_notice(session, event)
    return {
        "controller": row.controller,
        "contact_email": row.contact_email,
        "purposes": list(row.purposes),
        "retention_days": row.retention_days,
        "notice": row.notice,
        "version": row.version,
        "updated_at": row.updated_at,
    }


def retention_days(session: Session, event: Event) -> int:
    """How many days after its end the event keeps visitors' personal data."""
    row = notice_row(session, event)
    return row.retention_days if row is not None else DEFAULT_RETENTION_DAYS


def _clean_notice(values: dict[str, Any]) -> dict[str, Any]:
    problems: dict[str, list[str]] = {}
    controller = str(values.get("controller") or "").strip()
    if not controller:
        problems["controller"] = [N_("This field is required.")]
    elif len(controller) > 250:
        problems["controller"] = [N_("At most 250 characters.")]
    contact = accounts.clean_email_or_none(values.get("contact_email"))
    if contact is None:
        problems["contact_email"] = [N_("Enter a valid e-mail address.")]
    raw_purposes = values.get("purposes") or []
    purposes = [str(p).strip() for p in raw_purposes if str(p).strip()]
    if not purposes:
        problems["purposes"] = [N_("Name at least one purpose.")]
    elif len(purposes) > MAX_PURPOSES or any(len(p) > 300 for p in purposes):
        problems["purposes"] = [N_("At most 20 purposes of at most 300 characters each.")]
    days = values.get("retention_days")
    if isinstance(days, bool) or not isinstance(days, int):
        problems["retention_days"] = [N_("Enter a whole number of days.")]
    elif not 1 <= days <= MAX_RETENTION_DAYS:
        problems["retention_days"] = [N_("Between 1 and 3650 days.")]
    notice = str(values.get("notice") or "").strip()
    if len(notice) > 20000:
        problems["notice"] = [N_("At most 20000 characters.")]
    if problems:
        raise ValidationFailed("invalid privacy notice", fields=problems)
    return {
        "controller": controller,
        "contact_email": contact,
        "purposes": purposes,
        "retention_days": days,
        "notice": notice,
    }


def update_notice(
    session: Session, event: Event, values: dict[str, Any], *, actor_id: int | None
) -> dict[str, Any]:
    """Replace the event's notice; any change raises ``version`` (audited, no values).

    Raises :class:`ValidationFailed` with ``fields`` for bad values.  Returns the notice.
    """
    clean = _clean_notice(values)
    current = get_notice(session, event)
    if all(current[key] == clean[key] for key in NOTICE_FIELDS):
        return current
    row = notice_row(session, event)
    if row is None:
        row = PrivacyNotice(event_id=event.id, version=current["version"])
        session.add(row)
    for key in NOTICE_FIELDS:
        setattr(row, key, clean[key])
    row.version = current["version"] + 1
    row.updated_at = utcnow()
    session.flush()
    audit.record(
        session, "privacy.notice_updated", event_id=event.id, user_id=actor_id, version=row.version
    )
    return get_notice(session, event)


# --- consents -------------------------------------------------------------------------------


def record_consents(
    session: Session,
    event: Event,
    purposes: list[str],
    *,
    user: User | None = None,
    email: str | None = None,
) -> list[Consent]:
    """Record the optional uses a person ticked, with the notice version they saw.

    Unknown purposes are ignored; a purpose already given (and not withdrawn) is not
    recorded twice.
    """
    if user is None and not email:
        return []
    version = get_notice(session, event)["version"]
    who = Consent.user_id == user.id if user is not None else Consent.email == email
    given = set(
        session.scalars(
            select(Consent.purpose).where(
                Consent.event_id == event.id, who, Consent.withdrawn_at.is_(None)
            )
        )
    )
    rows = []
    for purpose in purposes:
        if purpose in CONSENT_PURPOSES and purpose not in given:
            row = Consent(
                event_id=event.id,
                user_id=user.id if user is not None else None,
                email=None if user is not None else email,
                purpose=purpose,
                version=version,
            )
            session.add(row)
            rows.append(row)
            given.add(purpose)
    return rows


def withdraw_consent(session: Session, user: User, consent_id: int) -> bool:
    """Withdraw one of the person's consents; ``False`` when unknown or already withdrawn."""
    row = session.get(Consent, consent_id)
    if row is None or row.user_id != user.id or row.withdrawn_at is not None:
        return False
    row.withdrawn_at = utcnow()
    return True


# --- "Data saya" ----------------------------------------------------------------------------


def _iso(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return _iso(value)


def collect(session: Session, registry: Any, user: User) -> dict[str, Any]:
    """Everything Gelar stores about ``user``, JSON-ready, in the sections of API.md.

    Core fills ``account`` (with ``consents``), ``roles``, ``organizations``, ``passes`` and
    ``audit``; every installed plugin adds its sections through
    ``on_personal_data_collect``.
    """
    slugs = dict(session.execute(select(Event.id, Event.slug)).all())
    consents = session.scalars(
        select(Consent).where(Consent.user_id == user.id).order_by(Consent.given_at)
    )
    data: dict[str, Any] = {key: [] for key in DATA_SECTIONS}
    data["account"] = {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "locale": user.locale,
        "is_admin": user.is_admin,
        "created_at": user.created_at,
        "last_login_at": user.last_login_at,
        "email_verified_at": user.email_verified_at,
        "consents": [
            {
                "id": c.id,
                "event": slugs.get(c.event_id),
                "purpose": c.purpose,
                "version": c.version,
                "given_at": c.given_at,
                "withdrawn_at": c.withdrawn_at,
            }
            for c in consents
        ],
        "sessions": [
            {
                "created_at": s.created_at,
                "last_seen_at": s.last_seen_at,
                "ip": s.ip,
                "user_agent": s.user_agent,
            }
            for s in session.scalars(select(UserSession).where(UserSession.user_id == user.id))
        ],
    }
    data["roles"] = [
        {"event": slugs.get(r.event_id), "role": r.role, "since": r.created_at}
        for r in session.scalars(
            select(EventRole).where(EventRole.user_id == user.id).order_by(EventRole.id)
        )
    ]
    data["organizations"] = [
        {"id": org.id, "name": org.name, "role": m.role, "since": m.created_at}
        for m, org in session.execute(
            select(Membership, Organization)
            .join(Organization, Organization.id == Membership.organization_id)
            .where(Membership.user_id == user.id)
            .order_by(Organization.name)
        )
    ]
    data["passes"] = [
        {
            "event": slugs.get(p.event_id),
            "code": p.code,
            "holder_name": p.holder_name,
            "holder_email": p.holder_email,
            "issued_at": p.issued_at,
            "checked_in_at": p.checked_in_at,
        }
        for p in session.scalars(
            select(VisitorPass)
            .where(or_(VisitorPass.user_id == user.id, VisitorPass.holder_email == user.email))
            .order_by(VisitorPass.id)
        )
    ]
    data["audit"] = [
        {"event": slugs.get(a.event_id), "action": a.action, "at": a.created_at}
        for a in session.scalars(
            select(AuditEntry).where(AuditEntry.user_id == user.id).order_by(AuditEntry.id)
        )
    ]
    for contribution in registry.call_all("on_personal_data_collect", session=session, user=user):
        for key, items in (contribution or {}).items():
            data.setdefault(key, [])
            data[key].extend(items)
    return _jsonable(data)  # type: ignore[no-any-return]


# --- erasure --------------------------------------------------------------------------------


def _scrub(value: Any, needles: list[tuple[str, str]]) -> Any:
    """``value`` with every needle replaced (strings inside dicts and lists too)."""
    if isinstance(value, str):
        lowered = value
        for needle, replacement in needles:
            if needle:
                lowered = _replace_casefold(lowered, needle, replacement)
        return lowered
    if isinstance(value, dict):
        return {k: _scrub(v, needles) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, needles) for v in value]
    return value


def _replace_casefold(text: str, needle: str, replacement: str) -> str:
    """Replace ``needle`` in ``text`` ignoring case (e-mails are case-insensitive)."""
    low, target = text.lower(), needle.lower()
    out, start = [], 0
    while True:
        found = low.find(target, start)
        if found < 0:
            out.append(text[start:])
            return "".join(out)
        out.append(text[start:found])
        out.append(replacement)
        start = found + len(needle)


def _needles(email: str, names: list[str], tombstone: str) -> list[tuple[str, str]]:
    needles = [(email, tombstone)]
    needles += [(n, ERASED) for n in sorted(set(names), key=len, reverse=True) if len(n) >= 3]
    return needles


def _scrub_audit_and_outbox(
    session: Session, email: str, names: list[str], tombstone: str, *, event_id: int | None
) -> None:
    """Blank the person's e-mail and names in audit payloads and queued or sent mail."""
    needles = _needles(email, names, tombstone)
    entries = select(AuditEntry).where(
        cast(AuditEntry.detail, String).contains(email, autoescape=True)
        | cast(AuditEntry.detail, String).contains(email.lower(), autoescape=True)
    )
    if event_id is not None:
        entries = entries.where(AuditEntry.event_id == event_id)
    for entry in session.scalars(entries):
        entry.detail = _scrub(dict(entry.detail), needles)
    mails = select(OutboundMail).where(
        or_(
            OutboundMail.recipient == email,
            OutboundMail.body_text.contains(email, autoescape=True),
            OutboundMail.subject.contains(email, autoescape=True),
        )
    )
    if event_id is not None:
        mails = mails.where(OutboundMail.event_id == event_id)
    for mail in session.scalars(mails):
        if mail.recipient.lower() == email.lower():
            mail.recipient = tombstone
            mail.subject = ERASED
            mail.body_text = ERASED
            mail.body_html = None
            if mail.status == "queued":
                mail.status = "failed"
                mail.error = "erased"
        else:
            mail.subject = _scrub(mail.subject, needles)
            mail.body_text = _scrub(mail.body_text, needles)
            mail.body_html = _scrub(mail.body_html, needles) if mail.body_html else None


def _erase_passes(session: Session, email: str, user: User | None, event_id: int | None) -> int:
    """Blank the holder of the person's visitor passes (the pass and its votes stay)."""
    who = [VisitorPass.holder_email == email]
    if user is not None:
        who.append(VisitorPass.user_id == user.id)
    query = select(VisitorPass).where(or_(*who))
    if event_id is not None:
        query = query.where(VisitorPass.event_id == event_id)
    rows = list(session.scalars(query))
    for row in rows:
        row.holder_name = None
        row.holder_email = None
        row.user_id = None
    return len(rows)


def erase_user(session: Session, registry: Any, user: User, *, actor_id: int | None) -> None:
    """Erase an account everywhere and keep a tombstone row (see the module docstring).

    Every session and API token ends; memberships, claims and consents go; plugins erase
    their rows.  Audited as ``privacy.account_erased`` without any personal value.
    """
    email = user.email
    names = [user.name]
    tombstone = erased_email(user.id)
    names += [
        n
        for n in session.scalars(
            select(VisitorPass.holder_name).where(
                or_(VisitorPass.user_id == user.id, VisitorPass.holder_email == email)
            )
        )
        if n
    ]
    registry.call_all("on_personal_data_erase", session=session, user=user, email=email, event=None)
    _erase_passes(session, email, user, None)
    session.execute(
        delete(OrganizationClaim).where(
            or_(OrganizationClaim.user_id == user.id, OrganizationClaim.email == email)
        )
    )
    session.execute(delete(Consent).where(or_(Consent.user_id == user.id, Consent.email == email)))
    session.execute(delete(Membership).where(Membership.user_id == user.id))
    session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    _scrub_audit_and_outbox(session, email, names, tombstone, event_id=None)
    user.email = tombstone
    user.name = ERASED
    user.password_hash = None
    user.is_active = False
    user.locale = None
    user.last_login_at = None
    user.email_verified_at = None
    user.link_nonce = None
    session.flush()
    audit.record(session, "privacy.account_erased", user_id=actor_id, account_id=user.id)


def erase_own_account(session: Session, registry: Any, user: User, password: str) -> None:
    """The person erases their own account after giving the password.

    A wrong password raises :class:`Forbidden` (field ``password``); the last active site
    admin gets :class:`Conflict` (someone must remain to run the site).
    """
    if not accounts.verify_password(user, password or ""):
        raise Forbidden("wrong password", fields={"password": [N_("The password is not correct.")]})
    if user.is_admin:
        others = session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.is_admin.is_(True), User.is_active.is_(True), User.id != user.id)
        )
        if not others:
            raise Conflict(
                "last admin",
                fields={
                    "password": [N_("You are the last site admin: make someone else admin first.")]
                },
            )
    erase_user(session, registry, user, actor_id=None)


def _other_links(session: Session, user: User, event: Event) -> bool:
    """Whether ``user`` is linked to anything but ``event`` as a visitor or contact."""
    if user.is_admin:
        return True
    if session.scalar(select(EventRole.id).where(EventRole.user_id == user.id).limit(1)):
        return True
    if session.scalar(select(Membership.id).where(Membership.user_id == user.id).limit(1)):
        return True
    other_pass = select(VisitorPass.id).where(
        or_(VisitorPass.user_id == user.id, VisitorPass.holder_email == user.email),
        VisitorPass.event_id != event.id,
    )
    return session.scalar(other_pass.limit(1)) is not None


def _erase_in_event(
    session: Session, registry: Any, event: Event, email: str, user: User | None
) -> int:
    """Erase one person's data held for ``event`` only; returns the passes blanked."""
    names = [
        n
        for n in session.scalars(
            select(VisitorPass.holder_name).where(
                VisitorPass.event_id == event.id, VisitorPass.holder_email == email
            )
        )
        if n
    ]
    registry.call_all(
        "on_personal_data_erase", session=session, user=user, email=email, event=event
    )
    count = _erase_passes(session, email, user, event.id)
    who = [Consent.email == email]
    if user is not None:
        who.append(Consent.user_id == user.id)
    session.execute(delete(Consent).where(Consent.event_id == event.id, or_(*who)))
    _scrub_audit_and_outbox(session, email, names, ERASED, event_id=event.id)
    return count


@dataclass
class EventErasure:
    """What an organizer's erasure did: the whole account, or the event's rows only."""

    account_erased: bool
    passes: int


def erase_person_of_event(
    session: Session, registry: Any, event: Event, email: str, *, actor_id: int | None
) -> EventErasure:
    """An organizer erases a person of ``event`` on request (visitors, contacts).

    Only people whose one link is this event: an account with a role anywhere, an agency
    membership or passes of other events raises :class:`Conflict` (the person erases it
    themselves on "Data saya").  An account linked to this event only is erased whole.
    Audited as ``privacy.person_erased`` without the address.
    """
    clean = accounts.clean_email_or_none(email)
    if clean is None:
        raise ValidationFailed(
            "bad e-mail", fields={"email": [N_("Enter a valid e-mail address.")]}
        )
    user = accounts.find_user(session, clean)
    if user is not None and _other_links(session, user, event):
        raise Conflict(
            "linked elsewhere",
            fields={
                "email": [
                    N_(
                        "This person has an account linked to more than this event; only"
                        ' they can erase it (on the page "My data").'
                    )
                ]
            },
        )
    passes = _erase_in_event(session, registry, event, clean, user)
    if user is not None:
        erase_user(session, registry, user, actor_id=actor_id)
    audit.record(
        session,
        "privacy.person_erased",
        event_id=event.id,
        user_id=actor_id,
        account_erased=user is not None,
        passes=passes,
    )
    return EventErasure(account_erased=user is not None, passes=passes)


# --- retention ------------------------------------------------------------------------------


@dataclass
class PurgeResult:
    """One event's retention purge: how many visitors' data was (or would be) erased."""

    slug: str
    ended_on: date
    retention_days: int
    visitors: int


def due_events(session: Session, today: date, slug: str | None = None) -> list[Event]:
    """Events whose retention period ended before ``today`` (optionally one slug)."""
    query = select(Event).where(Event.ends_on < today).order_by(Event.ends_on, Event.id)
    if slug is not None:
        query = query.where(Event.slug == slug)
    return [
        e
        for e in session.scalars(query)
        if e.ends_on + timedelta(days=retention_days(session, e)) < today
    ]


def purge(
    session: Session,
    registry: Any,
    *,
    today: date,
    slug: str | None = None,
    dry_run: bool = False,
) -> list[PurgeResult]:
    """Erase visitors' personal data of events past their retention period.

    Visitors are the holders of the event's visitor passes (and consents given by e-mail):
    each pass loses its holder (its votes stay), plugins erase the event's rows about them.
    Accounts stay (they may serve other events).  ``dry_run`` only counts.  Each purged
    event is audited as ``privacy.purged`` with the count only.
    """
    results = []
    for event in due_events(session, today, slug):
        holders = session.execute(
            select(VisitorPass.holder_email, VisitorPass.user_id).where(
                VisitorPass.event_id == event.id,
                or_(
                    VisitorPass.holder_email.is_not(None),
                    VisitorPass.holder_name.is_not(None),
                    VisitorPass.user_id.is_not(None),
                ),
            )
        ).all()
        emails = {e for e, _ in holders if e}
        consent_emails = set(
            session.scalars(
                select(Consent.email).where(
                    Consent.event_id == event.id, Consent.email.is_not(None)
                )
            )
        )
        visitors = len(holders) + len(consent_emails - emails)
        results.append(
            PurgeResult(event.slug, event.ends_on, retention_days(session, event), visitors)
        )
        if dry_run or not visitors:
            continue
        for email in sorted(emails | consent_emails):
            user = accounts.find_user(session, email)
            _erase_in_event(session, registry, event, email, user)
        # Passes without an e-mail (a name only, or an account only).
        for row in session.scalars(select(VisitorPass).where(VisitorPass.event_id == event.id)):
            row.holder_name = None
            row.holder_email = None
            row.user_id = None
        audit.record(session, "privacy.purged", event_id=event.id, visitors=visitors)
    return results


# --- exports --------------------------------------------------------------------------------


def record_export(
    session: Session, event: Event, *, actor_id: int | None, export: str, personal: bool
) -> None:
    """Audit an organizer's export (who and when are the entry's; which export is named)."""
    audit.record(
        session,
        "privacy.exported",
        event_id=event.id,
        user_id=actor_id,
        export=export,
        personal_data=personal,
    )


def consent_label(purpose: str) -> str:
    """The translated label of a consent checkbox."""
    return gettext(CONSENT_LABELS.get(purpose, purpose))
