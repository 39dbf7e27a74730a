"""Judging stages and their rubric: the default CETTAR criteria, editing, copying."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from core.i18n import N_, Msg
from core.models import Event
from core.services import audit
from core.services.errors import Conflict, ValidationFailed
from plugins.voting.models import VotingAssignment, VotingCriterion, VotingScore, VotingStage
from plugins.voting.settings import CETTAR_CRITERIA, CETTAR_DESCRIPTIONS

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
DEFAULT_STAGE_NAME = "Evaluasi dokumen"  # stored content: one name field, Indonesian
DEFAULT_MIN, DEFAULT_MAX = 1.0, 10.0
MAX_CRITERIA = 30


@dataclass(frozen=True)
class CriterionSpec:
    """A criterion as plain values (what the organizer sends, what results read)."""

    key: str
    label_id: str
    label_en: str
    weight: float = 1.0
    min: float = DEFAULT_MIN
    max: float = DEFAULT_MAX
    description: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (``label`` is filled in by the caller's locale)."""
        return {
            "key": self.key,
            "label_id": self.label_id,
            "label_en": self.label_en,
            "description": self.description,
            "weight": self.weight,
            "min": self.min,
            "max": self.max,
        }


def default_criteria() -> list[CriterionSpec]:
    """The CETTAR rubric: every value weighs 1 on a 1-10 scale."""
    return [
        CriterionSpec(key, label_id, label_en, description=CETTAR_DESCRIPTIONS.get(key, ""))
        for key, label_id, label_en in CETTAR_CRITERIA
    ]


def spec_of(criterion: VotingCriterion) -> CriterionSpec:
    """A stored criterion as a :class:`CriterionSpec`."""
    return CriterionSpec(
        key=criterion.key,
        label_id=criterion.label_id,
        label_en=criterion.label_en,
        weight=criterion.weight,
        min=criterion.min_value,
        max=criterion.max_value,
        description=criterion.description,
    )


def stages(session: Session, event: Event) -> list[VotingStage]:
    """The event's stages in order."""
    return list(
        session.scalars(
            select(VotingStage)
            .where(VotingStage.event_id == event.id)
            .order_by(VotingStage.position)
        )
    )


def current_stage(session: Session, event: Event) -> VotingStage | None:
    """The stage being judged: the first open one, else the last one (``None`` if none)."""
    all_stages = stages(session, event)
    for stage in all_stages:
        if stage.status == "open":
            return stage
    return all_stages[-1] if all_stages else None


def get_stage(session: Session, event: Event, stage_id: int | None) -> VotingStage | None:
    """The event's stage ``stage_id`` (``None`` → the current stage); ``None`` if unknown."""
    if stage_id is None:
        return current_stage(session, event)
    stage = session.get(VotingStage, stage_id)
    return stage if stage is not None and stage.event_id == event.id else None


def ensure_stage(session: Session, event: Event) -> VotingStage:
    """The current stage, creating the first one with the CETTAR rubric when there is none."""
    stage = current_stage(session, event)
    if stage is not None:
        return stage
    stage = VotingStage(event_id=event.id, name=DEFAULT_STAGE_NAME, position=1, status="open")
    session.add(stage)
    store_criteria(stage, default_criteria())
    session.flush()
    return stage


def criteria_of(
    session: Session, event: Event, stage: VotingStage | None = None
) -> list[CriterionSpec]:
    """The rubric of ``stage`` (default: the current one; CETTAR when there is no stage yet)."""
    stage = stage or current_stage(session, event)
    if stage is None:
        return default_criteria()
    return [spec_of(c) for c in stage.criteria]


