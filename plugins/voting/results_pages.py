"""A page of a stage's ranking, read from stored rows: the results at any size.

The ranking is stored in ``voting_results_rows``, one row per innovation in ranked order
(position 0 holds the totals and the outlier judges), under a key made of the results
version (:mod:`plugins.voting.results_version`), the method, the public weight and, when
the public vote weighs in, a digest of the votes.  A read is then a few small statements
whatever the number of innovations: the counters, the header, one primary-key range of
rows joined to the live titles and agencies, and the votes of the rows shown.

When the key changed, :func:`plugins.voting.results.stage_results` computes the results
(whatever model it uses) and the rows are replaced through the caller's ``store``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from core.models import Event, Innovation, Organization
from plugins.voting import results as results_service
from plugins.voting.models import VotingResultsRow, VotingStage, VotingVote

LIVE_FIELDS = ("innovation", "votes")  # joined on every read, not stored


@dataclass
class ResultsPage:
    """One page of the ranking: API items, how many there are, the outlier judges."""

    items: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    ranked: int = 0
    outlier_judges: list[int] = field(default_factory=list)
    method_version: str = results_service.judge_model.MODEL_VERSION


def ranking_key(
    session: Session, event: Event, stage: VotingStage, *, method: str, public_weight: float
) -> str:
    """The key of a stored ranking: results version, method, weight (and votes if weighed)."""
    parts: list[Any] = [
        results_service.fingerprint(session, event, stage),
        method,
        round(public_weight, 6),
    ]
    if public_weight > 0:
        count, last = session.execute(
            select(func.count(VotingVote.id), func.max(VotingVote.id)).where(
                VotingVote.event_id == event.id
            )
        ).one()
        parts += [int(count or 0), int(last or 0)]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _stored(item: dict[str, Any]) -> str:
    return json.dumps(
        {k: v for k, v in item.items() if k not in LIVE_FIELDS}, separators=(",", ":")
    )


def replace_rows(
    session: Session, stage_id: int, key: str, computed: results_service.Results
) -> None:
    """Store ``computed`` as the stage's ranking rows under ``key`` (replacing older ones)."""
    items = [item.as_dict(computed.method) for item in computed.items]
    header = {
        "total": len(items),
        "ranked": sum(1 for item in items if item["rank"] is not None),
        "outlier_judges": list(computed.outlier_judges),
        "method_version": computed.method_version,
    }
    session.execute(delete(VotingResultsRow).where(VotingResultsRow.stage_id == stage_id))
    rows = [
        {
            "stage_id": stage_id,
            "position": 0,
            "fingerprint": key,
            "innovation_id": None,
            "rank": None,
            "data": json.dumps(header),
        }
    ]
    rows += [
        {
            "stage_id": stage_id,
            "position": position,
            "fingerprint": key,
            "innovation_id": item["innovation"]["id"],
            "rank": item["rank"],
            "data": _stored(item),
        }
        for position, item in enumerate(items, start=1)
    ]
    session.execute(insert(VotingResultsRow), rows)


def _window(count: int, limit: int | None, offset: int) -> tuple[int, int]:
    """Positions (first, last) of a page among ``count`` rows (last < first: empty)."""
    last = count if limit is None else min(count, offset + limit)
    return offset + 1, last


def _vote_counts(session: Session, event: Event, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = session.execute(
        select(VotingVote.innovation_id, func.count())
        .where(VotingVote.event_id == event.id, VotingVote.innovation_id.in_(ids))
        .group_by(VotingVote.innovation_id)
    )
    return {innovation_id: int(count) for innovation_id, count in rows}


def _read(
    session: Session,
    event: Event,
    stage: VotingStage,
    key: str,
    *,
    limit: int | None,
    offset: int,
    ranked_only: bool,
) -> ResultsPage | None:
    """The page from stored rows, or ``None`` when they are missing or stale."""
    header = session.execute(
        select(VotingResultsRow.fingerprint, VotingResultsRow.data).where(
            VotingResultsRow.stage_id == stage.id, VotingResultsRow.position == 0
        )
    ).first()
    if header is None or header[0] != key:
        return None
    meta = json.loads(header[1])
    first, last = _window(meta["ranked"] if ranked_only else meta["total"], limit, offset)
    page = ResultsPage(
        [],
        meta["total"],
        meta["ranked"],
        list(meta["outlier_judges"]),
        meta.get("method_version", results_service.LEGACY_VERSION),
    )
    if last < first:
        return page
    rows = session.execute(
        select(
            VotingResultsRow.innovation_id,
            VotingResultsRow.data,
            Innovation.title,
            Organization.id,
            Organization.name,
        )
        .outerjoin(Innovation, Innovation.id == VotingResultsRow.innovation_id)
        .outerjoin(Organization, Organization.id == Innovation.organization_id)
        .where(
            VotingResultsRow.stage_id == stage.id,
            VotingResultsRow.fingerprint == key,
            VotingResultsRow.position.between(first, last),
        )
        .order_by(VotingResultsRow.position)
    ).all()
    if len(rows) != last - first + 1:
        return None  # replaced while we read: compute instead
    votes = _vote_counts(session, event, [row[0] for row in rows])
    for innovation_id, data, title, org_id, org_name in rows:
        item = json.loads(data)
        item["innovation"] = {
            "id": innovation_id,
            "title": title or "",
            "organization": None if org_id is None else {"id": org_id, "name": org_name},
        }
        item["votes"] = votes.get(innovation_id, 0)
        page.items.append(item)
    return page


def results_page(
    session: Session,
    event: Event,
    stage: VotingStage | None,
    *,
    method: str,
    public_weight: float,
    limit: int | None = None,
    offset: int = 0,
    ranked_only: bool = False,
    store: results_service.Store | None = None,
) -> ResultsPage:
    """A page of ``stage``'s ranking as API items (``ranked_only``: scored ones only).

    Read from the stored rows when their key is current; otherwise the results are computed
    by :func:`plugins.voting.results.stage_results` and the rows replaced through ``store``
    (a read-only request passes :func:`plugins.voting.results.store_in`; by default they are
    written in ``session``, which the caller commits).
    """
    if stage is None:
        return ResultsPage()
    key = ranking_key(session, event, stage, method=method, public_weight=public_weight)
    page = _read(session, event, stage, key, limit=limit, offset=offset, ranked_only=ranked_only)
    if page is not None:
        return page
    computed = results_service.stage_results(
        session, event, stage, method=method, public_weight=public_weight, store=store
    )
    stage_id = stage.id
    (store or results_service.store_here(session))(
        lambda writer: replace_rows(writer, stage_id, key, computed)
    )
    items = [item.as_dict(method) for item in computed.items]
    ranked = sum(1 for item in items if item["rank"] is not None)
    first, last = _window(ranked if ranked_only else len(items), limit, offset)
    return ResultsPage(
        items[first - 1 : last],
        len(items),
        ranked,
        computed.outlier_judges,
        computed.method_version,
    )
