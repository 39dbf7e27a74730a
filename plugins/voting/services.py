"""Voting numbers read from core's models (no Flask request in here)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import EventRole
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
