"""The Voting section of API.md under ``/api/v1/events/<event>/``."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _

from core import metrics
from core.api import (
    ApiBlueprint,
    ApiError,
    api_event,
    endpoint,
    organizer_event,
    pagination,
    parse_body,
    query_int,
    require_user,
    translated,
)
from core.api.schemas import LIMIT_PARAM, OFFSET_PARAM
from core.db import get_connection, get_session, utcnow
from core.extensions import limiter
from core.models import Event, Innovation, User
from core.plugin_helpers import stored_settings
from core.services.errors import ServiceError
from core.web import commit, is_event_organizer, lean, lean_event, signed_in_user
from plugins.voting import assignment as assignments
from plugins.voting import (
    bulk_scores,
    confidence,
    guard,
    panels,
    results_pages,
    rubric,
    scoring,
    stages,
    votes,
)
from plugins.voting import results as results_service
from plugins.voting import schemas as s
from plugins.voting.models import VotingAssignment, VotingStage
from plugins.voting.settings import VotingSettings
from plugins.voting.views import results_store

bp = ApiBlueprint("voting_api", __name__, url_prefix="/api/v1/events/<event>")
TAGS = ["Voting"]
BODY_ERRORS = (400, 401, 403, 404, 413, 422)


def voting_settings(event: Event) -> VotingSettings:
    """The event's voting settings."""
    return stored_settings(event, "voting", VotingSettings)  # type: ignore[return-value]


def criterion_json(spec: rubric.CriterionSpec) -> dict[str, Any]:
    """A rubric line with ``label`` in the request's language."""
    label = spec.label_id if str(get_locale()) == "id" else spec.label_en
    return {**spec.as_dict(), "label": label or spec.label_id}


def rubric_json(
    stage: VotingStage | None, specs: list[rubric.CriterionSpec], *, locked: bool
) -> dict[str, Any]:
    """A stage's rubric as the criteria endpoints answer it."""
    items = [criterion_json(spec) for spec in specs]
    return {
        "stage": None if stage is None else {"id": stage.id, "name": stage.name},
        "items": items,
        "total": len(items),
        "locked": bool(locked),
    }


def stage_json(
    session: Any, event: Event, stage: VotingStage, user: User | None = None
) -> dict[str, Any]:
    """A stage with the number of innovations judged in it and its judges.

    ``judges`` (the chosen panel's ids, empty when every event judge judges the stage) is
    shown to organizers only; ``on_panel`` says whether ``user`` judges the stage.
    """
    panel = panels.stage_panel(session, event, stage)
    return {
        "id": stage.id,
        "name": stage.name,
        "position": stage.position,
        "status": stage.status,
        "advance_rule": stage.advance_rule,
        "advance_value": stage.advance_value,
        "tie_policy": stage.tie_policy,
        "innovations": len(assignments.stage_innovations(session, event, stage)),
        "opens_at": stage.opens_at.isoformat() if stage.opens_at else None,
        "closes_at": stage.closes_at.isoformat() if stage.closes_at else None,
        "window": stages.window_state(stage, utcnow()),
        "all_judges": panel.all_judges,
        "judges": panel.members if is_event_organizer(event) else None,
        "judge_count": len(panel.judges),
        "on_panel": user is not None and user.id in panel.ids,
    }


def brief_innovation(innovation: Innovation) -> dict[str, Any]:
    """``{id, title, organization: {id, name}}``."""
    return {
        "id": innovation.id,
        "title": innovation.title,
        "category": innovation.category,
        "organization": {"id": innovation.organization.id, "name": innovation.organization.name},
    }


def organizer_or_judge_event(slug: str) -> tuple[Event, User]:
    """The event when the caller organizes or judges it: 401/403 otherwise."""
    user = require_user()
    event = api_event(slug)
    if not (is_event_organizer(event) or assignments.is_judge(get_session(), event, user)):
        raise ApiError(403, "forbidden", _("Only organizers and judges may do this."))
    return event, user


