"""Judges' booth visits of the current stage: plan them, move one, list them, find broken ones.

Visits belong to assignments (one each).  What else constrains them comes from the other
plugins through hooks, so voting imports neither: busy times from ``event_busy_times`` (the
symposium: judges on stage, agencies presenting) and booths from ``event_booth_locations``
(the exhibitors: codes, zones, distances).  With those plugins off the plan simply has fewer
constraints.  Nothing about a change elsewhere is stored: every listing checks each visit
against the current sessions and booths, so a moved session or booth shows the visits it
broke at once, and a re-plan keeps every visit that still holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload

from core.db import utcnow
from core.i18n import N_
from core.models import Event, Innovation, User
from core.plugin_helpers import booth_locations, busy_times
from core.services import audit
from core.services.errors import Conflict, NotFound, ValidationFailed
from core.services.events import lock_event_row
from plugins.voting import visit_model as model
from plugins.voting import visit_planner as planner
from plugins.voting.models import VotingAssignment, VotingStage, VotingVisit, VotingVisitPlan
from plugins.voting.rubric import current_stage
from plugins.voting.visit_messages import clash_json

MAX_WINDOW = timedelta(days=14)
MAX_MINUTES = 480
MAX_CHANGEOVER = 240


@dataclass
class Entry:
    """An assignment of the stage with what a visit needs to know about it."""

    assignment: VotingAssignment
    innovation: Innovation
    judge: User
    request: model.Request
    booth: Any = None


@dataclass
class Context:
    """Everything a stage's visits are checked against (one hook call each)."""

    event: Event
    stage: VotingStage
    entries: dict[int, Entry]
    frame: model.Frame | None
    visits: list[VotingVisit] = field(default_factory=list)


@dataclass
class VisitRow:
    """A visit as pages and the API show it, with the rules it breaks now."""

    visit: VotingVisit
    entry: Entry
    clashes: list[model.Clash]

    @property
    def broken(self) -> bool:
        """Whether the visit breaks a rule since something moved."""
        return bool(self.clashes)


def _assignments(session: Session, stage: VotingStage) -> list[tuple[Any, Innovation, User]]:
    return [
        (a, i, u)
        for a, i, u in session.execute(
            select(VotingAssignment, Innovation, User)
            .join(Innovation, Innovation.id == VotingAssignment.innovation_id)
            .join(User, User.id == VotingAssignment.judge_id)
            .options(joinedload(Innovation.organization))
            .where(VotingAssignment.stage_id == stage.id)
            .order_by(VotingAssignment.id)
        ).all()
    ]


def _busy(
    registry: Any,
    session: Session,
    event: Event,
    entries: dict[int, Entry],
    window: tuple[datetime, datetime],
) -> tuple[dict[int, list[model.Busy]], dict[int, list[model.Busy]]]:
    people = {e.judge.id: e.judge.email for e in entries.values()}
    organizations = {
        e.innovation.organization_id: e.innovation.organization.name for e in entries.values()
    }
    judge_busy: dict[int, list[model.Busy]] = {}
    booth_busy: dict[int, list[model.Busy]] = {}
    for item in busy_times(
        registry, session, event, people=people, organizations=organizations, window=window
    ):
        busy = model.Busy(
            model.minutes_of(item.starts_at), model.minutes_of(item.ends_at), item.label
        )
        target = judge_busy if item.kind == "person" else booth_busy
        target.setdefault(item.key, []).append(busy)
    return judge_busy, booth_busy


def busiest_judge_load(session: Session, stage: VotingStage) -> int:
    """The most assignments one judge has in ``stage`` (the visits of the busiest judge)."""
    counts = session.scalars(
        select(func.count())
        .select_from(VotingAssignment)
        .where(VotingAssignment.stage_id == stage.id)
        .group_by(VotingAssignment.judge_id)
    ).all()
    return max(counts, default=0)


def plan_row(session: Session, stage: VotingStage) -> VotingVisitPlan | None:
    """The stage's planning window and pace, if visits were ever planned."""
    return session.scalar(select(VotingVisitPlan).where(VotingVisitPlan.stage_id == stage.id))


