"""Judging confidence: close calls at a cut-off, extra judges for them, judge calibration.

Pure functions (:func:`mark_close_calls`, :func:`plan_top_up`, :func:`calibrate`) plus the
two services the API and the console call (:func:`top_up`, :func:`stage_calibration`).
The formulas are in docs/plugins/voting.md ("Judging confidence").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from core.i18n import N_, Msg
from core.models import Event
from core.services import audit
from core.services.errors import Conflict, ValidationFailed
from core.services.roles import judge_conflict_organization_ids
from plugins.voting import assignment, judge_model, panels, top_up_plan
from plugins.voting.models import VotingAssignment, VotingStage
from plugins.voting.results import InnovationResult, Results, judge_score, load_sheets
from plugins.voting.rubric import criteria_of, ensure_stage
from plugins.voting.top_up_plan import Uncertainty, plan_top_up

FLAG_AGREEMENT = 0.2
FLAG_GAP = 4.0
FLAG_MIN_SHARED = 5
MAX_TOP = 100_000
MAX_EXTRA = 10_000


def mark_close_calls(results: Results, top: int) -> list[InnovationResult]:
    """Set ``results.boundary`` between places ``top`` and ``top + 1`` and flag close calls.

    The boundary is the midpoint of the two final scores.  An item is a close call when
    its interval, moved with its final score (``final ± (1 - public_weight) · half-width``),
    reaches across the boundary.  Returns the close calls, widest overlap first: the
    largest share of the interval on the other side of the boundary, i.e. the largest
    chance of being on the wrong side (:func:`close_call_uncertainty`), then by rank.
    """
    scored = [i for i in results.items if i.final_score is not None]
    results.boundary = None
    if top < 1 or top >= len(scored):
        return []
    boundary = (scored[top - 1].final_score + scored[top].final_score) / 2  # type: ignore[operator]
    results.boundary = boundary
    close: list[tuple[float, int, InnovationResult]] = []
    weight = 1.0 - results.public_weight
    for position, item in enumerate(scored):
        if item.interval is None or item.final_score is None:
            continue
        official = item.normalized_score if results.method == "normalized" else item.raw_score
        if official is None:
            continue
        low = item.final_score - weight * (official - item.interval[0])
        high = item.final_score + weight * (item.interval[1] - official)
        if low <= boundary <= high:
            item.flags.append("close_call")
            state = _uncertainty(item.final_score, item.interval, official, boundary, weight)
            close.append((-top_up_plan.wrong_side(state.distance, state.se), position, item))
    close.sort(key=lambda c: (c[0], c[1]))
    return [c[2] for c in close]


def close_call_uncertainty(results: Results, close: list[int]) -> dict[int, Uncertainty]:
    """Distance to ``results.boundary`` and standard error (final-score scale) per close call.

    The standard error is the interval's half-width toward the boundary over 1.645 (90 %),
    times the judges' share of the final score.
    """
    weight = 1.0 - results.public_weight
    out: dict[int, Uncertainty] = {}
    wanted = set(close)
    for item in results.items:
        if item.innovation_id not in wanted or results.boundary is None:
            continue
        official = item.normalized_score if results.method == "normalized" else item.raw_score
        if official is None or item.interval is None or item.final_score is None:
            continue
        out[item.innovation_id] = _uncertainty(
            item.final_score, item.interval, official, results.boundary, weight
        )
    return out


def _uncertainty(
    final: float, interval: tuple[float, float], official: float, boundary: float, weight: float
) -> Uncertainty:
    distance = final - boundary
    half = official - interval[0] if distance >= 0 else interval[1] - official
    return Uncertainty(distance, weight * max(half, 0.0) / judge_model.Z90)


@dataclass
class JudgeCalibration:
    """How one judge scores compared with the others (see :func:`calibrate`)."""

    judge_id: int
    sheets: int
    leniency: float
    scale: float
    agreement: float | None
    shared: int
    group: int
    precision: float = 0.0
    flagged: bool = False
    reasons: list[str] = field(default_factory=list)


@dataclass
class Calibration:
    """Every judge's calibration and the connected groups of judges."""

    judges: list[JudgeCalibration]
    groups: list[list[int]]

    @property
    def connected(self) -> bool:
        """Whether every judge with a sheet is linked to every other (one group)."""
        return len(self.groups) <= 1