STAGE_QUERY = {
    "stage": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1, "description": "Stage id"}
}  # ``?stage=<id>``, read by :func:`requested_stage`


def requested_stage(session: Any, event: Event) -> VotingStage | None:
    """``?stage=<id>`` or the current stage; 404 for an unknown stage id."""
    stage_id = query_int("stage")
    stage = rubric.get_stage(session, event, stage_id)
    if stage_id is not None and stage is None:
        raise ApiError(404, "not_found", _("Unknown stage."))
    return stage


@bp.get("/criteria")
@endpoint(
    summary="The rubric of the current stage",
    tags=TAGS,
    response=s.CriteriaOut,
    errors=(401, 403, 404, 422),
    auth=True,
    query=STAGE_QUERY,
)
def get_criteria(event: str) -> ResponseReturnValue:
    """Organizers and judges; the CETTAR criteria until the organizer changes them."""
    target, _user = organizer_or_judge_event(event)
    session = get_session()
    stage = requested_stage(session, target)
    specs = rubric.criteria_of(session, target, stage)
    locked = stage is not None and rubric.scoring_began(session, stage)
    return jsonify(rubric_json(stage, specs, locked=locked))


@bp.put("/criteria")
@endpoint(
    summary="Replace the rubric of the current stage",
    tags=TAGS,
    body=s.CriteriaIn,
    response=s.CriteriaOut,
    errors=(*BODY_ERRORS, 409),
    auth=True,
)
def put_criteria(event: str) -> ResponseReturnValue:
    """409 once scoring has begun; 422 on a duplicate key, min ≥ max or a weight ≤ 0."""
    target = organizer_event(event)
    data = parse_body(s.CriteriaIn)
    session = get_session()
    specs = rubric.replace_criteria(
        session,
        target,
        [item.model_dump(exclude_none=True) for item in data.items],
        actor_id=require_user().id,
    )
    stage = rubric.current_stage(session, target)
    assert stage is not None
    commit()
    return jsonify(rubric_json(stage, specs, locked=False))


@bp.post("/assignments/auto")
@endpoint(
    summary="Assign judges automatically (balanced, conflicts respected)",
    tags=TAGS,
    body=s.AutoAssignIn,
    response=s.AssignmentReportOut,
    errors=(*BODY_ERRORS, 409),
    auth=True,
)
def auto_assign(event: str) -> ResponseReturnValue:
    """Every innovation gets k judges; existing assignments are kept; 409 with reasons."""
    target = organizer_event(event)
    data = parse_body(s.AutoAssignIn)
    report = assignments.auto_assign(
        get_session(),
        target,
        data.judges_per_innovation,
        seed=data.seed,
        actor_id=require_user().id,
    )
    commit()
    return jsonify(report.as_dict())


def assignment_json(
    row: VotingAssignment, innovation: Innovation, judge: User | None, stage: VotingStage
) -> dict[str, Any]:
    """An assignment as the API shows it."""
    return {
        "id": row.id,
        "judge": {"id": row.judge_id, "name": judge.name if judge else None},
        "innovation": brief_innovation(innovation),
        "status": assignments.assignment_status(row),
        "stage": {"id": stage.id, "name": stage.name},
    }


@bp.get("/assignments")
@endpoint(
    summary="Assignments: the caller's (judge=me) or all of them (organizer)",
    tags=TAGS,
    response=s.AssignmentList,
    errors=(401, 403, 404, 422),
    auth=True,
    query={
        "judge": {
            "type": "string",
            "pattern": "^(me|[1-9][0-9]{0,8})?$",
            "description": "'me', or a judge's user id (organizers); empty: every judge",
        },
        **STAGE_QUERY,
    },
)
def list_assignments(event: str) -> ResponseReturnValue:
    """A judge sees only their own assignments and each one's scoring status."""
    target, user = organizer_or_judge_event(event)
    session = get_session()
    stage = requested_stage(session, target)
    who = request.args.get("judge", "me" if not is_event_organizer(target) else "")
    if who != "me" and not is_event_organizer(target):
        raise ApiError(403, "forbidden", _("Judges see only their own assignments."))
    if stage is None:
        return jsonify({"items": [], "total": 0, "submitted": 0})
    if who == "me":
        judges = [user]
    elif who:
        judge_id = query_int("judge")
        judges = [j for j in assignments.judges(session, target) if j.id == judge_id]
    else:
        judges = assignments.judges(session, target)
    items = [
        assignment_json(row, innovation, judge, stage)
        for judge in judges
        for row, innovation in assignments.judge_queue(session, target, judge, stage)
    ]
    done = sum(1 for item in items if item["status"] == "submitted")
    return jsonify({"items": items, "total": len(items), "submitted": done})