def load(
    session: Session,
    registry: Any,
    event: Event,
    stage: VotingStage,
    *,
    window: tuple[datetime, datetime] | None = None,
    minutes: int | None = None,
    changeover: int | None = None,
    daily: tuple[time, time] | None = None,
) -> Context:
    """A stage's assignments, visits, booths and busy times (the stored plan's, or given).

    ``daily`` are the exhibition hours of each day (event time); without them the whole
    window is open.
    """
    stored = plan_row(session, stage)
    if window is None and stored is not None:
        window = (stored.starts_at, stored.ends_at)
        minutes, changeover = stored.minutes_per_visit, stored.changeover_minutes
        if stored.daily_start is not None and stored.daily_end is not None:
            daily = (stored.daily_start, stored.daily_end)
    rows = _assignments(session, stage)
    locations = booth_locations(
        registry, session, event, sorted({i.organization_id for _a, i, _u in rows})
    )
    entries: dict[int, Entry] = {}
    for assignment, innovation, judge in rows:
        booth = locations.get(innovation.organization_id)
        request = model.Request(
            assignment.id,
            judge.id,
            innovation.organization_id,
            booth.zone if booth else None,
            (booth.x, booth.y) if booth else None,
        )
        entries[assignment.id] = Entry(assignment, innovation, judge, request, booth)
    frame = None
    if window is not None and minutes is not None and changeover is not None:
        judge_busy, booth_busy = _busy(registry, session, event, entries, window)
        frame = model.Frame(window[0], window[1], minutes, changeover, judge_busy, booth_busy)
        if daily is not None:
            frame.hours = model.daily_hours(window[0], window[1], *daily, event.timezone)
    visits = list(
        session.scalars(
            select(VotingVisit)
            .where(VotingVisit.stage_id == stage.id)
            .order_by(VotingVisit.starts_at, VotingVisit.id)
        )
    )
    return Context(event, stage, entries, frame, visits)


def _require_stage(session: Session, event: Event) -> VotingStage:
    stage = current_stage(session, event)
    if stage is None:
        raise NotFound(N_("No judging stage yet."))
    if stage.status != "open":
        raise Conflict(N_("The current stage is closed."))
    return stage


def validate_window(
    starts_at: datetime,
    ends_at: datetime,
    minutes: int,
    changeover: int,
    daily_start: time | None = None,
    daily_end: time | None = None,
) -> dict[str, list[str]]:
    """Problems with a planning window, its daily hours and the pace, by field (empty when fine)."""
    fields: dict[str, list[str]] = {}
    if (daily_start is None) != (daily_end is None):
        missing = "daily_end" if daily_end is None else "daily_start"
        fields[missing] = [N_("Give both daily hours, or neither.")]
    elif daily_start is not None and daily_end is not None and daily_end <= daily_start:
        fields["daily_end"] = [N_("The day must close after it opens.")]
    if ends_at <= starts_at:
        fields["ends_at"] = [N_("The end must come after the start.")]
    elif ends_at - starts_at > MAX_WINDOW:
        fields["ends_at"] = [N_("The window may last at most 14 days.")]
    if not 1 <= minutes <= MAX_MINUTES:
        fields["minutes_per_visit"] = [N_("Give between 1 and 480 minutes.")]
    if not 0 <= changeover <= MAX_CHANGEOVER:
        fields["changeover_minutes"] = [N_("Give between 0 and 240 minutes.")]
    return fields


def _kept(context: Context) -> list[VotingVisit]:
    """The stored visits that still hold: manual ones first, then by time (greedy)."""
    assert context.frame is not None
    kept: list[VotingVisit] = []
    placed: list[tuple[model.Request, int]] = []
    order = sorted(context.visits, key=lambda v: (not v.manual, v.starts_at, v.id))
    for visit in order:
        entry = context.entries.get(visit.assignment_id)
        if entry is None:
            continue
        start = model.minutes_of(visit.starts_at)
        same_length = visit.ends_at - visit.starts_at == timedelta(minutes=context.frame.minutes)
        if same_length and not model.clashes(entry.request, start, context.frame, placed):
            kept.append(visit)
            placed.append((entry.request, start))
    return kept


