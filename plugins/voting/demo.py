"""Demo data: the CETTAR rubric, a balanced assignment, some submitted scores, open votes."""

from __future__ import annotations

import random

from sqlalchemy.orm import Session

from core.db import utcnow
from core.models import Event
from core.plugin_helpers import merge_settings
from core.services.errors import ServiceError
from plugins.voting.assignment import auto_assign, stage_assignments
from plugins.voting.models import VotingAssignment, VotingScore
from plugins.voting.rubric import criteria_of, ensure_stage
from plugins.voting.settings import VotingSettings

DEMO_JUDGES_PER_INNOVATION = 2
DEMO_SCORED_SHARE = 0.4
# Realistic sheets: each innovation has one quality (0 to 1 of the scale) that its judges
# share; each judge reads it with a small leniency and spread bias, plus a little noise.
DEMO_MIDDLE = 0.6
DEMO_LENIENCY = 0.03
DEMO_SCALE = (0.85, 1.15)
DEMO_NOISE = 0.05


def seed_demo(session: Session, event: Event) -> None:
    """Seed once: later runs find the assignments and leave everything as it is."""
    stage = ensure_stage(session, event)
    if stage_assignments(session, stage):
        return
    # Judges can score and visitors can vote with the demo passes right away.
    merge_settings(
        event,
        "voting",
        VotingSettings,
        {"scoring_open": True, "public_voting_opens_at": utcnow().isoformat()},
    )
    try:
        auto_assign(session, event, DEMO_JUDGES_PER_INNOVATION, seed=2019)
    except ServiceError:  # a demo without enough judges simply has no assignment
        return
    rng = random.Random(2019)
    criteria = criteria_of(session, event, stage)
    rows = stage_assignments(session, stage)
    by_innovation: dict[int, list[VotingAssignment]] = {}
    for row in rows:
        by_innovation.setdefault(row.innovation_id, []).append(row)
    # Every judge of a scored innovation scores it, so the judges share innovations.
    scored = sorted(by_innovation)[: int(len(by_innovation) * DEMO_SCORED_SHARE)]
    quality = {i: rng.uniform(0.3, 0.95) for i in scored}
    bias = {
        j: (rng.gauss(0, DEMO_LENIENCY), rng.uniform(*DEMO_SCALE))
        for j in sorted({r.judge_id for r in rows})
    }
    for innovation_id in scored:
        for row in by_innovation[innovation_id]:
            leniency, scale = bias[row.judge_id]
            for criterion in criteria:
                share = _judged(quality[innovation_id], leniency, scale, rng)
                value = criterion.min + (criterion.max - criterion.min) * share
                row.scores.append(VotingScore(criterion_key=criterion.key, value=round(value)))
            row.submitted = True
    session.flush()


def _judged(quality: float, leniency: float, scale: float, rng: random.Random) -> float:
    """A judge's reading (0 to 1) of a shared ``quality``: bias, spread and a little noise."""
    seen = DEMO_MIDDLE + (quality - DEMO_MIDDLE) * scale + leniency + rng.gauss(0, DEMO_NOISE)
    return min(1.0, max(0.0, seen))
