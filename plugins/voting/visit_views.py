"""Judges' booth visits on the web: the organizer's grid (plan, move, print), a judge's route."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from core.db import get_session
from core.forms import EmptyForm
from core.i18n import translate
from core.plugin_helpers import from_event_local, to_event_local
from core.services.errors import Conflict, ServiceError, ValidationFailed
from core.web import actor_id, commit, current_event, organizer_required, registry, signed_in_user
from plugins.voting import visit_messages, visits
from plugins.voting.assignment import is_judge
from plugins.voting.rubric import current_stage
from plugins.voting.views import bp

FIELDS = ("starts_at", "ends_at", "minutes_per_visit", "changeover_minutes")


def grid_of(rows: list[visits.VisitRow]) -> tuple[list[Any], list[tuple[datetime, list[Any]]]]:
    """Judges (columns) and time rows: each row a start time and the visit of each judge."""
    judges = sorted(
        {row.entry.judge.id: row.entry.judge for row in rows}.values(),
        key=lambda j: (j.name or j.email, j.id),
    )
    column = {judge.id: n for n, judge in enumerate(judges)}
    times: dict[datetime, list[Any]] = {}
    for row in rows:
        cells = times.setdefault(row.visit.starts_at, [None] * len(judges))
        cells[column[row.entry.judge.id]] = row
    return judges, sorted(times.items())


def _local_input(moment: datetime | None, tz: str) -> str:
    local = to_event_local(moment, tz)
    return local.strftime("%Y-%m-%dT%H:%M") if local else ""


def _moment(name: str, tz: str) -> datetime:
    """A ``datetime-local`` field typed in the event's zone as an aware datetime (422 if bad)."""
    raw = (request.form.get(name) or "").strip()
    try:
        local = datetime.strptime(raw, "%Y-%m-%dT%H:%M")
    except ValueError as exc:
        raise ValidationFailed(
            _("Check the planning window."), fields={name: [_("Not a date and time.")]}
        ) from exc
    return datetime.fromisoformat(from_event_local(local, tz))  # type: ignore[arg-type]


def _number(name: str) -> int:
    raw = (request.form.get(name) or "").strip()
    if not raw.isdigit() or len(raw) > 4:
        raise ValidationFailed(
            _("Check the planning window."), fields={name: [_("Give a whole number.")]}
        )
    return int(raw)


def _defaults(event: Any, plan: Any) -> dict[str, str]:
    """The plan form's values: the stored plan's, else the event's first day 09:00-16:00."""
    tz = event.timezone
    if plan is not None:
        return {
            "starts_at": _local_input(plan.starts_at, tz),
            "ends_at": _local_input(plan.ends_at, tz),
            "minutes_per_visit": str(plan.minutes_per_visit),
            "changeover_minutes": str(plan.changeover_minutes),
        }
    day = event.starts_on.isoformat()
    return {
        "starts_at": f"{day}T09:00",
        "ends_at": f"{day}T16:00",
        "minutes_per_visit": "20",
        "changeover_minutes": "5",
    }


@bp.get("/manage/visits")
@organizer_required
def visits_grid(event: str) -> ResponseReturnValue:
    """The whole plan as a grid (time x judges), the plan form, moves and problems; printable."""
    target = current_event()
    session = get_session()
    stage = current_stage(session, target)
    rows = visits.rows(session, registry(), target)
    judges, times = grid_of(rows)
    plan = visits.plan_row(session, stage) if stage is not None else None
    return render_template(
        "voting/visits_grid.html",
        event=target,
        stage=stage,
        rows=rows,
        judges=judges,
        times=times,
        values=_defaults(target, plan),
        broken=[row for row in rows if row.broken],
        visit_clash=visit_messages.clash_message,
        local_input=lambda moment: _local_input(moment, target.timezone),
        form=EmptyForm(),
    )


def _flash_service_error(exc: ServiceError) -> None:
    labels = {
        "starts_at": _("from"),
        "ends_at": _("until"),
        "minutes_per_visit": _("minutes per visit"),
        "changeover_minutes": _("changeover minutes"),
    }
    details = "; ".join(
        f"{labels.get(k, k)}: {' '.join(translate(m) for m in v)}" for k, v in exc.fields.items()
    )
    problems = [translate(c["message"]) for c in exc.extra.get("conflicts", [])]  # type: ignore[union-attr]
    flash(" ".join([translate(exc.message), details, *problems]).strip(), "error")


@bp.post("/manage/visits/plan")
@organizer_required
def plan_visits(event: str) -> ResponseReturnValue:
    """Plan every visit in one action; tell how many were placed and who was left out."""
    target = current_event()
    session = get_session()
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        report = visits.auto_plan(
            session,
            registry(),
            target,
            starts_at=_moment("starts_at", target.timezone),
            ends_at=_moment("ends_at", target.timezone),
            minutes_per_visit=_number("minutes_per_visit"),
            changeover_minutes=_number("changeover_minutes"),
            actor_id=actor_id(),
        )
        commit()
    except ServiceError as exc:
        session.rollback()
        _flash_service_error(exc)
        return redirect(url_for("voting.visits_grid", event=target.slug))
    flash(
        _(
            "%(placed)d visits planned (%(kept)d kept, %(added)d new).",
            placed=report["placed"],
            kept=report["kept"],
            added=report["added"],
        ),
        "success",
    )
    for item in report["unplaced"]:
        entry = item["entry"]
        reasons = " ".join(translate(visit_messages.REASON_MESSAGES[c]) for c in item["reasons"])
        sessions = ", ".join(item["blockers"])
        flash(
            _(
                "Not placed: %(judge)s at %(innovation)s. %(reasons)s %(sessions)s",
                judge=entry.judge.name,
                innovation=entry.innovation.title,
                reasons=reasons,
                sessions=sessions,
            ).strip(),
            "error",
        )
    return redirect(url_for("voting.visits_grid", event=target.slug))


@bp.post("/manage/visits/<int:visit_id>/move")
@organizer_required
def move_visit(event: str, visit_id: int) -> ResponseReturnValue:
    """Move a visit by hand; the same checks as the planner, problems told on the page."""
    target = current_event()
    session = get_session()
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        visits.move_visit(
            session,
            registry(),
            target,
            visit_id,
            _moment("starts_at", target.timezone),
            actor_id=actor_id(),
        )
        commit()
        flash(_("The visit moved."), "success")
    except Conflict as exc:
        session.rollback()
        _flash_service_error(exc)
    except ServiceError as exc:
        session.rollback()
        if exc.status == 404:
            abort(404)
        _flash_service_error(exc)
    return redirect(url_for("voting.visits_grid", event=target.slug) + f"#visit-{visit_id}")


def itinerary(session: Any, event: Any, user: Any) -> list[visits.VisitRow]:
    """A judge's visits of the current stage in time order (for the judge's pages)."""
    return visits.rows(session, registry(), event, judge_id=user.id)


@bp.app_template_global("judge_visit_route")
def judge_visit_route(event: Any) -> list[visits.VisitRow]:
    """The signed-in judge's route in ``event`` (the judge queue's visits section)."""
    user = signed_in_user()
    if user is None:
        return []
    return itinerary(get_session(), event, user)


@bp.get("/judge/visits")
def judge_visits(event: str) -> ResponseReturnValue:
    """The judge's route on the phone: times, booth codes, links to the floor plan."""
    target = current_event()
    user = signed_in_user()
    if user is None:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    session = get_session()
    if not is_judge(session, target, user):
        abort(403)
    return render_template(
        "voting/judge_visits.html",
        event=target,
        route=itinerary(session, target, user),
    )
