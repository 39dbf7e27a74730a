"""Visitors: sign-up for a pass (mailed, never shown in the answer) and the check-in desk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.i18n import N_
from core.models import Event, VisitorPass
from core.services import accounts, audit, passes
from core.services.errors import Conflict, NotFound, ValidationFailed
from plugins.registration import mails


class AlreadyCheckedIn(Conflict):
    """The pass was checked in before; ``checked_in_at`` says when."""

    code = "already_checked_in"

    def __init__(self, checked_in_at: datetime) -> None:
        super().__init__(
            "This pass is already checked in.", checked_in_at=checked_in_at.isoformat()
        )
        self.checked_in_at = checked_in_at


def check_event_running(event: Event, today: date) -> None:
    """:class:`Conflict` unless the event is published and has not ended by ``today``."""
    if event.status != "published":
        raise Conflict(N_("Visitor sign-up is not open for this event."))
    if today > event.ends_on:
        raise Conflict(N_("The event has ended."))


def sign_up(session: Session, event: Event, name: str, email: str, *, today: date) -> VisitorPass:
    """A pass for the visitor (their earlier one when the e-mail signed up before), mailed.

    ``today`` is the date in the event's time zone.
    """
    return register_visitor(session, event, name, email, today=today)[0]


def register_visitor(
    session: Session,
    event: Event,
    name: str,
    email: str,
    *,
    today: date,
    user: Any = None,
) -> tuple[VisitorPass, bool]:
    """Sign a visitor up: (their pass, whether it is new); the pass is mailed either way.

    A new pass may be shown on screen to whoever signed up; an earlier one only goes to its
    mailbox.  When ``user`` (the signed-in account) has this e-mail, the pass becomes theirs
    (it then shows on their "Beranda saya").
    """
    problems: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        problems["name"] = [N_("Your name is required.")]
    elif len(name) > 200:
        problems["name"] = [N_("At most 200 characters.")]
    try:
        email = accounts.normalize_email(email or "")
    except ValidationFailed:
        problems["email"] = [N_("Enter a valid e-mail address.")]
    if problems:
        raise ValidationFailed("Some fields are invalid.", fields=problems)
    check_event_running(event, today)
    visitor_pass = session.scalar(
        select(VisitorPass).where(
            VisitorPass.event_id == event.id, func.lower(VisitorPass.holder_email) == email
        )
    )
    created = visitor_pass is None
    if visitor_pass is None:
        (visitor_pass,) = passes.issue_passes(
            session, event, 1, holder_name=name, holder_email=email
        )
    if (
        user is not None
        and visitor_pass.user_id is None
        and (user.email or "").lower() == email
        and accounts.is_verified(user)
    ):
        visitor_pass.user_id = user.id
    mails.send_pass(session, event, visitor_pass)
    return visitor_pass, created


def check_in(session: Session, event: Event, code: str, *, now: datetime) -> VisitorPass:
    """Mark a scanned or typed pass as checked in; twice → :class:`AlreadyCheckedIn`."""
    if not (code or "").strip():
        raise ValidationFailed("no code", fields={"code": [N_("Type or scan a pass code.")]})
    visitor_pass = session.scalar(
        select(VisitorPass)
        .where(VisitorPass.event_id == event.id, VisitorPass.code == passes.normalize_code(code))
        .with_for_update()
    )
    if visitor_pass is None:
        raise NotFound(
            "Unknown pass code.", fields={"code": [N_("No pass of this event has this code.")]}
        )
    if visitor_pass.checked_in_at is not None:
        raise AlreadyCheckedIn(visitor_pass.checked_in_at)
    visitor_pass.checked_in_at = now
    session.flush()
    audit.record(session, "pass.checked_in", event_id=event.id, code=visitor_pass.code)
    return visitor_pass


@dataclass(frozen=True)
class VisitorCounts:
    """Passes issued, passes of signed-up visitors, and passes checked in."""

    issued: int
    signed_up: int
    checked_in: int


def visitor_counts(session: Session, event: Event) -> VisitorCounts:
    """The check-in numbers of the event."""
    row = session.execute(
        select(
            func.count(),
            func.count(VisitorPass.holder_email),
            func.count(VisitorPass.checked_in_at),
        ).where(VisitorPass.event_id == event.id)
    ).one()
    return VisitorCounts(issued=row[0], signed_up=row[1], checked_in=row[2])
