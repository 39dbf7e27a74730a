"""What the offline judging app keeps on the judge's tablet: one bundle per judge and event.

The app (``/<event>/voting/judge/app/``) asks for this bundle whenever it is online and
stores it in the browser (IndexedDB); with no network it works from the stored copy.  The
bundle holds the current stage and whether it takes scores, the rubric (labels in the
reader's language, descriptions, scale), and the judge's assigned innovations of the stage
with their descriptions and the sheet as the server has it (scores, comment, submitted,
``version`` — what the app sends back as ``based_on``).  Innovations of an organization the
judge has a conflict of interest with are left out, as the server would refuse their sheets.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import cettar
from core.models import Event, User
from core.services.roles import judge_conflict_organization_ids
from plugins.voting import assignment, panels, rubric, stages
from plugins.voting.models import VotingScore
from plugins.voting.settings import VotingSettings


def scale_steps(spec: rubric.CriterionSpec) -> list[int] | None:
    """Whole-number buttons for a short scale (at most 11 steps), else ``None`` (a number box)."""
    low, high = spec.min, spec.max
    if low != int(low) or high != int(high) or high - low > 10:
        return None
    return list(range(int(low), int(high) + 1))


def stage_state(settings: VotingSettings, stage: Any, now: datetime) -> str:
    """``open``, ``closed`` (setting or stage), ``not_yet`` or ``over`` (judging window)."""
    if stage is None or not settings.scoring_open or stage.status != "open":
        return "closed"
    return stages.window_state(stage, now)


def judge_bundle(
    session: Session,
    event: Event,
    judge: User,
    *,
    settings: VotingSettings,
    locale: str,
    now: datetime,
) -> dict[str, Any]:
    """The judge's bundle for the offline app (JSON-ready; see the module docstring)."""
    stage = rubric.current_stage(session, event)
    criteria = rubric.criteria_of(session, event, stage)
    on_panel = stage is not None and panels.is_stage_judge(session, event, stage, judge)
    rows = assignment.judge_queue(session, event, judge, stage) if on_panel else []
    conflicted = judge_conflict_organization_ids(session, event, judge)
    rows = [
        (row, innovation)
        for row, innovation in rows
        if innovation.status == "accepted" and innovation.organization_id not in conflicted
    ]
    values: dict[int, dict[str, float]] = {row.id: {} for row, _i in rows}
    if values:
        for assignment_id, key, value in session.execute(
            select(VotingScore.assignment_id, VotingScore.criterion_key, VotingScore.value).where(
                VotingScore.assignment_id.in_(list(values))
            )
        ):
            values[assignment_id][key] = value
    english = locale != "id"
    return {
        "event": {"slug": event.slug, "name": event.name},
        "judge": {"id": judge.id, "name": judge.name},
        "stage": None
        if stage is None
        else {
            "id": stage.id,
            "name": stage.name,
            "state": stage_state(settings, stage, now),
        },
        "on_panel": on_panel,
        "criteria": [
            {
                "key": spec.key,
                "label": (spec.label_en or spec.label_id) if english else spec.label_id,
                "description": cettar.localized_description(spec.description or "", locale),
                "min": spec.min,
                "max": spec.max,
                "weight": spec.weight,
                "steps": scale_steps(spec),
            }
            for spec in criteria
        ],
        "sheets": [
            {
                "innovation": innovation.id,
                "title": innovation.title,
                "organization": innovation.organization.name if innovation.organization else "",
                "summary": innovation.summary or "",
                "category": innovation.category or "",
                "scores": values[row.id],
                "comment": row.comment or "",
                "submitted": row.submitted,
                "version": row.version,
            }
            for row, innovation in rows
        ],
        "fetched_at": now.isoformat(),
    }