def calibrate(scores: dict[tuple[int, int], float]) -> Calibration:
    """Fit the joint model to (judge, innovation) → score and describe every judge.

    ``agreement`` is :func:`judge_model.agreement`.  Over at least
    :data:`FLAG_MIN_SHARED` shared innovations a judge is flagged when the agreement is
    under :data:`FLAG_AGREEMENT`, or when it lies far below the judges' median agreement
    ``a_med``: ``(atanh a_med - atanh a) * sqrt(shared - 3) > FLAG_GAP`` (Fisher's z, so
    the gap must exceed what chance explains with that many shared innovations): the
    scores look unrelated to the consensus.  Reasons are translatable messages.
    """
    if not scores:
        return Calibration([], [])
    judges = sorted({j for j, _i in scores})
    innovations = sorted({i for _j, i in scores})
    jx = {j: n for n, j in enumerate(judges)}
    ix = {i: n for n, i in enumerate(innovations)}
    keys = list(scores)
    judge = np.array([jx[j] for j, _i in keys])
    item = np.array([ix[i] for _j, i in keys])
    y = np.array([scores[k] for k in keys], dtype=float)
    fitted = judge_model.fit(judge, item, y, len(judges), len(innovations))
    precision = judge_model.sheet_precision(fitted)
    group_of = {j: g for g, members in enumerate(fitted.groups) for j in members}
    agreements = [judge_model.agreement(fitted, judge, item, y, n) for n in range(len(judges))]
    known = [a for a, _shared in agreements if a is not None]
    median = float(np.median(known)) if known else 0.0
    out = []
    for n, judge_id in enumerate(judges):
        agree, shared = agreements[n]
        row = JudgeCalibration(
            judge_id=judge_id,
            sheets=int(fitted.sheets[n]),
            leniency=round(float(fitted.leniency[n]), 2),
            scale=round(float(fitted.scale[n]), 3),
            agreement=None if agree is None else round(agree, 3),
            shared=shared,
            group=group_of.get(n, 0),
            precision=float(precision[n]),
        )
        if agree is not None and shared >= FLAG_MIN_SHARED and _unrelated(agree, median, shared):
            row.flagged = True
            row.reasons.append(
                Msg(
                    "Scores hardly follow the other judges' consensus (rank correlation "
                    "%(agreement)s over %(shared)s shared innovations).",
                    agreement=round(agree, 2),
                    shared=shared,
                )
            )
        if row.leniency >= 10:
            points = round(row.leniency, 1)
            row.reasons.append(
                Msg("Generous: %(points)s points above a typical judge.", points=points)
            )
        elif row.leniency <= -10:
            points = round(-row.leniency, 1)
            row.reasons.append(
                Msg("Strict: %(points)s points below a typical judge.", points=points)
            )
        if row.scale < 0.6:
            row.reasons.append(N_("Uses a narrow part of the scale."))
        elif row.scale > 1.6:
            row.reasons.append(N_("Uses a wide part of the scale."))
        if row.sheets < 3:
            row.reasons.append(N_("Few sheets: the correction is shrunk toward none."))
        if len(fitted.groups) > 1:
            row.reasons.append(
                Msg(
                    "Shares no innovation with judges outside group %(group)s: leniency "
                    "is compared within the group only.",
                    group=row.group + 1,
                )
            )
        out.append(row)
    groups = [[judges[n] for n in members] for members in fitted.groups]
    return Calibration(out, groups)


def _unrelated(agree: float, median: float, shared: int) -> bool:
    """Whether an agreement looks unrelated to the consensus (see :func:`calibrate`)."""
    if agree < FLAG_AGREEMENT:
        return True
    gap = float(np.arctanh(np.clip(median, -0.99, 0.99)) - np.arctanh(np.clip(agree, -0.99, 0.99)))
    return gap * float(np.sqrt(max(shared - 3, 1))) > FLAG_GAP


def stage_scores(
    session: Session, event: Event, stage: VotingStage
) -> dict[tuple[int, int], float]:
    """(judge, innovation) → the 0-100 score of every submitted, complete sheet of ``stage``."""
    criteria = criteria_of(session, event, stage)
    scores = {}
    for sheet in load_sheets(session, stage):
        if not sheet.submitted:
            continue
        value = judge_score(criteria, sheet.values)
        if value is not None:
            scores[(sheet.judge_id, sheet.innovation_id)] = value
    return scores


