"""Judging stages: add, close (locks scores) and advance the best to the next stage.

Advancing takes the closed stage's official ranking and either the top N or everyone at
or above a score cut-off.  Ties at the top-N boundary are never cut arbitrarily: with the
``all`` tie policy every innovation sharing the boundary rank advances; with ``organizer``
the organizer must name which of the tied innovations advance (``include``), otherwise
the call is refused (409) listing the tied innovations.  A new stage starts with every
event judge on its panel, or with a copy of the closed stage's panel when asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.i18n import N_, Msg
from core.models import Event
from core.plugin_helpers import to_event_local
from core.services import audit
from core.services.errors import Conflict, NotFound, ValidationFailed
from plugins.voting.models import ADVANCE_RULES, TIE_POLICIES, VotingEntry, VotingStage
from plugins.voting.panels import copy_panel
from plugins.voting.results import Results, freeze
from plugins.voting.rubric import criteria_of, get_stage, stages, store_criteria


@dataclass
class Advancement:
    """Who advanced from one stage into the next."""

    stage: VotingStage
    advanced: list[int]
    tied: list[int]


WindowState = Literal["not_yet", "open", "over"]


def window_state(stage: VotingStage, now: datetime) -> WindowState:
    """Where ``now`` falls in the stage's judging window (no bound set → open on that side)."""
    if stage.opens_at is not None and now < stage.opens_at:
        return "not_yet"
    if stage.closes_at is not None and now >= stage.closes_at:
        return "over"
    return "open"


def require_window(event: Event, stage: VotingStage, now: datetime) -> None:
    """409 with the opening or closing time (event time zone) when ``now`` is outside."""
    state = window_state(stage, now)
    if state == "open":
        return
    moment = stage.opens_at if state == "not_yet" else stage.closes_at
    assert moment is not None
    when = f"{to_event_local(moment, event.timezone):%Y-%m-%d %H:%M} ({event.timezone})"
    if state == "not_yet":
        raise Conflict(
            Msg("Scoring for %(stage)s opens at %(when)s.", stage=stage.name, when=when),
            opens_at=moment.isoformat(),
        )
    raise Conflict(
        Msg("Scoring for %(stage)s closed at %(when)s.", stage=stage.name, when=when),
        closes_at=moment.isoformat(),
    )


def set_window(
    session: Session,
    event: Event,
    stage_id: int,
    opens_at: datetime | None,
    closes_at: datetime | None,
    *,
    actor_id: int | None = None,
) -> VotingStage:
    """Set (or clear, with ``None``) a stage's judging window; 422 unless it closes after it opens.

    Both times must be time-zone aware.  Audited with the old and the new window.
    """
    stage = get_stage(session, event, stage_id)
    if stage is None:
        raise NotFound(N_("Unknown stage."))
    fields: dict[str, list[str]] = {}
    for name, value in (("opens_at", opens_at), ("closes_at", closes_at)):
        if value is not None and value.utcoffset() is None:
            fields[name] = [N_("Give a time with its time zone.")]
    if not fields and opens_at is not None and closes_at is not None and closes_at <= opens_at:
        fields["closes_at"] = [N_("The window must close after it opens.")]
    if fields:
        raise ValidationFailed(N_("Invalid judging window."), fields=fields)
    session.get(VotingStage, stage.id, with_for_update=True)
    old = [_iso(stage.opens_at), _iso(stage.closes_at)]
    stage.opens_at, stage.closes_at = opens_at, closes_at
    session.flush()
    audit.record(
        session,
        "voting.stage_window_changed",
        event_id=event.id,
        user_id=actor_id,
        stage=stage.name,
        old=old,
        new=[_iso(opens_at), _iso(closes_at)],
    )
    return stage


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def close_stage(
    session: Session, event: Event, stage_id: int, *, actor_id: int | None = None
) -> VotingStage:
    """Close a stage: its scores are locked and its results stored (:func:`freeze`)."""
    stage = get_stage(session, event, stage_id)
    if stage is None:
        raise NotFound(N_("Unknown stage."))
    session.get(VotingStage, stage.id, with_for_update=True)
    if stage.status == "closed":
        raise Conflict(N_("The stage is already closed."))
    freeze(session, event, stage)
    stage.status = "closed"
    stage.closed_at = utcnow()
    audit.record(
        session, "voting.stage_closed", event_id=event.id, user_id=actor_id, stage=stage.name
    )
    session.flush()
    return stage