def auto_plan(
    session: Session,
    registry: Any,
    event: Event,
    *,
    starts_at: datetime,
    ends_at: datetime,
    minutes_per_visit: int,
    changeover_minutes: int,
    daily_start: time | None = None,
    daily_end: time | None = None,
    actor_id: int | None = None,
) -> dict[str, Any]:
    """Plan a visit for every assignment of the current stage; keep every visit that holds.

    With ``daily_start`` and ``daily_end`` (event time) visits happen only within each
    day's exhibition hours between ``starts_at`` and ``ends_at``, never at night.
    Returns ``{placed, kept, added, unplaced: [{assignment, reasons, blockers}]}`` where
    ``placed`` counts every visit of the plan.  422 on a bad window, 409 on a closed stage.
    """
    fields = validate_window(
        starts_at, ends_at, minutes_per_visit, changeover_minutes, daily_start, daily_end
    )
    if fields:
        raise ValidationFailed(N_("Check the planning window."), fields=fields)
    lock_event_row(session, event.id)
    stage = _require_stage(session, event)
    context = load(
        session,
        registry,
        event,
        stage,
        window=(starts_at, ends_at),
        minutes=minutes_per_visit,
        changeover=changeover_minutes,
        daily=None if daily_start is None or daily_end is None else (daily_start, daily_end),
    )
    assert context.frame is not None
    kept = _kept(context)
    kept_ids = {v.id for v in kept}
    dropped = [v.id for v in context.visits if v.id not in kept_ids]
    if dropped:
        session.execute(delete(VotingVisit).where(VotingVisit.id.in_(dropped)))
    holding = {v.assignment_id for v in kept}
    fixed = [(context.entries[v.assignment_id].request, v.starts_at) for v in kept]
    todo = [e.request for key, e in sorted(context.entries.items()) if key not in holding]
    result = planner.plan(todo, context.frame, fixed)
    length = timedelta(minutes=minutes_per_visit)
    for key, start in sorted(result.placements.items()):
        session.add(
            VotingVisit(
                stage_id=stage.id, assignment_id=key, starts_at=start, ends_at=start + length
            )
        )
    stored = plan_row(session, stage)
    if stored is None:
        stored = VotingVisitPlan(stage_id=stage.id)
        session.add(stored)
    stored.starts_at, stored.ends_at = starts_at, ends_at
    stored.minutes_per_visit, stored.changeover_minutes = minutes_per_visit, changeover_minutes
    stored.daily_start, stored.daily_end = daily_start, daily_end
    stored.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        "voting.visits_planned",
        event_id=event.id,
        user_id=actor_id,
        kept=len(kept),
        added=len(result.placements),
        unplaced=len(result.unplaced),
    )
    return {
        "placed": len(kept) + len(result.placements),
        "kept": len(kept),
        "added": len(result.placements),
        "unplaced": [
            {"entry": context.entries[u.key], "reasons": u.reasons, "blockers": u.blockers}
            for u in result.unplaced
        ],
    }


def rows(
    session: Session,
    registry: Any,
    event: Event,
    *,
    judge_id: int | None = None,
    organization_ids: list[int] | None = None,
) -> list[VisitRow]:
    """The current stage's visits in time order, each with the rules it breaks now.

    ``judge_id`` keeps one judge's visits (an itinerary), ``organization_ids`` the visits to
    those agencies' booths (an exhibitor's view).
    """
    stage = current_stage(session, event)
    if stage is None or not session.scalar(
        select(VotingVisit.id).where(VotingVisit.stage_id == stage.id).limit(1)
    ):
        return []
    context = load(session, registry, event, stage)
    return [
        row
        for row in rows_of(context)
        if (judge_id is None or row.entry.judge.id == judge_id)
        and (organization_ids is None or row.entry.innovation.organization_id in organization_ids)
    ]


def rows_of(context: Context) -> list[VisitRow]:
    """Every visit of a loaded stage with its clashes against the others and busy times."""
    placed = [
        (context.entries[v.assignment_id].request, model.minutes_of(v.starts_at))
        for v in context.visits
        if v.assignment_id in context.entries
    ]
    found: list[VisitRow] = []
    for visit in context.visits:
        entry = context.entries.get(visit.assignment_id)
        if entry is None:
            continue
        clashes = (
            model.clashes(entry.request, model.minutes_of(visit.starts_at), context.frame, placed)
            if context.frame is not None
            else []
        )
        found.append(VisitRow(visit, entry, clashes))
    return found


def move_visit(
    session: Session,
    registry: Any,
    event: Event,
    visit_id: int,
    starts_at: datetime,
    *,
    actor_id: int | None = None,
) -> VotingVisit:
    """Move one visit by hand, with the planner's checks: 409 ``conflicts`` when one breaks."""
    lock_event_row(session, event.id)
    stage = _require_stage(session, event)
    visit = session.get(VotingVisit, visit_id) if 0 < visit_id < 2**31 else None
    if visit is None or visit.stage_id != stage.id:
        raise NotFound(N_("Unknown visit."))
    context = load(session, registry, event, stage)
    if context.frame is None:  # pragma: no cover - a visit exists only once a plan does
        raise NotFound(N_("Unknown visit."))
    entry = context.entries[visit.assignment_id]
    others = [
        (context.entries[v.assignment_id].request, model.minutes_of(v.starts_at))
        for v in context.visits
        if v.id != visit.id and v.assignment_id in context.entries
    ]
    clashes = model.clashes(entry.request, model.minutes_of(starts_at), context.frame, others)
    if clashes:
        raise Conflict(
            N_("The visit cannot move there."),
            conflicts=[clash_json(context, clash) for clash in clashes],
        )
    visit.starts_at = starts_at
    visit.ends_at = starts_at + timedelta(minutes=context.frame.minutes)
    visit.manual = True
    session.flush()
    audit.record(
        session,
        "voting.visit_moved",
        event_id=event.id,
        user_id=actor_id,
        visit_id=visit.id,
        starts_at=starts_at.isoformat(),
    )
    return visit
