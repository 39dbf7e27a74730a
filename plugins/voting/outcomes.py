"""How far an event's entries went in the judging, for core's innovation history (issue 15).

The stage reached is the last stage an accepted entry was judged in (every accepted entry is
judged in stage 1; later stages judge the entries that advanced).  The rank is the entry's
place in the current stage's results, only once the results are published.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import Event, Innovation, Organization
from core.plugin_helpers import stored_settings
from plugins.voting import results, rubric
from plugins.voting.models import VotingEntry, VotingStage, VotingStageResults, VotingVote
from plugins.voting.settings import VotingSettings


def _no_store(_write: Callable[[Session], None]) -> None:
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


def outcomes_across(
    session: Session, events: list[Event], innovation_ids: list[int]
) -> dict[int, dict[str, Any]]:
    """:func:`outcomes` for entries of many events in a fixed number of statements.

    A published event's ranks come from its current stage's frozen results (a closed stage,
    read with the frozen figures, the current votes and the event's method, as the results
    page shows them); only an event whose current stage is still open computes them live
    (:func:`outcomes`, the live edition: at most a few).
    """
    by_id = {event.id: event for event in events}
    if not by_id or not innovation_ids:
        return {}
    stages_of: dict[int, list[VotingStage]] = defaultdict(list)
    for stage in session.scalars(
        select(VotingStage)
        .where(VotingStage.event_id.in_(by_id))
        .order_by(VotingStage.event_id, VotingStage.position)
    ):
        stages_of[stage.event_id].append(stage)
    accepted = dict(
        session.execute(
            select(Innovation.id, Innovation.event_id).where(
                Innovation.id.in_(innovation_ids),
                Innovation.event_id.in_(list(stages_of)),
                Innovation.status == "accepted",
            )
        ).all()
    )
    if not accepted:
        return {}
    reached = {iid: stages_of[event_id][0] for iid, event_id in accepted.items()}
    stage_by_id = {stage.id: stage for stages in stages_of.values() for stage in stages}
    for innovation_id, stage_id in session.execute(
        select(VotingEntry.innovation_id, VotingEntry.stage_id).where(
            VotingEntry.innovation_id.in_(list(accepted))
        )
    ):
        stage = stage_by_id.get(stage_id)
        if stage is not None and stage.position > reached[innovation_id].position:
            reached[innovation_id] = stage
    ranks = _published_ranks(session, by_id, stages_of, set(accepted.values()))
    return {iid: {"stage_reached": reached[iid].name, "rank": ranks.get(iid)} for iid in accepted}


def _current(stages: list[VotingStage]) -> VotingStage:
    """:func:`plugins.voting.rubric.current_stage` of already loaded stages."""
    return next((s for s in stages if s.status == "open"), stages[-1])


def _published_ranks(
    session: Session,
    by_id: dict[int, Event],
    stages_of: dict[int, list[VotingStage]],
    event_ids: set[int],
) -> dict[int, int | None]:
    """``{innovation id: rank}`` in the current stages of the events with published results."""
    settings = {
        event_id: stored_settings(by_id[event_id], "voting", VotingSettings)
        for event_id in event_ids
    }
    published = [e for e in event_ids if settings[e].results_published]  # type: ignore[attr-defined]
    current = {event_id: _current(stages_of[event_id]) for event_id in published}
    closed = {s.id: e for e, s in current.items() if s.status == "closed"}
    frozen = {
        row.stage_id: row
        for row in session.scalars(
            select(VotingStageResults).where(VotingStageResults.stage_id.in_(list(closed)))
        )
    }
    ranks: dict[int, int | None] = {}
    for event_id, stage in current.items():
        if stage.id not in frozen:  # still open (or closed before results were stored)
            options: Any = settings[event_id]
            live = results.stage_results(
                session,
                by_id[event_id],
                stage,
                method=options.method,
                public_weight=options.public_weight,
                store=_no_store,
            )
            ranks.update((item.innovation_id, item.rank) for item in live.items)
    stored = [closed[stage_id] for stage_id in frozen]
    if not stored:
        return ranks
    judged = _judged_innovations(session, [current[e] for e in stored])
    votes: dict[int, dict[int, int]] = defaultdict(dict)
    for event_id, innovation_id, count in session.execute(
        select(VotingVote.event_id, VotingVote.innovation_id, func.count())
        .where(VotingVote.event_id.in_(stored))
        .group_by(VotingVote.event_id, VotingVote.innovation_id)
    ):
        votes[event_id][innovation_id] = count
    for event_id in stored:
        stage = current[event_id]
        options = settings[event_id]
        computed = results._from_payload(
            frozen[stage.id].payload,
            judged.get(stage.id, {}),
            method=options.method,
            public_weight=options.public_weight,
            votes=votes.get(event_id, {}),
        )
        ranks.update((item.innovation_id, item.rank) for item in computed.items)
    return ranks


def _judged_innovations(
    session: Session, stages: list[VotingStage]
) -> dict[int, dict[int, tuple[str, dict[str, Any] | None]]]:
    """``{stage id: {innovation id: (title, organization)}}`` like the results read them.

    Stage 1 judges every accepted entry of its event; a later stage those that advanced.
    Two statements for any number of stages.
    """
    later = [stage.id for stage in stages if stage.position > 1]
    advanced: dict[int, set[int]] = defaultdict(set)
    if later:
        for stage_id, innovation_id in session.execute(
            select(VotingEntry.stage_id, VotingEntry.innovation_id).where(
                VotingEntry.stage_id.in_(later)
            )
        ):
            advanced[stage_id].add(innovation_id)
    rows = session.execute(
        select(
            Innovation.id, Innovation.event_id, Innovation.title, Organization.id, Organization.name
        )
        .join(Organization, Organization.id == Innovation.organization_id)
        .where(
            Innovation.event_id.in_({stage.event_id for stage in stages}),
            Innovation.status == "accepted",
        )
        .order_by(Innovation.id)
    ).all()
    found: dict[int, dict[int, tuple[str, dict[str, Any] | None]]] = {}
    for stage in stages:
        found[stage.id] = {
            iid: (title, {"id": org_id, "name": org_name})
            for iid, event_id, title, org_id, org_name in rows
            if event_id == stage.event_id and (stage.position == 1 or iid in advanced[stage.id])
        }
    return found
