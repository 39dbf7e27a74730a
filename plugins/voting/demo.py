"""Demo data: the CETTAR rubric, a balanced assignment, some submitted scores, open votes."""

from __future__ import annotations

import random

from sqlalchemy.orm import Session

from core.db import utcnow
from core.models import Event
from core.plugin_helpers import merge_settings
from core.services.errors import ServiceError
from plugins.voting.assignment import auto_assign, stage_assignments
from plugins.voting.models import VotingScore
from plugins.voting.rubric import criteria_of, ensure_stage
from plugins.voting.settings import VotingSettings

DEMO_JUDGES_PER_INNOVATION = 2
DEMO_SCORED_SHARE = 0.4


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
    for row in rows[: int(len(rows) * DEMO_SCORED_SHARE)]:
        quality = rng.uniform(0.3, 0.95)
        for criterion in criteria:
            span = criterion.max - criterion.min
            value = criterion.min + span * min(1.0, max(0.0, quality + rng.gauss(0, 0.1)))
            row.scores.append(VotingScore(criterion_key=criterion.key, value=round(value)))
        row.submitted = True
    session.flush()
