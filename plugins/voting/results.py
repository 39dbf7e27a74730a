"""Results: per-judge weighted scores, raw and normalised means, flags, ranks, hybrid.

How a result is computed (also in docs/plugins/voting.md):

* A judge's score for an innovation is the weighted mean of the criterion values, each
  first mapped onto 0-100 by its scale: ``sum w·(v - min)/(max - min) / sum w * 100``.  Only
  submitted, complete score sheets count.
* ``raw_score`` is the mean of the judges' scores.
* ``normalized_score`` is the joint model's estimate (:mod:`plugins.voting.judge_model`):
  each innovation's quality fitted together with each judge's leniency and scale, a judge
  with few sheets corrected less; ``interval`` is its 90 % interval.  (Before version
  ``joint-1`` it was the mean of per-judge z-scores, kept as :func:`zscore_scores` for the
  fairness bench.)  A closed stage keeps the figures stored when it closed.
* ``spread`` is the population standard deviation of the judges' scores; ``completeness``
  the share of assigned judges who submitted (assigned: judges of the stage's panel, or
  anyone who submitted).
* Flags: ``disagreement`` when the spread exceeds :data:`DISAGREEMENT_SPREAD` points; an
  outlier judge is one whose z-scores differ from the other judges' on the same
  innovations by more than :data:`OUTLIER_GAP` on average (at least three shared ones).
* The official score is ``raw`` or ``normalized`` (the ``method`` setting); with a
  ``public_weight`` w > 0 the final score is ``(1 - w) * official + w * public`` where
  ``public`` is the innovation's people's-choice votes as a share of the most-voted one
  (0-100).
* Ranking: by the final score rounded to two decimals; a tie is broken by the other
  score (raw ↔ normalised, rounded), then by the public votes; innovations equal on all
  three share a rank (competition ranking: 1, 2, 2, 4) and are listed by title.
  Innovations without any submitted sheet are listed last without a rank.
"""

from __future__ import annotations

import json
import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from core.db import Database, is_busy_error
from core.models import Event, Innovation, Organization
from plugins.voting import judge_model, results_version
from plugins.voting.models import (
    VotingAssignment,
    VotingEntry,
    VotingResultsCache,
    VotingScore,
    VotingStage,
    VotingStageResults,
    VotingVote,
)
from plugins.voting.panels import stage_panel
from plugins.voting.rubric import CriterionSpec, criteria_of

DISAGREEMENT_SPREAD = 15.0
OUTLIER_GAP = 1.0
OUTLIER_MIN_SHARED = 3
LEGACY_VERSION = "zscore-0"


@dataclass(frozen=True)
class Sheet:
    """One judge's values for one innovation."""

    judge_id: int
    innovation_id: int
    values: dict[str, float]
    submitted: bool = True
    comment: str = ""


@dataclass
class InnovationResult:
    """The computed result of one innovation."""

    innovation_id: int
    title: str = ""
    organization: dict[str, Any] | None = None
    judge_scores: dict[int, float] = field(default_factory=dict)
    assigned: int = 0
    raw_score: float | None = None
    normalized_score: float | None = None
    spread: float | None = None
    criteria: dict[str, float] = field(default_factory=dict)
    votes: int = 0
    public_score: float = 0.0
    final_score: float | None = None
    rank: int | None = None
    flags: list[str] = field(default_factory=list)
    interval: tuple[float, float] | None = None
    se: float | None = None

    @property
    def judges(self) -> int:
        """How many judges' sheets count."""
        return len(self.judge_scores)

    @property
    def completeness(self) -> float:
        """Share of the assigned judges who submitted (1.0 when none were assigned)."""
        return 1.0 if not self.assigned else round(self.judges / self.assigned, 4)

    def as_dict(self, method: str) -> dict[str, Any]:
        """The API's result item."""
        return {
            "rank": self.rank,
            "innovation": {
                "id": self.innovation_id,
                "title": self.title,
                "organization": self.organization,
            },
            "raw_score": _round(self.raw_score),
            "normalized_score": _round(self.normalized_score),
            "final_score": _round(self.final_score),
            "judges": self.judges,
            "assigned_judges": self.assigned,
            "completeness": self.completeness,
            "spread": _round(self.spread),
            "votes": self.votes,
            "criteria": {k: _round(v) for k, v in self.criteria.items()},
            "flags": list(self.flags),
            "interval": None
            if self.interval is None
            else [round(self.interval[0], 2), round(self.interval[1], 2)],
        }


