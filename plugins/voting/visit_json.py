"""Judges' visits as data for the API and the pages: rows, unplaced visits, who may see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.i18n import Msg
from core.models import Event, Innovation, User
from plugins.voting.visit_messages import REASON_MESSAGES, clash_message
from plugins.voting.visits import Entry, VisitRow


def exhibiting_organizations(session: Session, event: Event, user: User) -> list[int]:
    """The agencies ``user`` belongs to that have an innovation in ``event`` (their booths)."""
    from core.models import Membership

    return sorted(
        session.scalars(
            select(Membership.organization_id)
            .join(Innovation, Innovation.organization_id == Membership.organization_id)
            .where(Membership.user_id == user.id, Innovation.event_id == event.id)
            .distinct()
        )
    )


def unplaced_json(item: dict[str, Any]) -> dict[str, Any]:
    """An unplaced visit as data: judge, innovation, reasons (codes, messages, sessions)."""
    entry: Entry = item["entry"]
    return {
        "judge": {"id": entry.judge.id, "name": entry.judge.name},
        "innovation": {"id": entry.innovation.id, "title": entry.innovation.title},
        "reasons": [
            {"reason": code, "message": Msg(REASON_MESSAGES[code])} for code in item["reasons"]
        ],
        "sessions": list(item["blockers"]),
    }


def row_json(row: VisitRow) -> dict[str, Any]:
    """A visit as the API shows it (messages are :class:`Msg`: translate before sending)."""
    entry = row.entry
    booth = entry.booth
    return {
        "id": row.visit.id,
        "judge": {"id": entry.judge.id, "name": entry.judge.name},
        "innovation": {"id": entry.innovation.id, "title": entry.innovation.title},
        "organization": {
            "id": entry.innovation.organization_id,
            "name": entry.innovation.organization.name,
        },
        "booth": None if booth is None else {"code": booth.code, "zone": booth.zone},
        "starts_at": row.visit.starts_at.isoformat(),
        "ends_at": row.visit.ends_at.isoformat(),
        "manual": row.visit.manual,
        "conflicts": [
            {"reason": clash.code, "message": clash_message(clash)} for clash in row.clashes
        ],
    }


def route_json(row: VisitRow) -> dict[str, Any]:
    """A visit of the judge's own route, for the offline judging app's bundle.

    ``booth`` is ``{code, zone, url}`` (``url``: the booth on the floor plan) or ``None``;
    ``broken`` tells the judge to check with the organizers (a session or booth moved).
    """
    entry = row.entry
    booth = entry.booth
    return {
        "id": row.visit.id,
        "starts_at": row.visit.starts_at.isoformat(),
        "ends_at": row.visit.ends_at.isoformat(),
        "booth": None
        if booth is None
        else {"code": booth.code, "zone": booth.zone, "url": booth.url},
        "innovation": {"id": entry.innovation.id, "title": entry.innovation.title},
        "organization": entry.innovation.organization.name,
        "broken": row.broken,
    }
