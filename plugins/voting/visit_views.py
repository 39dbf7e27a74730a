"""Judges' booth visits on the web: the organizer's grid (plan, move, print), a judge's route."""

from __future__ import annotations

from datetime import datetime, time
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
from plugins.voting.visit_model import suggested_minutes

FIELDS = ("starts_at", "ends_at", "minutes_per_visit", "changeover_minutes")
OPENS, CLOSES, CHANGEOVER = time(8), time(16), 5


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


def _hour(name: str) -> time | None:
    """An optional ``time`` field (``HH:MM``); empty is ``None``, anything else 422."""
    raw = (request.form.get(name) or "").strip()
    if not raw:
        return None
    try:
        return datetime.strptime(raw, "%H:%M").time()
    except ValueError as exc:
        raise ValidationFailed(
            _("Check the planning window."), fields={name: [_("Not a time of day.")]}
        ) from exc


def _defaults(event: Any, plan: Any, busiest: int) -> dict[str, str]:
    """The plan form's values: the stored plan's, else every day of the event from 08:00 to
    16:00 at a pace with which the busiest judge's visits fill at most four fifths of it."""
    tz = event.timezone
    if plan is not None:
        return {
            "starts_at": _local_input(plan.starts_at, tz),
            "ends_at": _local_input(plan.ends_at, tz),
            "daily_start": plan.daily_start.strftime("%H:%M") if plan.daily_start else "",
            "daily_end": plan.daily_end.strftime("%H:%M") if plan.daily_end else "",
            "minutes_per_visit": str(plan.minutes_per_visit),
            "changeover_minutes": str(plan.changeover_minutes),
        }
    days = (event.ends_on - event.starts_on).days + 1
    open_minutes = days * (CLOSES.hour - OPENS.hour) * 60
    return {
        "starts_at": f"{event.starts_on.isoformat()}T{OPENS:%H:%M}",
        "ends_at": f"{event.ends_on.isoformat()}T{CLOSES:%H:%M}",
        "daily_start": f"{OPENS:%H:%M}",
        "daily_end": f"{CLOSES:%H:%M}",
        "minutes_per_visit": str(suggested_minutes(busiest, open_minutes, CHANGEOVER)),
        "changeover_minutes": str(CHANGEOVER),
    }


def days_of(times: list[tuple[datetime, list[Any]]], tz: str) -> list[tuple[Any, list[Any]]]:
    """The grid's time rows grouped by the event's local date, in order."""
    found: dict[Any, list[Any]] = {}
    for moment, cells in times:
        local = to_event_local(moment, tz)
        assert local is not None
        found.setdefault(local.date(), []).append((moment, cells))
    return list(found.items())


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
    busiest = visits.busiest_judge_load(session, stage) if stage is not None else 0
    return render_template(
        "voting/visits_grid.html",
        event=target,
        stage=stage,
        rows=rows,
        judges=judges,
        days=days_of(times, target.timezone),
        values=_defaults(target, plan, busiest),
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
        "daily_start": _("each day from"),
        "daily_end": _("each day until"),
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
            daily_start=_hour("daily_start"),
            daily_end=_hour("daily_end"),
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
