"""What the voting plugin holds about a person: judge assignments, score sheets, votes.

Nothing here names the person: assignments and scores point at the account (a tombstone
after erasure, so submitted sheets keep counting) and votes at a visitor pass (core blanks
its holder, so the vote stays in the tally).  Erasure therefore changes no row here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.models import Event, Innovation, VisitorPass
from plugins.voting.models import VotingAssignment, VotingScore, VotingStage, VotingVote


def collect(session: Session, user: Any) -> dict[str, list[Any]]:
    """The judge's assignments and scores, and the votes cast with the person's passes."""
    assignments = session.execute(
        select(VotingAssignment, VotingStage.name, Event.slug, Innovation.title)
        .join(VotingStage, VotingStage.id == VotingAssignment.stage_id)
        .join(Event, Event.id == VotingStage.event_id)
        .join(Innovation, Innovation.id == VotingAssignment.innovation_id)
        .where(VotingAssignment.judge_id == user.id)
        .order_by(VotingAssignment.id)
    ).all()
    scores = session.execute(
        select(VotingScore, VotingAssignment.id)
        .join(VotingAssignment, VotingAssignment.id == VotingScore.assignment_id)
        .where(VotingAssignment.judge_id == user.id)
        .order_by(VotingScore.id)
    ).all()
    votes = session.execute(
        select(VotingVote, Event.slug, Innovation.title)
        .join(VisitorPass, VisitorPass.id == VotingVote.pass_id)
        .join(Event, Event.id == VotingVote.event_id)
        .join(Innovation, Innovation.id == VotingVote.innovation_id)
        .where(
            or_(
                VisitorPass.user_id == user.id,
                func.lower(VisitorPass.holder_email) == user.email.lower(),
            )
        )
        .order_by(VotingVote.id)
    ).all()
    return {
        "assignments": [
            {
                "id": a.id,
                "event": slug,
                "stage": stage,
                "innovation": title,
                "submitted": a.submitted,
                "comment": a.comment,
                "updated_at": a.updated_at,
            }
            for a, stage, slug, title in assignments
        ],
        "scores": [
            {"assignment": assignment_id, "criterion": s.criterion_key, "value": s.value}
            for s, assignment_id in scores
        ],
        "votes": [
            {"event": slug, "category": v.category, "innovation": title, "at": v.created_at}
            for v, slug, title in votes
        ],
    }


def erase(session: Session, user: Any, email: str, event: Any) -> None:
    """Nothing to erase: these rows hold no name, e-mail, phone or text about the person.

    Submitted sheets keep counting under the tombstone account, votes under the blanked pass.
    """
    return None