@bp.post("/assignments")
@endpoint(
    summary="Assign one judge to one innovation by hand",
    tags=TAGS,
    body=s.AssignmentIn,
    response=s.AssignmentOut,
    status=201,
    errors=(*BODY_ERRORS, 409),
    auth=True,
)
def add_assignment(event: str) -> ResponseReturnValue:
    """409 on a conflict of interest or a duplicate."""
    target = organizer_event(event)
    data = parse_body(s.AssignmentIn)
    session = get_session()
    row = assignments.add_assignment(
        session, target, data.judge, data.innovation, actor_id=require_user().id
    )
    body = assignment_json(
        row,
        session.get(Innovation, row.innovation_id),  # type: ignore[arg-type]
        session.get(User, row.judge_id),
        session.get(VotingStage, row.stage_id),  # type: ignore[arg-type]
    )
    commit()
    return jsonify(body), 201


@bp.delete("/assignments/<int:id>")
@endpoint(
    summary="Remove an assignment that has no scores",
    tags=TAGS,
    response={"type": "object"},
    errors=(401, 403, 404, 409),
    auth=True,
)
def delete_assignment(event: str, id: int) -> ResponseReturnValue:
    """409 once the judge saved scores."""
    target = organizer_event(event)
    assignments.remove_assignment(get_session(), target, id, actor_id=require_user().id)
    commit()
    return jsonify({"deleted": id})


@bp.put("/innovations/<int:id>/scores")
@endpoint(
    summary="Save the caller's scores for an innovation",
    tags=TAGS,
    body=s.ScoresIn,
    response=s.ScoresOut,
    errors=(*BODY_ERRORS, 409),
    auth=True,
)
def put_scores(event: str, id: int) -> ResponseReturnValue:
    """403 if not assigned or conflicted; 422 naming the criterion; 409 once scoring closed."""
    user = require_user()
    target = api_event(event)
    session = get_session()
    # Who may score comes before what was sent: a non-judge learns nothing about the rubric.
    assignments.require_assignment(
        session,
        target,
        user,
        rubric.current_stage(session, target),
        scoring.event_innovation(session, target, id),
    )
    data = parse_body(s.ScoresIn)
    row = scoring.save_scores(
        session,
        target,
        user,
        id,
        data.scores,
        settings=voting_settings(target),
        comment=data.comment,
        submit=not data.draft,
    )
    body = {
        "innovation": brief_innovation(session.get(Innovation, id)),  # type: ignore[arg-type]
        "scores": scoring.current_scores(row),
        "comment": row.comment,
        "status": assignments.assignment_status(row),
        "version": row.version,
    }
    commit()
    return jsonify(body)


@bp.put("/scores")
@endpoint(
    summary="Save many of the caller's score sheets at once (all rows or none)",
    tags=TAGS,
    body=s.SheetsIn,
    response=s.SheetsOut,
    errors=(*BODY_ERRORS, 409),
    auth=True,
)
def put_sheets(event: str) -> ResponseReturnValue:
    """403 off the panel; 409 once scoring closed; 422 naming ``items.<row>.<field>``."""
    user = require_user()
    target = api_event(event)
    session = get_session()
    stage = rubric.current_stage(session, target)
    if stage is None or not panels.is_stage_judge(session, target, stage, user):
        raise ApiError(403, "forbidden", _("You are not on the panel of judges of this stage."))
    data = parse_body(s.SheetsIn)
    rows = [bulk_scores.SheetIn(**item.model_dump()) for item in data.items]
    try:
        results = bulk_scores.save_sheets(
            session, target, user, rows, settings=voting_settings(target)
        )
    except ServiceError as exc:
        raise translated(exc) from None
    commit()
    return jsonify({"items": [result.as_dict() for result in results]})


