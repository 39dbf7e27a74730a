"""How far an event's entries went in the judging, for core's innovation history (issue 15).

The stage reached is the last stage an accepted entry was judged in (every accepted entry is
judged in stage 1; later stages judge the entries that advanced).  The rank is the entry's
place in the current stage's results, only once the results are published.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Event, Innovation
from core.plugin_helpers import stored_settings
from plugins.voting import results, rubric
from plugins.voting.models import VotingEntry
from plugins.voting.settings import VotingSettings


def _no_store(_stage_id: int, _key: str, _payload: str) -> None:
    """Figures computed for a history are not cached (the caller's session stays clean)."""


def outcomes(
    session: Session, event: Event, innovation_ids: list[int]
) -> dict[int, dict[str, Any]]:
    """``{id: {stage_reached, rank}}`` for the accepted entries among ``innovation_ids``."""
    stages = rubric.stages(session, event)
    if not stages or not innovation_ids:
        return {}
    accepted = set(
        session.scalars(
            select(Innovation.id).where(
                Innovation.id.in_(innovation_ids),
                Innovation.event_id == event.id,
                Innovation.status == "accepted",
            )
        )
    )
    reached: dict[int, str] = {iid: stages[0].name for iid in accepted}
    by_id = {stage.id: stage for stage in stages}
    rows = session.execute(
        select(VotingEntry.innovation_id, VotingEntry.stage_id).where(
            VotingEntry.innovation_id.in_(accepted)
        )
    )
    best: dict[int, int] = {}
    for innovation_id, stage_id in rows:
        position = by_id[stage_id].position if stage_id in by_id else 0
        if position > best.get(innovation_id, 0):
            best[innovation_id] = position
            reached[innovation_id] = by_id[stage_id].name
    ranks: dict[int, int | None] = {}
    settings: VotingSettings = stored_settings(event, "voting", VotingSettings)  # type: ignore[assignment]
    if settings.results_published and accepted:
        computed = results.stage_results(
            session,
            event,
            rubric.current_stage(session, event),
            method=settings.method,
            public_weight=settings.public_weight,
            store=_no_store,
        )
        ranks = {item.innovation_id: item.rank for item in computed.items}
    return {iid: {"stage_reached": reached[iid], "rank": ranks.get(iid)} for iid in accepted}