@dataclass
class Results:
    """Every innovation's result, ranked, with the outlier judges."""

    method: str
    public_weight: float
    items: list[InnovationResult]
    outlier_judges: list[int]
    judge_leniency: dict[int, float]
    method_version: str = judge_model.MODEL_VERSION
    boundary: float | None = None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def judge_score(criteria: list[CriterionSpec], values: dict[str, float]) -> float | None:
    """A sheet's weighted score on 0-100, or ``None`` when a criterion is missing."""
    total_weight = sum(c.weight for c in criteria)
    if total_weight <= 0:
        return None
    acc = 0.0
    for c in criteria:
        if c.key not in values:
            return None
        acc += c.weight * (values[c.key] - c.min) / (c.max - c.min)
    return acc / total_weight * 100.0


def _zscores(scores: dict[tuple[int, int], float]) -> dict[tuple[int, int], float]:
    """(judge, innovation) → z-score against the judge's own mean and spread."""
    pooled = list(scores.values())
    g_mean = statistics.fmean(pooled)
    g_std = statistics.pstdev(pooled) if len(pooled) > 1 else 0.0
    by_judge: dict[int, list[float]] = defaultdict(list)
    for (judge, _innovation), value in scores.items():
        by_judge[judge].append(value)
    stats = {}
    for judge, values in by_judge.items():
        if len(values) >= 2:
            stats[judge] = (statistics.fmean(values), statistics.pstdev(values))
        else:
            stats[judge] = (g_mean, g_std)
    z: dict[tuple[int, int], float] = {}
    for (judge, innovation), value in scores.items():
        mean, std = stats[judge]
        z[(judge, innovation)] = (value - mean) / std if std > 1e-9 else 0.0
    return z


def zscore_scores(scores: dict[tuple[int, int], float]) -> dict[int, float]:
    """Innovation → the z-score normalised score used before the joint model (0-100).

    Every judge's scores become z-scores against the judge's own mean and spread; an
    innovation's mean z-score is mapped back onto the pooled mean and spread.
    """
    z = _zscores(scores)
    pooled = list(scores.values())
    g_mean = statistics.fmean(pooled)
    g_std = statistics.pstdev(pooled) if len(pooled) > 1 else 0.0
    by_innovation: dict[int, list[float]] = defaultdict(list)
    for (_judge, innovation), value in z.items():
        by_innovation[innovation].append(value)
    return {
        i: min(100.0, max(0.0, g_mean + g_std * statistics.fmean(v)))
        for i, v in by_innovation.items()
    }


def interval(score: float, se: float | None) -> tuple[float, float] | None:
    """The 90 % interval of an official score with standard error ``se`` (within 0-100)."""
    if se is None or math.isnan(se):
        return None
    half = judge_model.Z90 * se
    return (max(0.0, min(score, score - half)), min(100.0, max(score, score + half)))


def model_scores(
    scores: dict[tuple[int, int], float],
) -> dict[int, tuple[float, float]]:
    """Innovation → (joint-model score on 0-100, its standard error): one model fit."""
    if not scores:
        return {}
    judges = sorted({j for j, _i in scores})
    innovations = sorted({i for _j, i in scores})
    jx = {j: n for n, j in enumerate(judges)}
    ix = {i: n for n, i in enumerate(innovations)}
    keys = list(scores)
    fitted = judge_model.fit(
        np.array([jx[j] for j, _i in keys]),
        np.array([ix[i] for _j, i in keys]),
        np.array([scores[k] for k in keys]),
        len(judges),
        len(innovations),
    )
    return {i: (float(fitted.score[n]), float(fitted.se[n])) for i, n in ix.items()}