def stage_calibration(session: Session, event: Event, stage: VotingStage | None) -> Calibration:
    """The calibration of ``stage``'s judges (empty without a stage or sheets)."""
    if stage is None:
        return Calibration([], [])
    return calibrate(stage_scores(session, event, stage))


@dataclass
class TopUp:
    """What :func:`top_up` added, and the close calls it served."""

    added: list[tuple[int, int]]
    close_calls: list[int]
    boundary: float | None


def top_up(
    session: Session,
    event: Event,
    results: Results,
    top: int,
    extra: int,
    *,
    actor_id: int | None = None,
) -> TopUp:
    """Add up to ``extra`` judges to the close calls at place ``top`` of ``results``.

    ``results`` are the current stage's.  Only close calls get new assignments, where one
    more sheet lowers the chance of a wrong side most (:func:`plan_top_up`); never a
    conflicted or already assigned judge; loads stay within one.  422 on bad numbers, 409
    when the stage is closed.
    """
    fields: dict[str, list[str]] = {}
    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= MAX_TOP:
        fields["top"] = [Msg("Give a whole number from 1 to %(max)s.", max=MAX_TOP)]
    if isinstance(extra, bool) or not isinstance(extra, int) or not 1 <= extra <= MAX_EXTRA:
        fields["extra"] = [Msg("Give a whole number from 1 to %(max)s.", max=MAX_EXTRA)]
    if fields:
        raise ValidationFailed(N_("Invalid top-up."), fields=fields)
    stage = ensure_stage(session, event)
    session.get(VotingStage, stage.id, with_for_update=True)
    if stage.status != "open":
        raise Conflict(N_("This stage is closed."))
    close = [i.innovation_id for i in mark_close_calls(results, top)]
    panel = panels.stage_panel(session, event, stage)
    judge_ids = panel.ids
    load: Counter[int] = Counter({j: 0 for j in judge_ids})
    assigned: dict[int, set[int]] = {i: set() for i in close}
    for row in assignment.stage_assignments(session, stage):
        if row.judge_id in load:
            load[row.judge_id] += 1
        if row.innovation_id in assigned:
            assigned[row.innovation_id].add(row.judge_id)
    organization = {
        i.id: i.organization_id
        for i in assignment.stage_innovations(session, event, stage)
        if i.id in assigned
    }
    conflicts = {j.id: judge_conflict_organization_ids(session, event, j) for j in panel.judges}
    eligible = {i: {j for j in judge_ids if organization.get(i) not in conflicts[j]} for i in close}
    calibration = stage_calibration(session, event, stage)
    added = plan_top_up(
        close,
        assigned,
        eligible,
        load,
        extra,
        uncertainty=close_call_uncertainty(results, close),
        precision={c.judge_id: c.precision for c in calibration.judges},
        share=1.0 - results.public_weight,
        avoid={c.judge_id for c in calibration.judges if c.flagged},
    )
    for judge_id, innovation_id in added:
        session.add(
            VotingAssignment(stage_id=stage.id, judge_id=judge_id, innovation_id=innovation_id)
        )
    session.flush()
    audit.record(
        session,
        "voting.topped_up",
        event_id=event.id,
        user_id=actor_id,
        stage=stage.name,
        top=top,
        extra=extra,
        added=len(added),
        close_calls=close,
    )
    return TopUp(added, close, results.boundary)


def calibration_json(
    calibration: Calibration, users: dict[int, Any], tr: Callable[[str], str] = str
) -> dict[str, Any]:
    """The calibration document (``items``, plus ``connected`` and ``groups``).

    ``tr`` renders a reason (the API passes :func:`core.i18n.translate`).
    """
    items = []
    for row in calibration.judges:
        user = users.get(row.judge_id)
        items.append(
            {
                "judge": {
                    "id": row.judge_id,
                    "name": getattr(user, "name", "") or "",
                    "email": getattr(user, "email", "") or "",
                },
                "sheets": row.sheets,
                "leniency": row.leniency,
                "scale": row.scale,
                "agreement": row.agreement,
                "flagged": row.flagged,
                "reasons": [tr(r) for r in row.reasons],
            }
        )
    return {"items": items, "connected": calibration.connected, "groups": calibration.groups}
