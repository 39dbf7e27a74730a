"""The people's-choice vote: one vote per visitor pass, event and category.

Uniqueness is the database's job (``UNIQUE (event_id, pass_id, category)``): the vote is
one ``INSERT … ON CONFLICT DO NOTHING``, and a conflict becomes a 409, so two parallel
requests with the same pass can never both be counted (no check-then-insert).

The vote is written with Core statements on a :class:`~sqlalchemy.engine.Connection`:
the API's hot path passes the request's autocommit connection (one query to check, one
to insert, no transaction round trips); pages and services pass ``session.connection()``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, bindparam, false, func, literal_column, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from core.db import UTCDateTime
from core.models import Event, Innovation, User, VisitorPass
from core.services.errors import Conflict, Forbidden, NotFound
from core.services.passes import normalize_code
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


@dataclass(frozen=True)
class Ballot:
    """A checked vote waiting to be recorded: plain values, no session needed."""

    event_id: int
    pass_id: int
    innovation_id: int
    innovation_title: str
    category: str


def _ballot_query(holds_pass: Any) -> Any:
    """The innovation and the voter's pass (if any) in one row; ``holds_pass`` picks it."""
    return (
        select(
            Innovation.title,
            Innovation.category,
            Innovation.status,
            Innovation.event_id,
            VisitorPass.id.label("pass_id"),
        )
        .select_from(Innovation)
        .outerjoin(VisitorPass, (VisitorPass.event_id == Innovation.event_id) & holds_pass)
        .where(Innovation.id == bindparam("innovation_id"))
        .order_by(VisitorPass.id)
        .limit(1)
    )


# Built once (a vote is a hot path): by pass code, by the signed-in holder, or no voter.
_BALLOT_BY_CODE = _ballot_query(VisitorPass.code == bindparam("voter"))
_BALLOT_BY_HOLDER = _ballot_query(VisitorPass.user_id == bindparam("voter"))
_BALLOT_NO_VOTER = _ballot_query(false())
_INSERT_VOTE = {
    name: dialect.insert(VotingVote)
    .on_conflict_do_nothing(index_elements=["event_id", "pass_id", "category"])
    .returning(VotingVote.id)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}


def _vote_by_code_statement(dialect: Any) -> Any:
    """INSERT the vote of pass ``:code`` for innovation ``:innovation_id`` in one statement.

    Inserts nothing when the innovation is not an accepted one of ``:event_id``, the pass is
    unknown, or the pass already voted in the category; returns the vote's id, category and
    the innovation's title otherwise.
    """
    ballot = (
        select(
            Innovation.event_id,
            VisitorPass.id,
            func.coalesce(Innovation.category, ""),
            Innovation.id,
            bindparam("source", type_=String()),
            bindparam("created_at", type_=UTCDateTime()),
        )
        .join(
            VisitorPass,
            (VisitorPass.event_id == Innovation.event_id) & (VisitorPass.code == bindparam("code")),
        )
        .where(
            Innovation.id == bindparam("innovation_id"),
            Innovation.event_id == bindparam("event_id"),
            Innovation.status == "accepted",
        )
    )
    # SQLAlchemy does not correlate a subquery inside RETURNING, so it is spelled out; both
    # databases accept a correlated subquery there.
    title = literal_column(
        f"(SELECT i.title FROM {Innovation.__tablename__} i"
        f" WHERE i.id = {VotingVote.__tablename__}.innovation_id)"
    )
    columns = ["event_id", "pass_id", "category", "innovation_id", "source", "created_at"]
    return (
        dialect.insert(VotingVote)
        .from_select(columns, ballot)
        .on_conflict_do_nothing(index_elements=["event_id", "pass_id", "category"])
        .returning(VotingVote.id, VotingVote.category, title.label("title"))
    )


_VOTE_BY_CODE = {
    name: _vote_by_code_statement(dialect)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}


