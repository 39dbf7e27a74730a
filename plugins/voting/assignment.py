"""Which judge scores which innovation: balanced automatic assignment, manual changes, queues.

The judges of a stage are its panel (:mod:`plugins.voting.panels`: every event judge until
the organizer picks some).  The automatic assignment gives every innovation ``k`` of them,
never a judge with a conflict of interest (own organization or a declared one), keeps every
existing assignment (so innovations added late do not reshuffle the judges' work) and keeps
every judge's load within one of the others wherever the conflicts allow it.  It is
reproducible: the same seed, judges and innovations give the same assignment.
"""

from __future__ import annotations

import random
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from core.i18n import N_, Msg
from core.models import Event, EventRole, Innovation, User
from core.services import audit
from core.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.services.roles import judge_conflict_organization_ids
from plugins.voting import panels
from plugins.voting.models import VotingAssignment, VotingEntry, VotingScore, VotingStage
from plugins.voting.rubric import ensure_stage

MAX_JUDGES_PER_INNOVATION = 50


@dataclass
class AssignmentReport:
    """What an automatic assignment did."""

    created: int
    total: int
    loads: dict[int, int]
    balanced: bool
    seed: int
    new_pairs: list[tuple[int, int]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        return {
            "created": self.created,
            "total": self.total,
            "loads": [{"judge": j, "assignments": n} for j, n in sorted(self.loads.items())],
            "balanced": self.balanced,
            "seed": self.seed,
        }


class ConflictOfInterest(Forbidden):
    """403: the judge declared a conflict of interest with the innovation's agency."""


def judges(session: Session, event: Event) -> list[User]:
    """The event's judges, by id (a stage's own judges: :func:`panels.stage_judges`)."""
    return panels.event_judges(session, event)


def is_judge(session: Session, event: Event, user: User | None) -> bool:
    """Whether ``user`` is a judge of ``event`` (of any stage: the judge pages' gate)."""
    if user is None:
        return False
    return (
        session.scalar(
            select(EventRole.id).where(
                EventRole.event_id == event.id,
                EventRole.user_id == user.id,
                EventRole.role == "judge",
            )
        )
        is not None
    )


def stage_innovations(session: Session, event: Event, stage: VotingStage) -> list[Innovation]:
    """Innovations judged in ``stage``: every accepted one in stage 1, else those advanced."""
    query = (
        select(Innovation)
        .options(joinedload(Innovation.organization))
        .where(Innovation.event_id == event.id, Innovation.status == "accepted")
        .order_by(Innovation.id)
    )
    if stage.position > 1:
        query = query.join(VotingEntry, VotingEntry.innovation_id == Innovation.id).where(
            VotingEntry.stage_id == stage.id
        )
    return list(session.scalars(query))


def stage_assignments(session: Session, stage: VotingStage) -> list[VotingAssignment]:
    """Every assignment of ``stage``, with its scores (read by :func:`assignment_status`)."""
    return list(
        session.scalars(
            select(VotingAssignment)
            .where(VotingAssignment.stage_id == stage.id)
            .options(selectinload(VotingAssignment.scores))
            .order_by(VotingAssignment.id)
        )
    )


def _rebalance(
    new: list[list[int]],
    assigned: dict[int, set[int]],
    eligible: dict[int, set[int]],
    load: Counter[int],
    judge_ids: list[int],
) -> bool:
    """Move new assignments along chains of judges until loads differ by at most one."""
    by_judge: dict[int, list[list[int]]] = {j: [] for j in judge_ids}
    for pair in new:
        by_judge[pair[0]].append(pair)
    for _ in range(len(new) * max(1, len(judge_ids)) + 1):
        high = max(load[j] for j in judge_ids)
        low = min(load[j] for j in judge_ids)
        if high - low <= 1:
            return True
        moved = False
        for source in [j for j in judge_ids if load[j] == high]:
            path = _chain(source, by_judge, assigned, eligible, load, judge_ids)
            if path:
                for giver, taker, pair in path:
                    innovation = pair[1]
                    by_judge[giver].remove(pair)
                    assigned[innovation].discard(giver)
                    pair[0] = taker
                    by_judge[taker].append(pair)
                    assigned[innovation].add(taker)
                load[path[0][0]] -= 1
                load[path[-1][1]] += 1
                moved = True
                break
        if not moved:
            return False
    return False


def _chain(
    source: int,
    by_judge: dict[int, list[list[int]]],
    assigned: dict[int, set[int]],
    eligible: dict[int, set[int]],
    load: Counter[int],
    judge_ids: list[int],
) -> list[tuple[int, int, list[int]]] | None:
    """A shortest chain of moves from ``source`` to a judge with at least two fewer."""
    parents: dict[int, tuple[int, list[int]] | None] = {source: None}
    queue = deque([source])
    while queue:
        giver = queue.popleft()
        for pair in by_judge[giver]:
            innovation = pair[1]
            for taker in judge_ids:
                if taker in parents or taker in assigned[innovation]:
                    continue
                if taker not in eligible[innovation]:
                    continue
                parents[taker] = (giver, pair)
                if load[taker] <= load[source] - 2:
                    path: list[tuple[int, int, list[int]]] = []
                    node = taker
                    while parents[node] is not None:
                        parent, moved = parents[node]  # type: ignore[misc]
                        path.append((parent, node, moved))
                        node = parent
                    return list(reversed(path))
                queue.append(taker)
    return None


def plan(
    judge_ids: list[int],
    order: list[int],
    eligible: dict[int, set[int]],
    assigned: dict[int, set[int]],
    load: Counter[int],
    k: int,
    rng: random.Random,
) -> tuple[list[list[int]], bool]:
    """New ``[judge, innovation]`` pairs giving every innovation of ``order`` ``k`` judges.

    Pure (updates ``assigned`` and ``load``): each seat goes to an eligible judge with the
    lowest load, among those to the one who has judged the fewest innovations together
    with the innovation's other judges so far (ties drawn by ``rng``).  Shared innovations
    are thus spread evenly over pairs of judges and the judges form one connected group
    (no disjoint panels), which the joint model needs to tell a judge's leniency from the
    quality of their innovations.  Returns the pairs and whether loads end within one.
    """
    together: dict[tuple[int, int], int] = Counter()
    for judged in assigned.values():
        for a in judged:
            for b in judged:
                if a < b:
                    together[(a, b)] += 1
    new: list[list[int]] = []
    for innovation in order:
        have = assigned[innovation] & eligible[innovation]
        for _ in range(k - len(have)):
            panel = assigned[innovation]
            candidates = [j for j in eligible[innovation] if j not in panel]
            draw = {j: rng.random() for j in sorted(candidates)}
            judge_id = min(
                candidates,
                key=lambda j: (
                    load[j],
                    sum(together[(min(j, o), max(j, o))] for o in panel),
                    draw[j],
                ),
            )
            for other in panel:
                together[(min(judge_id, other), max(judge_id, other))] += 1
            panel.add(judge_id)
            load[judge_id] += 1
            new.append([judge_id, innovation])
    balanced = _rebalance(new, assigned, eligible, load, judge_ids) if judge_ids else True
    return new, balanced


def shortage_reason(panel: panels.Panel, eligible: int, needed: int, organization: str) -> str:
    """Why an innovation cannot get ``needed`` judges, counting the stage's panel."""
    total = len(panel.judges)
    if total < needed:
        who = "The event has" if panel.all_judges else f"The panel of {panel.stage.name} has"
        reason = f"{who} only {total} judges"
        if eligible < total:
            reason += f" ({eligible} without a conflict of interest with {organization})"
        return f"{reason}; {needed} are needed."
    among = (
        f"the event's {total} judges"
        if panel.all_judges
        else f"the {total} judges on the panel of {panel.stage.name}"
    )
    return (
        f"Only {eligible} of {among} have no conflict of interest with {organization}; "
        f"{needed} are needed."
    )


def auto_assign(
    session: Session,
    event: Event,
    judges_per_innovation: int,
    *,
    seed: int | None = None,
    stage: VotingStage | None = None,
    actor_id: int | None = None,
) -> AssignmentReport:
    """Give every innovation of the stage ``judges_per_innovation`` judges (see module doc).

    Refuses (409, nothing stored) listing every innovation that has fewer eligible judges
    than asked for.
    """
    k = judges_per_innovation
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_JUDGES_PER_INNOVATION:
        raise ValidationFailed(
            N_("Invalid number of judges."),
            fields={
                "judges_per_innovation": [
                    Msg("Give a whole number from 1 to %(max)s.", max=MAX_JUDGES_PER_INNOVATION)
                ]
            },
        )
    stage = stage or ensure_stage(session, event)
    session.get(VotingStage, stage.id, with_for_update=True)
    if stage.status != "open":
        raise Conflict(N_("This stage is closed."))
    seed = event.id if seed is None else seed
    rng = random.Random(seed)
    panel = panels.stage_panel(session, event, stage)
    judge_ids = panel.ids
    conflicts = {j.id: judge_conflict_organization_ids(session, event, j) for j in panel.judges}
    innovations = stage_innovations(session, event, stage)
    existing = stage_assignments(session, stage)
    assigned: dict[int, set[int]] = {i.id: set() for i in innovations}
    load: Counter[int] = Counter({j: 0 for j in judge_ids})
    for row in existing:
        if row.judge_id in load:
            load[row.judge_id] += 1
        if row.innovation_id in assigned:
            assigned[row.innovation_id].add(row.judge_id)
    eligible = {
        i.id: {j for j in judge_ids if i.organization_id not in conflicts[j]} for i in innovations
    }
    problems = [
        {
            "innovation": {"id": i.id, "title": i.title},
            "eligible_judges": len(eligible[i.id]),
            "stage_judges": len(judge_ids),
            "needed": k,
            "reason": shortage_reason(panel, len(eligible[i.id]), k, i.organization.name),
        }
        for i in innovations
        if len(eligible[i.id]) < k
    ]
    if problems:
        raise Conflict(
            N_("Not every innovation can get enough judges without a conflict of interest."),
            problems=problems,
        )
    order = list(innovations)
    rng.shuffle(order)
    order.sort(key=lambda i: len(eligible[i.id]))
    new, balanced = plan(judge_ids, [i.id for i in order], eligible, assigned, load, k, rng)
    for judge_id, innovation_id in new:
        session.add(
            VotingAssignment(stage_id=stage.id, judge_id=judge_id, innovation_id=innovation_id)
        )
    session.flush()
    audit.record(
        session,
        "voting.assigned",
        event_id=event.id,
        user_id=actor_id,
        stage=stage.name,
        judges_per_innovation=k,
        seed=seed,
        created=len(new),
    )
    return AssignmentReport(
        created=len(new),
        total=len(existing) + len(new),
        loads=dict(load),
        balanced=balanced,
        seed=seed,
        new_pairs=[(j, i) for j, i in new],
    )


def add_assignment(
    session: Session,
    event: Event,
    judge_id: int,
    innovation_id: int,
    *,
    actor_id: int | None = None,
) -> VotingAssignment:
    """Assign one judge by hand to the current stage.

    422 when not a judge of the event or not on the stage's panel, or not an innovation of
    the stage; 409 on a conflict of interest or a duplicate.
    """
    stage = ensure_stage(session, event)
    session.get(VotingStage, stage.id, with_for_update=True)
    judge = session.get(User, judge_id)
    if judge is None or not is_judge(session, event, judge):
        raise ValidationFailed(
            N_("Not a judge of this event."), fields={"judge": [N_("Not a judge.")]}
        )
    if not panels.is_stage_judge(session, event, stage, judge):
        raise ValidationFailed(
            Msg(
                "%(judge)s is not on the panel of judges of %(stage)s.",
                judge=judge.name or judge.email,
                stage=stage.name,
            ),
            fields={"judge": [Msg("Not a judge of %(stage)s.", stage=stage.name)]},
        )
    innovation = next(
        (i for i in stage_innovations(session, event, stage) if i.id == innovation_id), None
    )
    if innovation is None:
        raise ValidationFailed(
            N_("Not an innovation of this stage."),
            fields={"innovation": [N_("Unknown innovation.")]},
        )
    if innovation.organization_id in judge_conflict_organization_ids(session, event, judge):
        raise Conflict(N_("This judge has a conflict of interest with the innovation's agency."))
    found = session.scalar(
        select(VotingAssignment).where(
            VotingAssignment.stage_id == stage.id,
            VotingAssignment.judge_id == judge.id,
            VotingAssignment.innovation_id == innovation.id,
        )
    )
    if found is not None:
        raise Conflict(N_("This judge is already assigned to the innovation."))
    row = VotingAssignment(stage_id=stage.id, judge_id=judge.id, innovation_id=innovation.id)
    session.add(row)
    session.flush()
    audit.record(
        session,
        "voting.assignment_added",
        event_id=event.id,
        user_id=actor_id,
        judge=judge.email,
        innovation=innovation.id,
    )
    return row


def remove_assignment(
    session: Session, event: Event, assignment_id: int, *, actor_id: int | None = None
) -> None:
    """Remove an assignment that has no scores yet (404 unknown, 409 once scored)."""
    row = session.get(VotingAssignment, assignment_id, with_for_update=True)
    stage = session.get(VotingStage, row.stage_id) if row is not None else None
    if row is None or stage is None or stage.event_id != event.id:
        raise NotFound(N_("Unknown assignment."))
    if row.scores:
        raise Conflict(N_("The judge has already scored this innovation; it cannot be removed."))
    audit.record(
        session,
        "voting.assignment_removed",
        event_id=event.id,
        user_id=actor_id,
        judge_id=row.judge_id,
        innovation=row.innovation_id,
    )
    session.delete(row)
    session.flush()


def withdraw_conflicted(
    session: Session,
    event: Event,
    judge_id: int,
    organization_ids: list[int],
    *,
    actor_id: int | None = None,
) -> tuple[int, int]:
    """A judge declared conflicts with ``organization_ids``: withdraw their pending work.

    Unscored assignments of those agencies' innovations (every stage of the event) are
    deleted, each with a ``voting.assignment_removed`` audit entry (``reason``:
    ``conflict_of_interest``).  Assignments with saved scores are kept, since the scores
    are a record the organizer decides about, and flagged with a
    ``voting.assignment_conflicted`` audit entry; the judge can no longer open them (403
    stating the conflict).  Returns (removed, kept).
    """
    if not organization_ids:
        return 0, 0
    rows = session.scalars(
        select(VotingAssignment)
        .join(VotingStage, VotingStage.id == VotingAssignment.stage_id)
        .join(Innovation, Innovation.id == VotingAssignment.innovation_id)
        .where(
            VotingStage.event_id == event.id,
            VotingAssignment.judge_id == judge_id,
            Innovation.organization_id.in_(organization_ids),
        )
        .options(selectinload(VotingAssignment.scores))
    ).all()
    removed = kept = 0
    for row in rows:
        scored = bool(row.scores) or row.submitted
        audit.record(
            session,
            "voting.assignment_conflicted" if scored else "voting.assignment_removed",
            event_id=event.id,
            user_id=actor_id,
            judge_id=judge_id,
            innovation=row.innovation_id,
            reason="conflict_of_interest",
        )
        if scored:
            kept += 1
        else:
            session.delete(row)
            removed += 1
    session.flush()
    return removed, kept


def assignment_status(row: VotingAssignment) -> str:
    """``pending`` (nothing saved), ``draft`` or ``submitted``."""
    if row.submitted:
        return "submitted"
    return "draft" if row.scores else "pending"


def queue_statuses(session: Session, rows: list[VotingAssignment]) -> dict[int, str]:
    """:func:`assignment_status` of many assignments at once (one query, not one per row)."""
    open_ids = [row.id for row in rows if not row.submitted]
    scored = (
        set(
            session.scalars(
                select(VotingScore.assignment_id)
                .where(VotingScore.assignment_id.in_(open_ids))
                .distinct()
            )
        )
        if open_ids
        else set()
    )
    return {
        row.id: "submitted" if row.submitted else "draft" if row.id in scored else "pending"
        for row in rows
    }


def judge_queue(
    session: Session, event: Event, user: User, stage: VotingStage | None
) -> list[tuple[VotingAssignment, Innovation]]:
    """A judge's assignments in ``stage`` with their innovations, by title."""
    if stage is None:
        return []
    rows = session.execute(
        select(VotingAssignment, Innovation)
        .join(Innovation, Innovation.id == VotingAssignment.innovation_id)
        .options(joinedload(Innovation.organization))
        .where(VotingAssignment.stage_id == stage.id, VotingAssignment.judge_id == user.id)
        .order_by(Innovation.title, Innovation.id)
    ).all()
    return [(a, i) for a, i in rows]


def require_assignment(
    session: Session, event: Event, user: User, stage: VotingStage | None, innovation: Innovation
) -> VotingAssignment:
    """The judge's assignment to ``innovation``; 403 when off the stage's panel, unassigned
    or conflicted."""
    if stage is not None and not panels.is_stage_judge(session, event, stage, user):
        raise Forbidden(Msg("You are not on the panel of judges of %(stage)s.", stage=stage.name))
    row = None
    if stage is not None:
        row = session.scalar(
            select(VotingAssignment)
            .where(
                VotingAssignment.stage_id == stage.id,
                VotingAssignment.judge_id == user.id,
                VotingAssignment.innovation_id == innovation.id,
            )
            .with_for_update()
        )
    if row is None:
        raise Forbidden(N_("You are not assigned to score this innovation."))
    if innovation.organization_id in judge_conflict_organization_ids(session, event, user):
        raise ConflictOfInterest(
            N_("You have a conflict of interest with this innovation's agency."),
        )
    return row
