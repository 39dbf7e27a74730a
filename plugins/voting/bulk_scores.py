"""A judge's own score sheets saved in one request (API.md, "Bulk (national scale)").

Every row is checked first (assigned, no conflict of interest, rubric keys and ranges, the
comment); any invalid row → 422 naming ``items.<row>.<field>`` and nothing is stored.  Then,
with a fixed number of statements whatever the number of rows, each row is applied unless its
``client_id`` was applied before (answered as it was then) or its ``based_on`` is older than
the sheet's stored ``version`` (that row answers ``conflict``, the others are saved).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from core.db import utcnow
from core.i18n import N_
from core.models import Event, Innovation, User
from core.services import audit
from core.services.errors import Conflict, Forbidden, ValidationFailed
from core.services.roles import judge_conflict_organization_ids
from plugins.voting import panels, syncs
from plugins.voting.models import VotingAssignment, VotingScore, VotingScoreRequest
from plugins.voting.rubric import criteria_of, current_stage
from plugins.voting.scoring import MAX_COMMENT, validate_scores
from plugins.voting.settings import VotingSettings
from plugins.voting.stages import require_window

MAX_ROWS = 5000


@dataclass
class SheetIn:
    """One row of the request, as parsed by the API."""

    innovation: int
    scores: dict[str, Any]
    comment: str | None = None
    submit: bool = False
    client_id: str | None = None
    based_on: int | None = None
    edited_at: datetime | None = None


@dataclass
class SheetResult:
    """What one row did: ``saved``, ``submitted`` or ``conflict``, and the sheet's version."""

    innovation: int
    status: str
    version: int

    def as_dict(self) -> dict[str, Any]:
        """The row of the answer."""
        return {"innovation": self.innovation, "status": self.status, "version": self.version}