def vote_with_code(
    connection: Connection,
    event_id: int,
    innovation_id: int,
    code: str,
    *,
    settings: VotingSettings,
    now: datetime,
    source: str = "",
) -> Ballot:
    """Check and record the vote of pass ``code`` with one statement when all is well.

    The hot path of a venue's vote: a single ``INSERT … SELECT … ON CONFLICT DO NOTHING
    RETURNING`` (atomic in autocommit mode).  Only when it inserts nothing (or the window is
    not open) does :func:`check_vote` run to name the reason, with the usual precedence:
    404 unknown innovation, 403 unknown pass, 409 outside the window, 409 already voted.
    """
    if public_vote_state(settings, now) == "open":
        row = connection.execute(
            _VOTE_BY_CODE[connection.dialect.name],
            {
                "event_id": event_id,
                "innovation_id": innovation_id,
                "code": normalize_code(code),
                "source": source[:16],
                "created_at": now,
            },
        ).first()
        if row is not None:
            return Ballot(event_id, 0, innovation_id, row.title, row.category or "")
    check_vote(connection, event_id, innovation_id, settings=settings, now=now, code=code)
    raise AlreadyVoted("This pass has already voted in this category.")


def check_vote(
    connection: Connection,
    event_id: int,
    innovation_id: int,
    *,
    settings: VotingSettings,
    now: datetime,
    code: str | None = None,
    user_id: int | None = None,
) -> Ballot:
    """Read and check everything a vote needs, in one query (reads only).

    The voter is the pass ``code`` (typed or scanned), else the signed-in ``user_id``'s
    pass.  404 unknown innovation; 403 unknown pass; 409 outside the voting window.
    """
    if code:
        query, voter = _BALLOT_BY_CODE, normalize_code(code)
    elif user_id is not None:
        query, voter = _BALLOT_BY_HOLDER, user_id
    else:
        query, voter = _BALLOT_NO_VOTER, None
    row = connection.execute(query, {"innovation_id": innovation_id, "voter": voter}).first()
    if row is None or row.event_id != event_id or row.status != "accepted":
        raise NotFound("Unknown innovation.")
    if row.pass_id is None:
        raise Forbidden("Unknown visitor pass.")
    if public_vote_state(settings, now) != "open":
        raise VotingClosed("The public vote is not open.")
    return Ballot(event_id, row.pass_id, innovation_id, row.title, row.category or "")


def record_vote(connection: Connection, ballot: Ballot, *, now: datetime, source: str = "") -> int:
    """Insert the vote and return its id; 409 when the pass already voted in the category.

    One ``INSERT … ON CONFLICT DO NOTHING RETURNING id``: atomic in autocommit mode and,
    inside a transaction, a conflict leaves the transaction usable.
    """
    values = {
        "event_id": ballot.event_id,
        "pass_id": ballot.pass_id,
        "category": ballot.category,
        "innovation_id": ballot.innovation_id,
        "source": source[:16],
        "created_at": now,
    }
    vote_id = connection.execute(_INSERT_VOTE[connection.dialect.name], values).scalar()
    if vote_id is None:
        raise AlreadyVoted("This pass has already voted in this category.")
    return int(vote_id)


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
) -> int:
    """Check and record one vote in the session's transaction; returns the vote's id.

    See :func:`check_vote` and :func:`record_vote` for the refusals (404, 403, 409).
    """
    connection = session.connection()
    ballot = check_vote(
        connection,
        event.id,
        innovation_id,
        settings=settings,
        now=now,
        code=code,
        user_id=user.id if user is not None else None,
    )
    return record_vote(connection, ballot, now=now, source=source)


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


def top_votes(session: Session, event: Event, *, limit: int = 10) -> list[tuple[Innovation, int]]:
    """The ``limit`` accepted innovations with the most votes (none without a vote; one query)."""
    count = func.count(VotingVote.id).label("votes")
    rows = session.execute(
        select(Innovation, count)
        .join(VotingVote, VotingVote.innovation_id == Innovation.id)
        .where(
            Innovation.event_id == event.id,
            Innovation.status == "accepted",
            VotingVote.event_id == event.id,
        )
        .group_by(Innovation.id)
        .order_by(count.desc(), Innovation.title, Innovation.id)
        .limit(limit)
    ).all()
    return [(innovation, int(votes)) for innovation, votes in rows]


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
