"""Judges' syncs: when each judge's device last delivered score sheets (bulk save).

The offline judging app sends every sheet kept on the tablet through the bulk save
(:mod:`plugins.voting.bulk_scores`); each accepted request leaves one row per (event, judge)
with the time received, the device's clock of the newest sheet and the counts, which the
organizer's console shows next to the judge's progress.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugins.voting.models import VotingJudgeSync


@dataclass(frozen=True)
class LastSync:
    """A judge's last sync: received at, device time of the newest sheet, rows, conflicts."""

    synced_at: datetime
    edited_at: datetime | None
    sheets: int
    conflicts: int


def record_sync(
    session: Session,
    event_id: int,
    judge_id: int,
    *,
    received_at: datetime,
    edited_at: datetime | None,
    sheets: int,
    conflicts: int,
) -> None:
    """Remember this bulk save as the judge's last sync in the event (insert or update).

    The caller holds the judge's sheet rows locked (see ``save_sheets``), so two saves of
    the same judge never race on the insert.
    """
    row = session.scalar(
        select(VotingJudgeSync).where(
            VotingJudgeSync.event_id == event_id, VotingJudgeSync.judge_id == judge_id
        )
    )
    if row is None:
        row = VotingJudgeSync(event_id=event_id, judge_id=judge_id)
        session.add(row)
    row.synced_at = received_at
    row.edited_at = edited_at
    row.sheets = sheets
    row.conflicts = conflicts
    session.flush()


def last_syncs(session: Session, event_id: int) -> dict[int, LastSync]:
    """Every judge's last sync in the event, by judge id (judges who never synced: absent)."""
    return {
        row.judge_id: LastSync(row.synced_at, row.edited_at, row.sheets, row.conflicts)
        for row in session.scalars(
            select(VotingJudgeSync).where(VotingJudgeSync.event_id == event_id)
        )
    }