def select_advancing(
    results: Results, rule: str, value: float, tie_policy: str, include: list[int] | None
) -> tuple[list[int], list[int]]:
    """(advancing innovation ids, ids tied at the boundary) for a ranking and a rule."""
    ranked = [i for i in results.items if i.rank is not None and i.final_score is not None]
    if rule == "cutoff":
        return [i.innovation_id for i in ranked if round(i.final_score or 0, 2) >= value], []
    n = int(value)
    if n >= len(ranked):
        return [i.innovation_id for i in ranked], []
    boundary_rank = ranked[n - 1].rank
    sure = [i.innovation_id for i in ranked if (i.rank or 0) < (boundary_rank or 0)]
    tied = [i.innovation_id for i in ranked if i.rank == boundary_rank]
    if len(sure) + len(tied) == n:
        return sure + tied, []
    if tie_policy == "all":
        return sure + tied, tied
    chosen = [i for i in (include or []) if i in tied]
    if len(set(chosen)) != n - len(sure) or len(chosen) != len(set(chosen)):
        raise Conflict(
            f"{len(tied)} innovations tie for the last {n - len(sure)} place(s); "
            "choose which advance.",
            tied=tied,
            places=n - len(sure),
        )
    return sure + chosen, tied


def advance(
    session: Session,
    event: Event,
    stage_id: int,
    results: Results,
    *,
    rule: str,
    value: float,
    tie_policy: str = "all",
    include: list[int] | None = None,
    next_name: str | None = None,
    copy_judges: bool = False,
    actor_id: int | None = None,
) -> Advancement:
    """Advance the best of a closed stage into the next stage (created with the same rubric).

    A stage created here starts with an empty panel (every event judge) unless
    ``copy_judges`` asks for the closed stage's panel; an existing next stage keeps its own.
    """
    stage = get_stage(session, event, stage_id)
    if stage is None:
        raise NotFound(N_("Unknown stage."))
    fields: dict[str, list[str]] = {}
    if rule not in ADVANCE_RULES or rule == "none":
        fields["rule"] = [N_("Use top_n or cutoff.")]
    if tie_policy not in TIE_POLICIES:
        fields["tie_policy"] = [N_("Use all or organizer.")]
    if rule == "top_n" and (value != int(value) or value < 1):
        fields["value"] = [N_("Give a whole number of at least 1.")]
    if rule == "cutoff" and not 0 <= value <= 100:
        fields["value"] = [N_("Give a score from 0 to 100.")]
    if fields:
        raise ValidationFailed(N_("Invalid advancement rule."), fields=fields)
    if stage.status != "closed":
        raise Conflict(N_("Close the stage before advancing innovations."))
    later = [s for s in stages(session, event) if s.position > stage.position]
    if later and session.scalar(select(func.count()).where(VotingEntry.stage_id == later[0].id)):
        raise Conflict(N_("Innovations have already advanced from this stage."))
    advanced, tied = select_advancing(results, rule, value, tie_policy, include)
    if later:
        target = later[0]
    else:
        target = VotingStage(
            event_id=event.id,
            name=next_name or f"Stage {stage.position + 1}",
            position=stage.position + 1,
            status="open",
        )
        session.add(target)
        store_criteria(target, criteria_of(session, event, stage))
    stage.advance_rule, stage.advance_value, stage.tie_policy = rule, value, tie_policy
    session.flush()
    copied = copy_panel(session, event, stage, target) if copy_judges and not later else []
    for innovation_id in advanced:
        session.add(VotingEntry(stage_id=target.id, innovation_id=innovation_id))
    session.flush()
    audit.record(
        session,
        "voting.advanced",
        event_id=event.id,
        user_id=actor_id,
        stage=stage.name,
        next_stage=target.name,
        rule=rule,
        value=value,
        tie_policy=tie_policy,
        advanced=advanced,
        tied=tied,
        copied_judges=copied,
    )
    return Advancement(target, advanced, tied)