def _outliers(z: dict[tuple[int, int], float]) -> list[int]:
    by_innovation: dict[int, dict[int, float]] = defaultdict(dict)
    for (judge, innovation), value in z.items():
        by_innovation[innovation][judge] = value
    gaps: dict[int, list[float]] = defaultdict(list)
    for judged in by_innovation.values():
        if len(judged) < 2:
            continue
        for judge, value in judged.items():
            others = [v for j, v in judged.items() if j != judge]
            gaps[judge].append(abs(value - statistics.fmean(others)))
    return sorted(
        judge
        for judge, values in gaps.items()
        if len(values) >= OUTLIER_MIN_SHARED and statistics.fmean(values) > OUTLIER_GAP
    )


def _sort_key(item: InnovationResult, other: str) -> tuple[Any, ...]:
    other_value = getattr(item, other)
    return (
        -round(item.final_score or 0.0, 2),
        -round(other_value or 0.0, 2),
        -item.votes,
        item.title,
        item.innovation_id,
    )


def rank(items: list[InnovationResult], method: str) -> list[InnovationResult]:
    """Order and rank items by final score with the documented tie-break (ties share)."""
    other = "raw_score" if method == "normalized" else "normalized_score"
    scored = sorted(
        (i for i in items if i.final_score is not None), key=lambda i: _sort_key(i, other)
    )
    unscored = sorted(
        (i for i in items if i.final_score is None), key=lambda i: (i.title, i.innovation_id)
    )
    previous: tuple[Any, ...] | None = None
    for position, item in enumerate(scored, start=1):
        key = _sort_key(item, other)[:3]
        item.rank = scored[position - 2].rank if key == previous else position
        previous = key
    return scored + unscored


def compute(
    criteria: list[CriterionSpec],
    sheets: Iterable[Sheet],
    *,
    method: str = "normalized",
    public_weight: float = 0.0,
    innovations: dict[int, tuple[str, dict[str, Any] | None]] | None = None,
    assigned: dict[int, int] | None = None,
    votes: dict[int, int] | None = None,
    version: str | None = None,
) -> Results:
    """Compute every result from plain values (see the module doc for the method).

    ``version`` names the normalisation: the joint model's current version (default) or
    :data:`LEGACY_VERSION`, the per-judge z-scores of stages closed before results were
    stored.
    """
    version = version or judge_model.MODEL_VERSION
    innovations = dict(innovations or {})
    assigned = assigned or {}
    votes = votes or {}
    scores: dict[tuple[int, int], float] = {}
    values_by_innovation: dict[int, list[dict[str, float]]] = defaultdict(list)
    for sheet in sheets:
        innovations.setdefault(sheet.innovation_id, ("", None))
        if not sheet.submitted:
            continue
        score = judge_score(criteria, sheet.values)
        if score is None:
            continue
        scores[(sheet.judge_id, sheet.innovation_id)] = score
        values_by_innovation[sheet.innovation_id].append(sheet.values)
    items = {
        innovation_id: InnovationResult(
            innovation_id,
            title=title,
            organization=organization,
            assigned=assigned.get(innovation_id, 0),
            votes=votes.get(innovation_id, 0),
        )
        for innovation_id, (title, organization) in innovations.items()
    }
    z = _zscores(scores) if scores else {}
    pooled = list(scores.values())
    g_mean = statistics.fmean(pooled) if pooled else 0.0
    for (judge, innovation), value in scores.items():
        items[innovation].judge_scores[judge] = value
    max_votes = max(votes.values(), default=0)
    official = "normalized_score" if method == "normalized" else "raw_score"
    modelled = model_scores(scores)
    legacy = zscore_scores(scores) if version == LEGACY_VERSION and scores else {}
    for innovation_id, item in items.items():
        item.public_score = 100.0 * item.votes / max_votes if max_votes else 0.0
        if not item.judge_scores:
            continue
        judged = list(item.judge_scores.values())
        item.raw_score = statistics.fmean(judged)
        item.spread = statistics.pstdev(judged) if len(judged) > 1 else 0.0
        item.normalized_score, item.se = modelled[innovation_id]
        if legacy:
            item.normalized_score = legacy[innovation_id]
        item.criteria = {
            c.key: statistics.fmean(v[c.key] for v in values_by_innovation[innovation_id])
            for c in criteria
        }
        base = getattr(item, official)
        item.interval = interval(base, item.se)
        item.final_score = (1 - public_weight) * base + public_weight * item.public_score
        if item.spread > DISAGREEMENT_SPREAD:
            item.flags.append("disagreement")
        if item.completeness < 1.0:
            item.flags.append("incomplete")
    by_judge: dict[int, list[float]] = defaultdict(list)
    for (judge, _innovation), value in scores.items():
        by_judge[judge].append(value)
    leniency = {j: round(statistics.fmean(v) - g_mean, 2) for j, v in by_judge.items()}
    return Results(
        method=method,
        public_weight=public_weight,
        items=rank(list(items.values()), method),
        outlier_judges=_outliers(z),
        judge_leniency=leniency,
        method_version=version,
    )