def scoring_began(session: Session, stage: VotingStage) -> bool:
    """Whether any judge saved a score (draft or submitted) in ``stage``."""
    return bool(
        session.scalar(
            select(
                exists().where(
                    VotingScore.assignment_id == VotingAssignment.id,
                    VotingAssignment.stage_id == stage.id,
                )
            )
        )
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def validate_criteria(items: list[dict[str, Any]]) -> list[CriterionSpec]:
    """Check a rubric sent as dicts: 422 naming each bad field (``items.<i>.<field>``)."""
    fields: dict[str, list[str]] = {}
    specs: list[CriterionSpec] = []
    seen: set[str] = set()
    if not items:
        fields["items"] = [N_("Give at least one criterion.")]
    if len(items) > MAX_CRITERIA:
        fields["items"] = [Msg("Give at most %(max)s criteria.", max=MAX_CRITERIA)]
    for index, item in enumerate(items):
        where = f"items.{index}"
        if not isinstance(item, dict):
            fields[where] = [N_("Must be an object.")]
            continue
        key = item.get("key")
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            fields[f"{where}.key"] = [
                N_("Use lower-case letters, digits and underscores, starting with a letter.")
            ]
        elif key in seen:
            fields[f"{where}.key"] = [Msg("The key %(key)s is used twice.", key=repr(key))]
        else:
            seen.add(key)
        label = item.get("label")
        label_id = item.get("label_id") or label
        label_en = item.get("label_en") or label or label_id
        label_id = label_id or label_en
        if not isinstance(label_id, str) or not label_id.strip() or len(label_id) > 120:
            fields[f"{where}.label"] = [N_("Give a label of at most 120 characters.")]
        if not isinstance(label_en, str) or len(label_en or "") > 120:
            fields[f"{where}.label_en"] = [N_("Give a label of at most 120 characters.")]
        description = item.get("description") or ""
        if not isinstance(description, str) or len(description) > 2000:
            fields[f"{where}.description"] = [N_("Use at most 2000 characters.")]
        weight = _number(item.get("weight", 1.0))
        if weight is None or weight <= 0:
            fields[f"{where}.weight"] = [N_("The weight must be a number above 0.")]
        low = _number(item.get("min", DEFAULT_MIN))
        high = _number(item.get("max", DEFAULT_MAX))
        if low is None:
            fields[f"{where}.min"] = [N_("Must be a number.")]
        if high is None:
            fields[f"{where}.max"] = [N_("Must be a number.")]
        elif low is not None and low >= high:
            fields[f"{where}.min"] = [N_("The minimum must be below the maximum.")]
        if not any(name.startswith(where) for name in fields):
            specs.append(
                CriterionSpec(
                    key=str(key),
                    label_id=str(label_id).strip(),
                    label_en=str(label_en).strip(),
                    weight=float(weight),  # type: ignore[arg-type]
                    min=float(low),  # type: ignore[arg-type]
                    max=float(high),  # type: ignore[arg-type]
                    description=description.strip(),
                )
            )
    if fields:
        raise ValidationFailed(N_("The rubric is invalid."), fields=fields)
    return specs


def store_criteria(stage: VotingStage, specs: list[CriterionSpec]) -> None:
    stage.criteria = [
        VotingCriterion(
            key=spec.key,
            position=position,
            label_id=spec.label_id,
            label_en=spec.label_en,
            description=spec.description,
            weight=spec.weight,
            min_value=spec.min,
            max_value=spec.max,
        )
        for position, spec in enumerate(specs)
    ]


def replace_criteria(
    session: Session,
    event: Event,
    items: list[dict[str, Any]],
    *,
    stage: VotingStage | None = None,
    actor_id: int | None = None,
) -> list[CriterionSpec]:
    """Replace the rubric of ``stage`` (default: current); 409 once scoring began, 422 if bad."""
    specs = validate_criteria(items)
    stage = stage or ensure_stage(session, event)
    locked = session.get(VotingStage, stage.id, with_for_update=True)
    assert locked is not None
    if scoring_began(session, stage):
        raise Conflict(N_("Scoring has begun in this stage; the rubric can no longer change."))
    old = [spec.as_dict() for spec in criteria_of(session, event, stage)]
    stage.criteria.clear()
    session.flush()
    store_criteria(stage, specs)
    session.flush()
    audit.record(
        session,
        "voting.rubric_changed",
        event_id=event.id,
        user_id=actor_id,
        stage=stage.name,
        old=old,
        new=[spec.as_dict() for spec in specs],
    )
    return specs


def copy_rubric(session: Session, source: Event, target: Event) -> None:
    """Give ``target`` the stages and rubrics of ``source`` (no assignments, scores or votes)."""
    if stages(session, target):
        return
    for stage in stages(session, source):
        copy = VotingStage(
            event_id=target.id,
            name=stage.name,
            position=stage.position,
            status="open",
            advance_rule=stage.advance_rule,
            advance_value=stage.advance_value,
            tie_policy=stage.tie_policy,
        )
        session.add(copy)
        store_criteria(copy, [spec_of(c) for c in stage.criteria])
    session.flush()
