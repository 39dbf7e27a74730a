"""The people's-choice vote: one vote per visitor pass, event and category.

Uniqueness is the database's job (``UNIQUE (event_id, pass_id, category)``): the vote is
inserted inside a savepoint and a unique-constraint violation becomes a 409, so two
parallel requests with the same pass can never both be counted (no check-then-insert).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.models import Event, Innovation, User, VisitorPass
from core.services.errors import Conflict, Forbidden, NotFound
from core.services.passes import find_pass
from plugins.voting.models import VotingVote
from plugins.voting.services import public_vote_state
from plugins.voting.settings import VotingSettings


class VotingClosed(Conflict):
    """The public vote is not open (409)."""

    code = "voting_closed"


class AlreadyVoted(Conflict):
    """The pass already voted in this event and category (409)."""

    code = "already_voted"


# A burst: at least this many votes for one innovation within one minute.
BURST_VOTES_PER_MINUTE = 30


def voter_pass(session: Session, event: Event, code: str | None, user: User | None) -> VisitorPass:
    """The pass that votes: the code given, else the signed-in user's pass; 403 if none."""
    found = None
    if code:
        found = find_pass(session, event, code)
    elif user is not None:
        found = session.scalar(
            select(VisitorPass)
            .where(VisitorPass.event_id == event.id, VisitorPass.user_id == user.id)
            .order_by(VisitorPass.id)
            .limit(1)
        )
    if found is None:
        raise Forbidden("Unknown visitor pass.")
    return found


@dataclass(frozen=True)
class Ballot:
    """A checked vote waiting to be recorded: plain values, no session needed."""

    event_id: int
    pass_id: int
    innovation_id: int
    innovation_title: str
    category: str


def check_vote(
    session: Session,
    event: Event,
    innovation_id: int,
    *,
    settings: VotingSettings,
    now: datetime,
    code: str | None = None,
    user: User | None = None,
) -> Ballot:
    """Everything a vote needs read and checked (read-only; any session will do).

    404 unknown innovation; 403 unknown pass; 409 outside the voting window.
    """
    innovation = session.get(Innovation, innovation_id)
    if innovation is None or innovation.event_id != event.id or innovation.status != "accepted":
        raise NotFound("Unknown innovation.")
    visitor_pass = voter_pass(session, event, code, user)
    if public_vote_state(settings, now) != "open":
        raise VotingClosed("The public vote is not open.")
    return Ballot(
        event.id, visitor_pass.id, innovation.id, innovation.title, innovation.category or ""
    )


def record_vote(session: Session, ballot: Ballot, *, now: datetime, source: str = "") -> VotingVote:
    """Insert the vote; 409 when the pass already voted in the category (unique constraint)."""
    vote = VotingVote(
        event_id=ballot.event_id,
        pass_id=ballot.pass_id,
        category=ballot.category,
        innovation_id=ballot.innovation_id,
        source=source[:16],
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(vote)
    except IntegrityError:
        raise AlreadyVoted("This pass has already voted in this category.") from None
    return vote


def cast_vote(
    session: Session,
    event: Event,
    innovation_id: int,
    *,
    settings: VotingSettings,
    now: datetime,
    code: str | None = None,
    user: User | None = None,
    source: str = "",
) -> VotingVote:
    """Check and record one vote in one session (see :func:`check_vote`, :func:`record_vote`).

    404 unknown innovation; 403 unknown pass; 409 outside the voting window or when the
    pass already voted in this event and the innovation's category.
    """
    ballot = check_vote(
        session, event, innovation_id, settings=settings, now=now, code=code, user=user
    )
    return record_vote(session, ballot, now=now, source=source)


def tally(session: Session, event: Event) -> list[tuple[Innovation, int]]:
    """Every accepted innovation with its votes, most votes first (then by title)."""
    counts = dict(
        session.execute(
            select(VotingVote.innovation_id, func.count())
            .where(VotingVote.event_id == event.id)
            .group_by(VotingVote.innovation_id)
        ).all()
    )
    innovations = session.scalars(
        select(Innovation).where(Innovation.event_id == event.id, Innovation.status == "accepted")
    )
    rows = [(i, int(counts.get(i.id, 0))) for i in innovations]
    rows.sort(key=lambda pair: (-pair[1], pair[0].title, pair[0].id))
    return rows


def total_votes(session: Session, event: Event) -> int:
    """How many votes the event has counted."""
    return session.scalar(select(func.count()).where(VotingVote.event_id == event.id)) or 0


def suspicious_bursts(
    session: Session, event: Event, *, per_minute: int = BURST_VOTES_PER_MINUTE
) -> list[dict[str, Any]]:
    """Minutes in which one innovation got at least ``per_minute`` votes (for review)."""
    rows = session.execute(
        select(VotingVote.innovation_id, VotingVote.created_at).where(
            VotingVote.event_id == event.id
        )
    ).all()
    buckets: Counter[tuple[int, datetime]] = Counter(
        (innovation_id, created.replace(second=0, microsecond=0)) for innovation_id, created in rows
    )
    return [
        {"innovation_id": innovation_id, "minute": minute.isoformat(), "votes": count}
        for (innovation_id, minute), count in sorted(buckets.items(), key=lambda kv: kv[0][1])
        if count >= per_minute
    ]
