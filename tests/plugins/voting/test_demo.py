"""The demo event gets the CETTAR rubric, a balanced assignment and some scores, once."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select

from core.db import utcnow
from core.plugin_helpers import stored_settings
from core.services.demo import seed_demo
from plugins.voting import assignment, rubric
from plugins.voting.models import VotingAssignment, VotingScore
from plugins.voting.services import public_vote_state
from plugins.voting.settings import VotingSettings


def test_demo_seeds_voting_idempotently(db: Any, registry: Any) -> None:
    context = seed_demo(db, registry)
    db.commit()
    stage = rubric.current_stage(db, context.event)
    assert stage is not None and stage.criteria[0].key == "cepat"
    rows = assignment.stage_assignments(db, stage)
    assert len(rows) == 2 * len(context.innovations)
    loads = Counter(r.judge_id for r in rows)
    assert max(loads.values()) - min(loads.values()) <= 1
    scored = db.scalar(select(func.count()).select_from(VotingScore)) or 0
    assert scored > 0
    settings = stored_settings(context.event, "voting", VotingSettings)
    assert settings.scoring_open  # type: ignore[attr-defined]
    assert public_vote_state(settings, utcnow()) == "open"  # type: ignore[arg-type]
    # the upcoming edition is live too: its own stage, two judges per innovation
    assert context.upcoming is not None
    upcoming_stage = rubric.current_stage(db, context.upcoming)
    assert upcoming_stage is not None and upcoming_stage.name == "Evaluasi dokumen"
    upcoming_rows = assignment.stage_assignments(db, upcoming_stage)
    assert len(upcoming_rows) == 2 * 24
    upcoming_settings = stored_settings(context.upcoming, "voting", VotingSettings)
    assert upcoming_settings.scoring_open  # type: ignore[attr-defined]
    assert public_vote_state(upcoming_settings, utcnow()) == "open"  # type: ignore[arg-type]
    total = len(rows) + len(upcoming_rows)
    assert db.scalar(select(func.count()).select_from(VotingAssignment)) == total
    scored = db.scalar(select(func.count()).select_from(VotingScore)) or 0
    seed_demo(db, registry)
    db.commit()
    assert db.scalar(select(func.count()).select_from(VotingAssignment)) == total
    assert db.scalar(select(func.count()).select_from(VotingScore)) == scored


def test_demo_scores_share_each_innovations_quality(db: Any, registry: Any) -> None:
    """Judges scoring the same innovation agree: the calibration flags (almost) nobody."""
    from plugins.voting import confidence

    context = seed_demo(db, registry)
    db.commit()
    stage = rubric.current_stage(db, context.event)
    calibration = confidence.stage_calibration(db, context.event, stage)
    assert len(calibration.judges) == len(context.judges)
    assert sum(1 for j in calibration.judges if j.flagged) <= 1, calibration.judges
    assert calibration.connected, calibration.groups
    # small, realistic biases: no judge is far off the others
    assert all(abs(j.leniency) < 10 for j in calibration.judges), calibration.judges
