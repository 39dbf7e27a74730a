"""Visitor passes: short unguessable codes, printed as QR codes.

Issuing is one transaction (all the passes or none), kept short because on SQLite it holds
the database's single write lock, which every other write (the people's-choice vote above
all) waits for: the codes are drawn first, then written by one multi-row ``INSERT`` and
read back by one ``SELECT``.  2,000 passes (the most one request may ask for) hold the lock
for tens of milliseconds; ``bench/bench_pass_batch_vote_latency.py`` measures what a vote
waits meanwhile (see ``docs/database.md``).
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.models import Event, VisitorPass
from core.services import audit
from core.services.errors import ValidationFailed

MAX_PASSES_PER_REQUEST = 2000
# No 0/O/1/I/L so a code typed from paper is unambiguous.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_LENGTH = 10
_CODE_SPACE = len(_ALPHABET) ** _CODE_LENGTH


def new_code() -> str:
    """A random 10-character pass code in groups, e.g. ``K7PD-3XQ9-MR``.

    One draw from the system's CSPRNG, written in base 31: every character is uniform and
    independent, as with ten separate draws, at a tenth of the cost.
    """
    number = secrets.randbelow(_CODE_SPACE)
    chars = []
    for _ in range(_CODE_LENGTH):
        number, digit = divmod(number, len(_ALPHABET))
        chars.append(_ALPHABET[digit])
    raw = "".join(chars)
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalize_code(code: str) -> str:
    """Upper-case a typed or scanned code and restore its dashes."""
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 10 else raw


def issue_passes(
    session: Session,
    event: Event,
    count: int,
    *,
    holder_name: str | None = None,
    holder_email: str | None = None,
    actor_id: int | None = None,
) -> list[VisitorPass]:
    """Create ``count`` new passes for the event (one ``INSERT``), in the order issued."""
    if not isinstance(count, int) or count < 1 or count > MAX_PASSES_PER_REQUEST:
        raise ValidationFailed(
            "invalid count",
            fields={"count": [f"Give a whole number from 1 to {MAX_PASSES_PER_REQUEST}."]},
        )
    now = utcnow()
    codes = [new_code() for _ in range(count)]
    rows = [
        {
            "event_id": event.id,
            "code": code,
            "holder_name": holder_name,
            "holder_email": holder_email,
            "issued_at": now,
        }
        for code in codes
    ]
    session.execute(insert(VisitorPass), rows)
    passes = list(
        session.scalars(
            select(VisitorPass)
            .where(VisitorPass.event_id == event.id, VisitorPass.code.in_(codes))
            .order_by(VisitorPass.id)
        )
    )
    audit.record(session, "passes.issued", event_id=event.id, user_id=actor_id, count=count)
    return passes


def find_pass(session: Session, event: Event, code: str) -> VisitorPass | None:
    """The event's pass with this code (typed or scanned), if any."""
    return session.scalar(
        select(VisitorPass).where(
            VisitorPass.event_id == event.id, VisitorPass.code == normalize_code(code)
        )
    )


def list_passes(
    session: Session, event: Event, *, limit: int = 500, offset: int = 0
) -> tuple[list[VisitorPass], int]:
    """The event's passes, newest first, with the total count."""
    total = (
        session.scalar(
            select(func.count()).select_from(VisitorPass).where(VisitorPass.event_id == event.id)
        )
        or 0
    )
    items = list(
        session.scalars(
            select(VisitorPass)
            .where(VisitorPass.event_id == event.id)
            .order_by(VisitorPass.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )
    return items, total