def save_sheets(
    session: Session,
    event: Event,
    judge: User,
    rows: list[SheetIn],
    *,
    settings: VotingSettings,
    now: datetime | None = None,
) -> list[SheetResult]:
    """Save ``judge``'s sheets of the current stage, all rows or none; one result per row.

    403 off the stage's panel; 409 when scoring is closed or outside the judging window;
    422 with ``items.<row>.<field>`` for every invalid row (more than 5,000 rows → 422 on
    ``items``).
    """
    if len(rows) > MAX_ROWS:
        raise ValidationFailed(
            N_("At most 5,000 rows a request."), fields={"items": [N_("At most 5,000 rows.")]}
        )
    stage = current_stage(session, event)
    if stage is None or not panels.is_stage_judge(session, event, stage, judge):
        raise Forbidden(N_("You are not on the panel of judges of this stage."))
    if not settings.scoring_open or stage.status != "open":
        raise Conflict(N_("Scoring is closed."))
    require_window(event, stage, now or utcnow())
    criteria = criteria_of(session, event, stage)
    conflicted = judge_conflict_organization_ids(session, event, judge)
    sheets: dict[int, tuple[int, int, bool, int | None, str]] = {}
    for (
        assignment_id,
        innovation_id,
        version,
        submitted,
        organization_id,
        status,
    ) in session.execute(
        select(
            VotingAssignment.id,
            VotingAssignment.innovation_id,
            VotingAssignment.version,
            VotingAssignment.submitted,
            Innovation.organization_id,
            Innovation.status,
        )
        .join(Innovation, Innovation.id == VotingAssignment.innovation_id)
        .where(
            VotingAssignment.stage_id == stage.id,
            VotingAssignment.judge_id == judge.id,
            Innovation.event_id == event.id,
        )
        # The judge's sheets stay locked until commit (PostgreSQL): two saves of the same
        # judge run one after the other, so versions and client ids are read fresh.
        .with_for_update(of=VotingAssignment)
    ):
        sheets[innovation_id] = (assignment_id, version, submitted, organization_id, status)

    fields: dict[str, list[str]] = {}
    clean_rows: list[dict[str, float]] = []
    seen_innovations: set[int] = set()
    seen_clients: set[str] = set()
    for n, row in enumerate(rows):
        prefix = f"items.{n}"
        clean_rows.append({})
        sheet = sheets.get(row.innovation)
        if sheet is None or sheet[4] != "accepted":
            fields[f"{prefix}.innovation"] = [N_("You are not assigned to score this innovation.")]
            continue
        if sheet[3] in conflicted:
            fields[f"{prefix}.innovation"] = [
                N_("You have a conflict of interest with this innovation's organization.")
            ]
            continue
        key = row.client_id
        if row.innovation in seen_innovations and (key is None or key not in seen_clients):
            fields[f"{prefix}.innovation"] = [N_("This innovation is already in the request.")]
            continue
        seen_innovations.add(row.innovation)
        if key is not None:
            seen_clients.add(key)
        if row.comment is not None and len(row.comment) > MAX_COMMENT:
            fields[f"{prefix}.comment"] = [N_("At most 5,000 characters.")]
        try:
            clean_rows[n] = validate_scores(criteria, row.scores, complete=row.submit)
        except ValidationFailed as exc:
            for name, messages in exc.fields.items():
                fields[f"{prefix}.{name}"] = messages
    if fields:
        raise ValidationFailed(N_("Some rows are invalid; nothing was saved."), fields=fields)

    client_ids = [row.client_id for row in rows if row.client_id is not None]
    applied: dict[str, SheetResult] = {}
    if client_ids:
        for client_id, innovation_id, status, version in session.execute(
            select(
                VotingScoreRequest.client_id,
                VotingScoreRequest.innovation_id,
                VotingScoreRequest.status,
                VotingScoreRequest.version,
            ).where(
                VotingScoreRequest.judge_id == judge.id,
                VotingScoreRequest.client_id.in_(set(client_ids)),
            )
        ):
            applied[client_id] = SheetResult(innovation_id, status, version)

    to_write = [
        n
        for n, row in enumerate(rows)
        if not (row.client_id is not None and row.client_id in applied)
    ]
    assignment_ids = [sheets[rows[n].innovation][0] for n in to_write]
    existing: dict[tuple[int, str], int] = {}
    if assignment_ids:
        for score_id, assignment_id, key in session.execute(
            select(VotingScore.id, VotingScore.assignment_id, VotingScore.criterion_key).where(
                VotingScore.assignment_id.in_(assignment_ids)
            )
        ):
            existing[(assignment_id, key)] = score_id

    results: list[SheetResult] = []
    versions = {innovation: sheet[1] for innovation, sheet in sheets.items()}
    sheet_updates: list[dict[str, Any]] = []
    score_updates: list[dict[str, Any]] = []
    score_inserts: list[dict[str, Any]] = []
    requests: list[dict[str, Any]] = []
    written: list[int] = []
    stamp = utcnow()
    for n, row in enumerate(rows):
        if row.client_id is not None and row.client_id in applied:
            results.append(applied[row.client_id])
            continue
        assignment_id = sheets[row.innovation][0]
        version = versions[row.innovation]
        if row.based_on is not None and row.based_on < version:
            result = SheetResult(row.innovation, "conflict", version)
        else:
            version += 1
            versions[row.innovation] = version
            for key, value in clean_rows[n].items():
                score_id = existing.get((assignment_id, key))
                if score_id is None:
                    score_inserts.append(
                        {"assignment_id": assignment_id, "criterion_key": key, "value": value}
                    )
                else:
                    score_updates.append({"id": score_id, "value": value})
            change: dict[str, Any] = {
                "id": assignment_id,
                "submitted": bool(row.submit),
                "version": version,
                "updated_at": stamp,
            }
            if row.comment is not None:
                change["comment"] = row.comment.strip()
            sheet_updates.append(change)
            written.append(row.innovation)
            result = SheetResult(row.innovation, "submitted" if row.submit else "saved", version)
        results.append(result)
        if row.client_id is not None:
            applied[row.client_id] = result
            requests.append(
                {
                    "judge_id": judge.id,
                    "client_id": row.client_id,
                    "innovation_id": row.innovation,
                    "status": result.status,
                    "version": result.version,
                    "created_at": stamp,
                }
            )

    # Rows without a comment leave it alone: group updates by the columns they set.
    for with_comment in (True, False):
        batch = [c for c in sheet_updates if ("comment" in c) is with_comment]
        if batch:
            session.execute(update(VotingAssignment), batch)
    if score_updates:
        session.execute(update(VotingScore), score_updates)
    if score_inserts:
        session.execute(insert(VotingScore), score_inserts)
    if requests:
        session.execute(insert(VotingScoreRequest), requests)
    session.expire_all()
    device_times = [row.edited_at for row in rows if row.edited_at is not None]
    conflicts = sum(1 for result in results if result.status == "conflict")
    if rows:
        # Both clocks per sheet a device sent (the offline judging app): when the judge
        # changed it on the tablet, and when it arrived here.
        audit.record(
            session,
            "voting.scores_saved_in_bulk",
            event_id=event.id,
            user_id=judge.id,
            stage=stage.name,
            innovations=sorted(set(written)),
            rows=len(rows),
            received_at=stamp.isoformat(),
            sheets=[
                {
                    "innovation": row.innovation,
                    "client_id": row.client_id,
                    "status": result.status,
                    "version": result.version,
                    "edited_at": row.edited_at.isoformat(),
                    "received_at": stamp.isoformat(),
                }
                for row, result in zip(rows, results, strict=True)
                if row.edited_at is not None
            ],
        )
        syncs.record_sync(
            session,
            event.id,
            judge.id,
            received_at=stamp,
            edited_at=max(device_times) if device_times else None,
            sheets=len(rows),
            conflicts=conflicts,
        )
    return results
