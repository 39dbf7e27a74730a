"""The Judging confidence section of API.md: extra judges for close calls, calibration.

Routes on the Voting API blueprint (:data:`plugins.voting.api.bp`).
"""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from core.api import endpoint, organizer_event, parse_body, require_user, translated
from core.db import get_session
from core.i18n import translate
from core.services.errors import ServiceError
from core.web import commit
from plugins.voting import assignment as assignments
from plugins.voting import confidence, rubric
from plugins.voting import results as results_service
from plugins.voting import schemas as s
from plugins.voting.api import (
    BODY_ERRORS,
    STAGE_QUERY,
    TAGS,
    bp,
    requested_stage,
    voting_settings,
)


@bp.post("/assignments/top-up")
@endpoint(
    summary="Extra judges for the close calls at a cut-off",
    tags=TAGS,
    body=s.TopUpIn,
    response=s.TopUpOut,
    errors=(*BODY_ERRORS, 409),
    auth=True,
)
def top_up(event: str) -> ResponseReturnValue:
    """Up to ``extra`` new assignments, only to close calls; 409 when the stage is closed."""
    target = organizer_event(event)
    data = parse_body(s.TopUpIn)
    session = get_session()
    settings = voting_settings(target)
    stage = rubric.current_stage(session, target)
    computed = results_service.stage_results(
        session, target, stage, method=settings.method, public_weight=settings.public_weight
    )
    try:
        outcome = confidence.top_up(
            session, target, computed, data.top, data.extra, actor_id=require_user().id
        )
    except ServiceError as exc:
        raise translated(exc) from None
    users = {u.id: u for u in assignments.judges(session, target)}
    titles = {i.innovation_id: i.title for i in computed.items}
    body = {
        "added": [
            {
                "judge": {"id": j, "name": getattr(users.get(j), "name", "") or ""},
                "innovation": {"id": i, "title": titles.get(i, "")},
            }
            for j, i in outcome.added
        ],
        "close_calls": outcome.close_calls,
    }
    commit()
    return jsonify(body)


@bp.get("/judges/calibration")
@endpoint(
    summary="Each judge's leniency, scale and agreement with the others",
    tags=TAGS,
    response=s.CalibrationOut,
    errors=(401, 403, 404, 422),
    auth=True,
    query=STAGE_QUERY,
)
def judge_calibration(event: str) -> ResponseReturnValue:
    """Leniency in points, scale, agreement, flagged judges with reasons; connected groups."""
    target = organizer_event(event)
    session = get_session()
    stage = requested_stage(session, target)
    calibration = confidence.stage_calibration(session, target, stage)
    users = {u.id: u for u in assignments.judges(session, target)}
    return jsonify(confidence.calibration_json(calibration, users, translate))