def load_sheets(session: Session, stage: VotingStage) -> list[Sheet]:
    """Every score sheet of ``stage`` (drafts included; :func:`compute` skips them)."""
    values: dict[int, dict[str, float]] = defaultdict(dict)
    for assignment_id, key, value in session.execute(
        select(VotingScore.assignment_id, VotingScore.criterion_key, VotingScore.value)
        .join(VotingAssignment, VotingAssignment.id == VotingScore.assignment_id)
        .where(VotingAssignment.stage_id == stage.id)
    ):
        values[assignment_id][key] = value
    rows = session.execute(
        select(
            VotingAssignment.id,
            VotingAssignment.judge_id,
            VotingAssignment.innovation_id,
            VotingAssignment.submitted,
            VotingAssignment.comment,
        ).where(VotingAssignment.stage_id == stage.id)
    )
    return [
        Sheet(judge, innovation, values.get(aid, {}), submitted, comment or "")
        for aid, judge, innovation, submitted, comment in rows
    ]


def vote_counts(session: Session, event: Event) -> dict[int, int]:
    """People's-choice votes per innovation id."""
    rows = session.execute(
        select(VotingVote.innovation_id, func.count())
        .where(VotingVote.event_id == event.id)
        .group_by(VotingVote.innovation_id)
    )
    return {innovation_id: count for innovation_id, count in rows}


def _stage_innovations(
    session: Session, event: Event, stage: VotingStage
) -> dict[int, tuple[str, dict[str, Any] | None]]:
    """id → (title, organization) of the innovations judged in ``stage`` (one statement)."""
    query = (
        select(Innovation.id, Innovation.title, Organization.id, Organization.name)
        .join(Organization, Organization.id == Innovation.organization_id)
        .where(Innovation.event_id == event.id, Innovation.status == "accepted")
        .order_by(Innovation.id)
    )
    if stage.position > 1:
        query = query.join(VotingEntry, VotingEntry.innovation_id == Innovation.id).where(
            VotingEntry.stage_id == stage.id
        )
    return {
        iid: (title, {"id": org_id, "name": org_name})
        for iid, title, org_id, org_name in session.execute(query)
    }


