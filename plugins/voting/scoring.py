"""A judge's scores for one innovation: validate against the rubric, save, audit."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from core.db import utcnow
from core.i18n import N_, Bilingual, Msg
from core.models import Event, Innovation, User
from core.services import audit
from core.services.errors import Conflict, NotFound, ValidationFailed
from plugins.voting.assignment import require_assignment
from plugins.voting.models import VotingAssignment, VotingScore
from plugins.voting.rubric import CriterionSpec, criteria_of, current_stage
from plugins.voting.settings import VotingSettings
from plugins.voting.stages import require_window

MAX_COMMENT = 5000


def event_innovation(session: Session, event: Event, innovation_id: int) -> Innovation:
    """An accepted innovation of ``event``; 404 otherwise."""
    innovation = session.get(Innovation, innovation_id)
    if innovation is None or innovation.event_id != event.id or innovation.status != "accepted":
        raise NotFound(N_("Unknown innovation."))
    return innovation


def validate_scores(
    criteria: list[CriterionSpec], scores: dict[str, Any], *, complete: bool
) -> dict[str, float]:
    """Check values against the rubric: 422 naming each missing, unknown or out-of-range key."""
    fields: dict[str, list[str]] = {}
    known = {c.key for c in criteria}
    for key in scores:
        if key not in known:
            fields[f"scores.{key}"] = [
                Msg("%(key)s is not a criterion of this rubric.", key=repr(key))
            ]
    clean: dict[str, float] = {}
    for criterion in criteria:
        value = scores.get(criterion.key)
        if value is None:
            if complete:
                fields[f"scores.{criterion.key}"] = [
                    Msg(
                        "Give a score for %(criterion)s.",
                        criterion=Bilingual(criterion.label_id, criterion.label_en),
                    )
                ]
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            fields[f"scores.{criterion.key}"] = [
                Msg(
                    "%(criterion)s: give a number.",
                    criterion=Bilingual(criterion.label_id, criterion.label_en),
                )
            ]
            continue
        if not criterion.min <= value <= criterion.max:
            fields[f"scores.{criterion.key}"] = [
                Msg(
                    "%(criterion)s: give a score from %(low)s to %(high)s.",
                    criterion=Bilingual(criterion.label_id, criterion.label_en),
                    low=format(criterion.min, "g"),
                    high=format(criterion.max, "g"),
                )
            ]
            continue
        clean[criterion.key] = float(value)
    if fields:
        labels = {c.key: c for c in criteria}
        keys = sorted(name.removeprefix("scores.") for name in fields)
        named_id = ", ".join(labels[k].label_id if k in labels else k for k in keys)
        named_en = ", ".join(labels[k].label_en if k in labels else k for k in keys)
        raise ValidationFailed(
            Msg("Check the scores for: %(named)s.", named=Bilingual(named_id, named_en)),
            fields=fields,
        )
    return clean


def current_scores(row: VotingAssignment) -> dict[str, float]:
    """The values saved on an assignment, by criterion key."""
    return {score.criterion_key: score.value for score in row.scores}


def save_scores(
    session: Session,
    event: Event,
    judge: User,
    innovation_id: int,
    scores: dict[str, Any],
    *,
    settings: VotingSettings,
    comment: str | None = None,
    submit: bool = True,
    now: datetime | None = None,
) -> VotingAssignment:
    """Store a judge's scores (a draft, or submitted when ``submit``) and audit old → new.

    404 unknown innovation; 403 not assigned or conflicted; 409 once scoring is closed
    (the ``scoring_open`` setting or the stage) and outside the stage's judging window
    (``now``, default the current time); 422 naming the criterion when a value is
    missing (on submit), unknown or out of range.  Nothing is saved on any error.
    """
    innovation = event_innovation(session, event, innovation_id)
    stage = current_stage(session, event)
    row = require_assignment(session, event, judge, stage, innovation)
    assert stage is not None
    if not settings.scoring_open or stage.status != "open":
        raise Conflict(N_("Scoring is closed."))
    require_window(event, stage, now or utcnow())
    if comment is not None and (not isinstance(comment, str) or len(comment) > MAX_COMMENT):
        raise ValidationFailed(
            N_("The comment is too long."),
            fields={"comment": [Msg("Use at most %(max)s characters.", max=MAX_COMMENT)]},
        )
    clean = validate_scores(criteria_of(session, event, stage), scores, complete=submit)
    old = {"scores": current_scores(row), "comment": row.comment, "submitted": row.submitted}
    by_key = {score.criterion_key: score for score in row.scores}
    for key, value in clean.items():
        if key in by_key:
            by_key[key].value = value
        else:
            row.scores.append(VotingScore(criterion_key=key, value=value))
    if comment is not None:
        row.comment = comment.strip()
    row.submitted = bool(submit)
    row.updated_at = utcnow()
    row.version = (row.version or 0) + 1
    session.flush()
    new = {"scores": current_scores(row), "comment": row.comment, "submitted": row.submitted}
    audit.record(
        session,
        "voting.scores_saved",
        event_id=event.id,
        user_id=judge.id,
        stage=stage.name,
        innovation=innovation.id,
        old=old,
        new=new,
    )
    return row