def results_json(
    session: Any,
    event: Event,
    stage: VotingStage | None,
    limit: int | None = None,
    offset: int = 0,
    top: int | None = None,
) -> dict[str, Any]:
    """The results document of ``stage`` by the event's official method (a page of it).

    With ``top`` the close calls at that place are flagged and ``boundary`` is set.
    """
    settings = voting_settings(event)
    page = results_pages.results_page(
        session,
        event,
        stage,
        method=settings.method,
        public_weight=settings.public_weight,
        limit=limit,
        offset=offset,
        store=results_store(),
    )
    extra: dict[str, Any] = {}
    if top is not None:
        # The cut-off needs the whole ranking: the stage's stored judge figures (one read).
        computed = results_service.stage_results(
            session,
            event,
            stage,
            method=settings.method,
            public_weight=settings.public_weight,
            store=results_store(),
        )
        close = {i.innovation_id for i in confidence.mark_close_calls(computed, top)}
        for item in page.items:
            if item["innovation"]["id"] in close and "close_call" not in item["flags"]:
                item["flags"].append("close_call")
        extra["boundary"] = _round2(computed.boundary)
    organizer = is_event_organizer(event)
    return {
        **extra,
        "method_version": page.method_version,
        "method": settings.method,
        "public_weight": settings.public_weight,
        "stage": None if stage is None else {"id": stage.id, "name": stage.name},
        "published": settings.results_published,
        "items": page.items,
        "total": page.total,
        "outlier_judges": page.outlier_judges if organizer else [],
    }


@bp.get("/results")
@endpoint(
    summary="The ranking (organizers; anyone once published)",
    tags=TAGS,
    response=s.ResultsOut,
    errors=(401, 403, 404, 422),
    query={
        **STAGE_QUERY,
        "limit": LIMIT_PARAM,
        "offset": OFFSET_PARAM,
        "top": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100_000,
            "description": "Flag the close calls at the boundary after place N",
        },
    },
)
def get_results(event: str) -> ResponseReturnValue:
    """Scores with their 90 % intervals, judges, spread, flags and ranks (paginated)."""
    target = api_event(event)
    _require_published_or_organizer(target)
    limit, offset = pagination()
    top = query_int("top")
    if top is not None and not 1 <= top <= 100_000:
        raise ApiError(
            422, "validation_failed", _("Invalid filter."), {"top": [_("Out of range.")]}
        )
    session = get_session()
    return jsonify(
        results_json(session, target, requested_stage(session, target), limit, offset, top)
    )