def fingerprint(
    session: Session, event: Event, stage: VotingStage, version: str | None = None
) -> str:
    """The key of a stage's stored judge figures: the results version and the method's
    version (one small read).

    Every input of the figures (sheets, submit states, rubric, panel, judge roles, the
    stage's innovations) bumps the event's counter in the writing transaction (see
    :mod:`plugins.voting.results_version`), so an unchanged key means unchanged inputs.
    """
    global_version, event_version = results_version.current(session, event.id)
    return f"v{global_version}.{event_version}.s{stage.id}.{version or judge_model.MODEL_VERSION}"


def _payload(results: Results) -> str:
    """The judge-dependent figures of ``results`` as JSON (votes and ranks are applied live)."""
    return json.dumps(
        {
            "items": {
                str(i.innovation_id): [
                    {str(j): v for j, v in i.judge_scores.items()},
                    i.assigned,
                    i.raw_score,
                    i.normalized_score,
                    i.spread,
                    i.criteria,
                    i.se,
                ]
                for i in results.items
            },
            "outliers": results.outlier_judges,
            "leniency": {str(j): v for j, v in results.judge_leniency.items()},
            "version": results.method_version,
        },
        separators=(",", ":"),
    )


def _from_payload(
    payload: str,
    innovations: dict[int, tuple[str, dict[str, Any] | None]],
    *,
    method: str,
    public_weight: float,
    votes: dict[int, int],
) -> Results:
    """Rebuild :class:`Results` from a stored payload with the current votes and titles."""
    data = json.loads(payload)
    stored = data["items"]
    max_votes = max(votes.values(), default=0)
    official = "normalized_score" if method == "normalized" else "raw_score"
    items = []
    for innovation_id, (title, organization) in innovations.items():
        item = InnovationResult(
            innovation_id, title=title, organization=organization, votes=votes.get(innovation_id, 0)
        )
        item.public_score = 100.0 * item.votes / max_votes if max_votes else 0.0
        row = stored.get(str(innovation_id))
        if row is not None:
            judge_scores, item.assigned, item.raw_score, normalized, item.spread, crit = row[:6]
            item.judge_scores = {int(j): v for j, v in judge_scores.items()}
            item.normalized_score = normalized
            item.criteria = crit
            item.se = row[6] if len(row) > 6 else None
        if item.judge_scores:
            base = getattr(item, official)
            item.interval = interval(base, item.se)
            item.final_score = (1 - public_weight) * base + public_weight * item.public_score
            if item.spread > DISAGREEMENT_SPREAD:
                item.flags.append("disagreement")
            if item.completeness < 1.0:
                item.flags.append("incomplete")
        items.append(item)
    return Results(
        method=method,
        public_weight=public_weight,
        items=rank(items, method),
        outlier_judges=list(data["outliers"]),
        judge_leniency={int(j): v for j, v in data["leniency"].items()},
        method_version=data.get("version", LEGACY_VERSION),
    )


Write = Callable[[Session], None]
Store = Callable[[Write], None]


def store_in(db: Database) -> Store:
    """A ``store`` running a results write in its own short transaction (for reads).

    A busy write lock or a parallel worker storing the same figures first is not an error:
    the next read stores them.
    """

    def store(write: Write) -> None:
        try:
            with db.transaction() as session:
                write(session)
        except IntegrityError:
            pass
        except OperationalError as exc:
            if not is_busy_error(exc):
                raise

    return store


def store_here(session: Session) -> Store:
    """A ``store`` writing in ``session`` itself (a savepoint; the caller commits)."""

    def store(write: Write) -> None:
        try:
            with session.begin_nested():
                write(session)
        except IntegrityError:
            pass  # another worker stored the same figures first

    return store


def _store(session: Session, stage_id: int, key: str, payload: str) -> None:
    """Insert or replace the stored figures of a stage (a parallel insert is harmless)."""
    row = session.get(VotingResultsCache, stage_id)
    if row is not None:
        row.fingerprint, row.payload = key, payload
    else:
        session.add(VotingResultsCache(stage_id=stage_id, fingerprint=key, payload=payload))
    session.flush()


