"""Voting numbers read from core's models (no Flask request in here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import Event, EventRole, Innovation
from plugins.voting import rubric, stages
from plugins.voting.models import VotingAssignment, VotingScore, VotingStage, VotingVote
from plugins.voting.settings import VotingSettings


def judge_count(session: Session, event: Any) -> int:
    """How many judges are appointed for ``event``."""
    count = session.scalar(
        select(func.count()).where(EventRole.event_id == event.id, EventRole.role == "judge")
    )
    return count or 0


def public_vote_state(settings: VotingSettings, now: datetime) -> str:
    """``not_scheduled``, ``upcoming``, ``open`` or ``closed`` for the people's-choice vote."""
    opens, closes = settings.public_voting_opens_at, settings.public_voting_closes_at
    if opens is None:
        return "not_scheduled"
    if now < opens:
        return "upcoming"
    if closes is not None and now >= closes:
        return "closed"
    return "open"


@dataclass(frozen=True)
class JudgeProgress:
    """A judge's work in the current stage: scored of assigned, the next one, the window."""

    stage: VotingStage | None
    assigned: int
    submitted: int
    drafts: int
    next_innovation: Innovation | None
    window: str


def judge_progress(session: Session, event: Event, user: Any, now: datetime) -> JudgeProgress:
    """The judge's progress in the current stage (three queries whatever the queue's size).

    ``next_innovation`` is the first unsubmitted one in queue order (drafts before untouched
    ones, then by title), so "next" continues what the judge started.
    """
    stage = rubric.current_stage(session, event)
    if stage is None:
        return JudgeProgress(None, 0, 0, 0, None, "open")
    rows = session.execute(
        select(VotingAssignment.id, VotingAssignment.submitted, Innovation)
        .join(Innovation, Innovation.id == VotingAssignment.innovation_id)
        .where(VotingAssignment.stage_id == stage.id, VotingAssignment.judge_id == user.id)
        .order_by(Innovation.title, Innovation.id)
    ).all()
    scored = set(
        session.scalars(
            select(VotingScore.assignment_id)
            .where(VotingScore.assignment_id.in_([r[0] for r in rows]))
            .distinct()
        )
        if rows
        else []
    )
    open_rows = [r for r in rows if not r[1]]
    drafts = [r for r in open_rows if r[0] in scored]
    upcoming = drafts + [r for r in open_rows if r[0] not in scored]
    return JudgeProgress(
        stage=stage,
        assigned=len(rows),
        submitted=len(rows) - len(open_rows),
        drafts=len(drafts),
        next_innovation=upcoming[0][2] if upcoming else None,
        window=stages.window_state(stage, now),
    )


def stage_progress(session: Session, event: Event) -> tuple[VotingStage | None, int, int]:
    """The current stage with its assignments: (stage, submitted, assigned); two queries."""
    stage = rubric.current_stage(session, event)
    if stage is None:
        return None, 0, 0
    row = session.execute(
        select(func.count(), func.count().filter(VotingAssignment.submitted.is_(True))).where(
            VotingAssignment.stage_id == stage.id
        )
    ).one()
    return stage, int(row[1] or 0), int(row[0] or 0)


def votes_cast(session: Session, event: Event, pass_ids: list[int]) -> int:
    """How many people's-choice votes the given passes have cast in ``event``."""
    if not pass_ids:
        return 0
    count = session.scalar(
        select(func.count()).where(
            VotingVote.event_id == event.id, VotingVote.pass_id.in_(pass_ids)
        )
    )
    return count or 0