def _round2(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _require_published_or_organizer(event: Event) -> None:
    if voting_settings(event).results_published or is_event_organizer(event):
        return
    if signed_in_user() is None:
        raise ApiError(401, "unauthorized", _("The results are not published yet."))
    raise ApiError(403, "forbidden", _("The results are not published yet."))


@bp.post("/innovations/<int:id>/votes")
@limiter.exempt  # limited per pass and per guessing address by plugins.voting.guard
@endpoint(
    summary="Cast a people's-choice vote with a visitor pass",
    tags=TAGS,
    body=s.VoteIn,
    response=s.VoteOut,
    status=201,
    errors=(*BODY_ERRORS, 409, 429),
)
@lean
def post_vote(event: str, id: int) -> ResponseReturnValue:
    """403 unknown pass; 409 outside the window or a second vote in the same category.

    A lean view (:func:`core.web.lean`), built for a venue full of phones: the plugin gate
    takes the event and the voting switch from the per-process event cache
    (:mod:`core.event_cache`), and the vote is checked and recorded by one
    ``INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING`` (:func:`votes.vote_with_code`) —
    no ORM session, no transaction round trips.  The database's unique constraint, not a
    prior check, decides a race between two requests.
    A signed-in visitor voting without a code, or an organizer trying a draft event, takes
    the general path through the request's session.
    """
    data = parse_body(s.VoteIn)
    state = lean_event()
    now = utcnow()
    if state is not None and data.pass_:
        connection = get_connection()  # ends the request session's transaction first
        settings = state.settings_as(VotingSettings)
        with guard.guarded(data.pass_):
            ballot = votes.vote_with_code(
                connection, state.id, id, data.pass_, settings=settings, now=now, source="api"
            )
    else:
        target = api_event(event)
        user = signed_in_user()
        user_id = user.id if user is not None else None
        connection = get_session().connection()
        settings = voting_settings(target)
        with guard.guarded(data.pass_, user_id):
            ballot = votes.check_vote(
                connection,
                target.id,
                id,
                settings=settings,
                now=now,
                code=data.pass_,
                user_id=user_id,
            )
            votes.record_vote(connection, ballot, now=now, source="api")
        commit()
    metrics.count("votes")
    body = {
        "innovation": {"id": ballot.innovation_id, "title": ballot.innovation_title},
        "category": ballot.category,
    }
    return jsonify(body), 201


@bp.get("/votes/tally")
@endpoint(
    summary="People's-choice votes per innovation (organizers; anyone once published)",
    tags=TAGS,
    response=s.TallyOut,
    errors=(401, 403, 404),
)
def get_tally(event: str) -> ResponseReturnValue:
    """Most votes first."""
    target = api_event(event)
    _require_published_or_organizer(target)
    rows = votes.tally(get_session(), target)
    items = [{"innovation": {"id": i.id, "title": i.title}, "votes": n} for i, n in rows]
    return jsonify({"items": items, "total": len(items), "votes": sum(n for _i, n in rows)})


@bp.get("/stages")
@endpoint(
    summary="The judging stages",
    tags=TAGS,
    response=s.StageList,
    errors=(401, 403, 404),
    auth=True,
)
def list_stages(event: str) -> ResponseReturnValue:
    """In order; the first open one is the current stage."""
    target, user = organizer_or_judge_event(event)
    session = get_session()
    items = [stage_json(session, target, stage, user) for stage in rubric.stages(session, target)]
    return jsonify({"items": items, "total": len(items)})


@bp.patch("/stages/<int:id>")
@endpoint(
    summary="Set a stage's judging window",
    tags=TAGS,
    body=s.StageWindowIn,
    response=s.StageOut,
    errors=BODY_ERRORS,
    auth=True,
)
def set_stage_window(event: str, id: int) -> ResponseReturnValue:
    """``opens_at`` / ``closes_at`` (ISO 8601 with offset, or null); scores outside → 409."""
    target = organizer_event(event)
    data = parse_body(s.StageWindowIn)
    session = get_session()
    stage = stages.set_window(
        session, target, id, data.opens_at, data.closes_at, actor_id=require_user().id
    )
    body = stage_json(session, target, stage)
    commit()
    return jsonify(body)


@bp.post("/stages/<int:id>/close")
@endpoint(
    summary="Close a stage (locks its scores)",
    tags=TAGS,
    response=s.StageOut,
    errors=(401, 403, 404, 409),
    auth=True,
)
def close_stage(event: str, id: int) -> ResponseReturnValue:
    """409 when already closed."""
    target = organizer_event(event)
    session = get_session()
    stage = stages.close_stage(session, target, id, actor_id=require_user().id)
    body = stage_json(session, target, stage)
    commit()
    return jsonify(body)


@bp.post("/stages/<int:id>/advance")
@endpoint(
    summary="Advance the best of a closed stage into the next one",
    tags=TAGS,
    body=s.AdvanceIn,
    response=s.AdvanceOut,
    errors=(*BODY_ERRORS, 409),
    auth=True,
)
def advance_stage(event: str, id: int) -> ResponseReturnValue:
    """Top N or a cut-off; ties at the boundary all advance or the organizer names them."""
    target = organizer_event(event)
    data = parse_body(s.AdvanceIn)
    session = get_session()
    stage = rubric.get_stage(session, target, id)
    if stage is None:
        raise ApiError(404, "not_found", _("Unknown stage."))
    settings = voting_settings(target)
    computed = results_service.stage_results(
        session, target, stage, method=settings.method, public_weight=settings.public_weight
    )
    outcome = stages.advance(
        session,
        target,
        id,
        computed,
        rule=data.rule,
        value=data.value,
        tie_policy=data.tie_policy,
        include=data.include,
        next_name=data.next_name,
        copy_judges=data.copy_judges,
        actor_id=require_user().id,
    )
    body = {
        "stage": stage_json(session, target, outcome.stage),
        "advanced": outcome.advanced,
        "tied": outcome.tied,
    }
    commit()
    return jsonify(body)


def stage_judges_json(session: Any, event: Event, panel: panels.Panel) -> dict[str, Any]:
    """The judges of a stage with their work there."""
    items = [
        {
            "id": load.judge.id,
            "name": load.judge.name,
            "email": load.judge.email,
            "assignments": load.assignments,
            "submitted": load.submitted,
            "scored": load.scored,
        }
        for load in panels.panel_loads(session, panel)
    ]
    return {
        "stage": {"id": panel.stage.id, "name": panel.stage.name},
        "all_judges": panel.all_judges,
        "items": items,
        "total": len(items),
    }


def organizer_stage(session: Any, event: Event, stage_id: int) -> VotingStage:
    """The event's stage ``stage_id``; 404 when unknown."""
    stage = rubric.get_stage(session, event, stage_id)
    if stage is None:
        raise ApiError(404, "not_found", _("Unknown stage."))
    return stage


@bp.get("/stages/<int:id>/judges")
@endpoint(
    summary="The judges of a stage (its panel, or every event judge)",
    tags=TAGS,
    response=s.StageJudgesOut,
    errors=(401, 403, 404),
    auth=True,
)
def get_stage_judges(event: str, id: int) -> ResponseReturnValue:
    """Organizers; ``all_judges`` is true while no panel is chosen (every event judge)."""
    target = organizer_event(event)
    session = get_session()
    stage = organizer_stage(session, target, id)
    return jsonify(stage_judges_json(session, target, panels.stage_panel(session, target, stage)))


@bp.put("/stages/<int:id>/judges")
@endpoint(
    summary="Choose the judges of a stage",
    tags=TAGS,
    body=s.StageJudgesIn,
    response=s.StageJudgesOut,
    errors=(*BODY_ERRORS, 409),
    auth=True,
)
def put_stage_judges(event: str, id: int) -> ResponseReturnValue:
    """``{judges: [user ids]}`` (empty: every event judge); 422 naming ids that are not
    judges; 409 when the stage is closed or a judge leaving it already saved scores there
    (nothing is changed).  Judges who leave lose their unscored assignments in the stage."""
    target = organizer_event(event)
    data = parse_body(s.StageJudgesIn)
    session = get_session()
    organizer_stage(session, target, id)
    panel = panels.set_panel(session, target, id, data.judges, actor_id=require_user().id)
    body = stage_judges_json(session, target, panel)
    commit()
    return jsonify(body)


@bp.get("/votes/bursts")
@endpoint(
    summary="Minutes with suspiciously many votes for one innovation",
    tags=TAGS,
    response={"type": "object"},
    errors=(401, 403, 404),
    auth=True,
)
def vote_bursts(event: str) -> ResponseReturnValue:
    """For organizers reviewing the people's-choice vote."""
    target = organizer_event(event)
    items = votes.suspicious_bursts(get_session(), target)
    return jsonify({"items": items, "total": len(items)})