def stage_results(
    session: Session,
    event: Event,
    stage: VotingStage | None,
    *,
    method: str,
    public_weight: float,
    store: Store | None = None,
) -> Results:
    """The results of ``stage`` (every innovation judged there, scored or not).

    ``assigned`` counts the assignments of the stage's judges (its panel) plus any
    submitted sheet, so a judge who can no longer score does not make a result incomplete.

    The judge figures (means, z-score normalisation, spreads, outliers) are stored in
    ``voting_results_cache`` under the results version (:func:`fingerprint`) and recomputed
    only when it changes; votes, the public weight and the ranking are applied on every read.
    Fresh figures are kept through ``store`` (a read-only request passes :func:`store_in`),
    by default in ``session`` (:func:`store_here`), which the caller commits.
    """
    if stage is None:
        return Results(method, public_weight, [], [], {})
    # A stage closed before results were stored keeps the method of then (no stored row).
    version = LEGACY_VERSION if stage.status == "closed" else judge_model.MODEL_VERSION
    key = fingerprint(session, event, stage, version)  # read first: a later write only bumps it
    innovations = _stage_innovations(session, event, stage)
    votes = vote_counts(session, event)
    if stage.status == "closed":
        frozen = session.get(VotingStageResults, stage.id)
        if frozen is not None:
            return _from_payload(
                frozen.payload, innovations, method=method, public_weight=public_weight, votes=votes
            )
    cached = session.execute(
        select(VotingResultsCache.fingerprint, VotingResultsCache.payload).where(
            VotingResultsCache.stage_id == stage.id
        )
    ).first()
    if cached is not None and cached[0] == key:
        return _from_payload(
            cached[1], innovations, method=method, public_weight=public_weight, votes=votes
        )
    criteria = criteria_of(session, event, stage)
    judging = stage_panel(session, event, stage).ids
    sheets = [s for s in load_sheets(session, stage) if s.innovation_id in innovations]
    judging_set = set(judging)
    assigned: dict[int, int] = defaultdict(int)
    for sheet in sheets:
        if sheet.judge_id in judging_set or sheet.submitted:
            assigned[sheet.innovation_id] += 1
    computed = compute(
        criteria,
        sheets,
        method=method,
        public_weight=public_weight,
        innovations=innovations,
        assigned=assigned,
        votes=votes,
        version=version,
    )
    payload = _payload(computed)
    (store or store_here(session))(lambda writer: _store(writer, stage.id, key, payload))
    return computed


def freeze(session: Session, event: Event, stage: VotingStage) -> VotingStageResults:
    """Store the judge figures of ``stage`` as it closes, with the model version.

    A closed stage's results are read from this row from then on, so an upgrade of the
    method never moves a closed stage's ranking, nor what was built on it (advancement,
    awards, history).  Call before the stage's status turns ``closed``.
    """
    computed = stage_results(session, event, stage, method="normalized", public_weight=0.0)
    row = session.get(VotingStageResults, stage.id)
    if row is None:
        row = VotingStageResults(stage_id=stage.id)
        session.add(row)
    row.method_version = computed.method_version
    row.payload = _payload(computed)
    session.flush()
    return row


def spearman(a: list[float], b: list[float]) -> float:
    """Spearman's rank correlation of two equally long lists (average ranks for ties)."""

    def ranks(values: list[float]) -> list[float]:
        order = sorted(range(len(values)), key=lambda i: values[i])
        result = [0.0] * len(values)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
                j += 1
            for k in range(i, j + 1):
                result[order[k]] = (i + j) / 2 + 1
            i = j + 1
        return result

    ra, rb = ranks(a), ranks(b)
    ma, mb = statistics.fmean(ra), statistics.fmean(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    var = math.sqrt(sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb))
    return cov / var if var else 0.0
