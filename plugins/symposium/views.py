"""Symposium pages under ``/<event>/symposium/``: public agenda, iCal feeds, timetable editor."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from core.db import get_session
from core.i18n import format_duration
from core.services import privacy
from core.services.errors import ServiceError
from core.web import commit, current_event, organizer_required, signed_in_user
from plugins.symposium import engagement, ical, notify, services, versions
from plugins.symposium.forms import ActionForm, PlaceForm, RoomForm, SessionForm, UnscheduleForm
from plugins.symposium.services import programme_days

bp = Blueprint(
    "symposium",
    __name__,
    url_prefix="/<event>/symposium",
    template_folder="templates",
)


def _local(value: str | None, tz: str) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(ZoneInfo(tz)) if value else None


def _decorate(items: list[dict[str, Any]], tz: str) -> list[dict[str, Any]]:
    """Add local ``start``/``end`` datetimes and the local ``day`` to schedule items."""
    out = []
    for item in items:
        start, end = _local(item["starts_at"], tz), _local(item["ends_at"], tz)
        out.append({**item, "start": start, "end": end, "day": start.date() if start else None})
    return out


def _ids(raw: str) -> list[int]:
    """Session ids from ``1,2,3`` (anything else ignored)."""
    found = []
    for part in raw.split(","):
        part = part.strip()
        if part.isdigit() and len(part) < 10:
            found.append(int(part))
    return found


def _starred(event: Any) -> set[int]:
    user = signed_in_user()
    return engagement.starred_ids(get_session(), event, user) if user else set()


# -- public agenda -----------------------------------------------------------------------


@bp.get("/now")
def now_and_next(event: str) -> ResponseReturnValue:
    """For screens at the venue: per room, what runs now and what comes next."""
    target = current_event()
    items = _decorate(versions.visible_schedule(get_session(), target), target.timezone)
    moment = datetime.now(UTC)
    rows = []
    for room in services.rooms(get_session(), target):
        mine = [i for i in items if i["room"] and i["room"]["id"] == room.id]
        current = next((i for i in mine if i["start"] <= moment < i["end"]), None)
        upcoming = next((i for i in mine if i["start"] > moment), None)
        rows.append({"room": room, "now": current, "next": upcoming})
    return render_template("symposium/now.html", rows=rows, moment=moment)


@bp.get("/my")
def my_agenda(event: str) -> ResponseReturnValue:
    """The personal agenda: starred sessions (signed in) or ``?s=1,2`` / the browser's list."""
    target = current_event()
    items = _decorate(versions.visible_schedule(get_session(), target), target.timezone)
    wanted = _starred(target) or set(_ids(request.args.get("s", "")))
    return render_template(
        "symposium/my.html",
        items=[i for i in items if i["id"] in wanted],
        all_items=items,
        signed_in=signed_in_user() is not None,
        ids=",".join(str(i) for i in sorted(wanted)),
    )


@bp.post("/sessions/<int:session_id>/star")
def star(event: str, session_id: int) -> ResponseReturnValue:
    """Star or unstar a session (signed-in users; anonymous visitors star in the browser).

    A form post (the session page, without JS) answers with a redirect; a JSON body
    ``{"on": true}`` (agenda.js, CSRF token in the ``X-CSRFToken`` header) answers
    ``{"id": n, "starred": bool}``, or the JSON error (401, 404, 422).
    """
    target = current_event()
    user = signed_in_user()
    if request.is_json:
        return _star_json(target, user, session_id)
    back = request.form.get("next") or url_for("symposium.index", event=target.slug)
    if not back.startswith("/"):
        back = url_for("symposium.index", event=target.slug)
    if user is None:
        flash(_("Sign in to keep your agenda on every device."), "info")
        return redirect(back)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        engagement.set_star(
            get_session(), target, user, session_id, request.form.get("on", "1") == "1"
        )
    except ServiceError:
        abort(404)
    commit()
    return redirect(back)


@bp.post("/stars/merge")
def merge_stars(event: str) -> ResponseReturnValue:
    """Merge the stars kept on this device into the signed-in account (JSON, CSRF header).

    Body ``{"ids": [1, 2]}``; answers ``{"added": n, "starred": [ids]}``.  The browser's
    agenda script calls it once the person is signed in, then forgets its own list.
    """
    target = current_event()
    user = signed_in_user()
    if user is None:
        return _json_error(401, "unauthorized", _("Sign in to keep your agenda on every device."))
    payload = request.get_json(silent=True)
    ids = payload.get("ids") if isinstance(payload, dict) else None
    if (
        not isinstance(ids, list)
        or len(ids) > engagement.MAX_MERGED_STARS
        or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids)
    ):
        message = _("Send the starred sessions as a list of session numbers.")
        return _json_error(422, "invalid", message, {"ids": [message]})
    session = get_session()
    added = engagement.merge_stars(session, target, user, ids)
    starred = sorted(engagement.starred_ids(session, target, user))
    commit()
    return jsonify({"added": added, "starred": starred})


def _star_json(target: Any, user: Any, session_id: int) -> ResponseReturnValue:
    """The JSON side of :func:`star` (the agenda's toggle)."""
    if user is None:
        return _json_error(401, "unauthorized", _("Sign in to keep your agenda on every device."))
    payload = request.get_json(silent=True)
    on = payload.get("on") if isinstance(payload, dict) else None
    if not isinstance(on, bool):
        message = _("Send whether the session is starred (true or false).")
        return _json_error(422, "invalid", message, {"on": [message]})
    try:
        engagement.set_star(get_session(), target, user, session_id, on)
    except ServiceError as exc:
        get_session().rollback()
        return _json_error(404, "not_found", exc.message)
    commit()
    return jsonify({"id": session_id, "starred": on})


def _json_error(
    status: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> ResponseReturnValue:
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return jsonify(body), status


@bp.post("/sessions/<int:session_id>/signup")
def signup(event: str, session_id: int) -> ResponseReturnValue:
    """Take a seat or join the wait list; ``cancel=1`` gives it up."""
    target = current_event()
    user = signed_in_user()
    if user is None:
        return redirect(url_for("auth.login", next=request.path))
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    db = get_session()
    try:
        if request.form.get("cancel") == "1":
            notify.seat_freed(db, target, engagement.cancel_signup(db, target, session_id, user))
            flash(_("Your sign-up is cancelled."), "success")
        else:
            row = engagement.sign_up(db, target, session_id, user)
            privacy.record_consents(db, target, request.form.getlist("consent"), user=user)
            flash(
                _("You have a seat.")
                if row.status == "confirmed"
                else _("The session is full: you are on the wait list."),
                "success",
            )
    except ServiceError as exc:
        db.rollback()
        flash(exc.message, "error")
        return redirect(url_for("symposium.session_page", event=target.slug, session_id=session_id))
    commit()
    return redirect(url_for("symposium.session_page", event=target.slug, session_id=session_id))


# -- iCal --------------------------------------------------------------------------------


def _ics(target: Any, items: list[dict[str, Any]], title: str, filename: str) -> Response:
    body = ical.calendar(
        items,
        event_slug=target.slug,
        event_name=target.name,
        timezone=target.timezone,
        title=title,
        url_for_session=lambda item: url_for(
            "symposium.session_page", event=target.slug, session_id=item["id"], _external=True
        ),
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/my.ics")
def my_ics(event: str) -> ResponseReturnValue:
    """The personal agenda: the signed-in user's stars, or ``?s=1,2,3`` from the browser."""
    target = current_event()
    wanted = _starred(target) or set(_ids(request.args.get("s", "")))
    items = [i for i in versions.visible_schedule(get_session(), target) if i["id"] in wanted]
    return _ics(target, items, _("My agenda"), f"{target.slug}-my-agenda.ics")


# -- organizer: timetable editor ---------------------------------------------------------


def _place_form(target: Any, items: list[Any]) -> PlaceForm:
    form = PlaceForm()
    form.room.choices = [(r.id, r.name) for r in services.rooms(get_session(), target)]
    form.day.choices = [(d.isoformat(), d.isoformat()) for d in programme_days(target)]
    return form


def _render_timetable(
    target: Any, place: PlaceForm | None = None, refused: list[Any] | None = None, status: int = 200
) -> ResponseReturnValue:
    db = get_session()
    everything = services.sessions(db, target)
    items = _decorate(
        [services.schedule_item(s, target.timezone) for s in everything], target.timezone
    )
    days = programme_days(target)
    rooms = services.rooms(db, target)
    grid = {
        (d, r.id): [i for i in items if i["day"] == d and i["room"] and i["room"]["id"] == r.id]
        for d in days
        for r in rooms
    }
    form = place or _place_form(target, everything)
    return (
        render_template(
            "symposium/manage/timetable.html",
            days=days,
            rooms=rooms,
            grid=grid,
            unscheduled=[i for i in items if i["starts_at"] is None],
            all_items=items,
            place=form,
            unschedule=UnscheduleForm(),
            new_session=SessionForm(prefix="new"),
            new_room=RoomForm(prefix="room"),
            action=ActionForm(),
            refused=refused or [],
            versions=versions.versions(db, target),
            settings=services.event_settings(target),
        ),
        status,
    )


@bp.get("/manage/")
@organizer_required
def timetable(event: str) -> ResponseReturnValue:
    """Days by rooms, the unscheduled sessions, and the forms to place, move and unschedule."""
    return _render_timetable(current_event())


@bp.post("/manage/place")
@organizer_required
def place(event: str) -> ResponseReturnValue:
    """Place, move or resize a session; a refusal re-renders the editor (409) with each conflict."""
    target = current_event()
    db = get_session()
    form = _place_form(target, [])
    if not form.validate_on_submit():
        return _render_timetable(target, form, status=422)
    zone = ZoneInfo(target.timezone)
    hour, minute = (int(x) for x in form.time.data.split(":"))
    day = date.fromisoformat(form.day.data)
    starts_at = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
    user = signed_in_user()
    try:
        session_id = int(form.session_id.data)
        changes: dict[str, Any] = {"room_id": form.room.data, "starts_at": starts_at}
        if form.duration_minutes.data:
            changes["duration_minutes"] = form.duration_minutes.data
        _item, warnings = services.update_session(
            db, target, session_id, changes, actor_id=user.id if user else None
        )
    except services.ScheduleConflict as exc:
        db.rollback()
        return _render_timetable(target, form, exc.conflicts, 409)
    except (ServiceError, ValueError) as exc:
        db.rollback()
        flash(getattr(exc, "message", _("Unknown session.")), "error")
        return _render_timetable(target, form, status=getattr(exc, "status", 422))
    commit()
    flash(_("The session is placed."), "success")
    for warning in warnings:
        flash(warning.message, "warning")
    return redirect(url_for("symposium.timetable", event=target.slug))


@bp.post("/manage/unschedule")
@organizer_required
def unschedule(event: str) -> ResponseReturnValue:
    """Take a session off the timetable."""
    target = current_event()
    form = UnscheduleForm()
    if not form.validate_on_submit() or not str(form.session_id.data).isdigit():
        abort(400)
    try:
        services.place_session(get_session(), target, int(form.session_id.data), None, None)
    except ServiceError:
        abort(404)
    commit()
    flash(_("The session is unscheduled."), "success")
    return redirect(url_for("symposium.timetable", event=target.slug))


@bp.post("/manage/auto")
@organizer_required
def auto(event: str) -> ResponseReturnValue:
    """Run the automatic scheduler and report what it placed and what it could not."""
    target = current_event()
    if not ActionForm().validate_on_submit():
        abort(400)
    placed, unplaced = services.auto_schedule(get_session(), target)
    commit()
    flash(_("Placed %(n)s sessions.", n=placed), "success")
    for item in unplaced:
        flash(f"{item['session']['title']}: {item['message']}", "warning")
    return redirect(url_for("symposium.timetable", event=target.slug))


@bp.post("/manage/publish")
@organizer_required
def publish(event: str) -> ResponseReturnValue:
    """Publish the schedule as a new version."""
    target = current_event()
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    db = get_session()
    try:
        version = versions.publish(db, target, comment=form.comment.data or "")
    except ServiceError as exc:
        db.rollback()
        flash(exc.message, "error")
        return redirect(url_for("symposium.timetable", event=target.slug))
    commit()
    flash(_("Version %(n)s is published.", n=version.number), "success")
    return redirect(url_for("symposium.timetable", event=target.slug))


@bp.post("/manage/sessions")
@organizer_required
def new_session(event: str) -> ResponseReturnValue:
    """Add an unscheduled session with one speaker."""
    target = current_event()
    form = SessionForm(prefix="new")
    if not form.validate_on_submit():
        flash(_("The session could not be added: check the fields."), "error")
        return _render_timetable(target, status=422)
    people = []
    if form.speaker_name.data:
        people.append(
            services.SpeakerInput(
                form.speaker_name.data,
                form.speaker_email.data or "",
                form.speaker_affiliation.data or "",
            )
        )
    db = get_session()
    try:
        services.create_session(
            db,
            target,
            services.SessionInput(
                title=form.title.data,
                kind=form.kind.data,
                abstract=form.abstract.data or "",
                duration_minutes=form.duration_minutes.data,
                expected_audience=form.expected_audience.data or 0,
                fixed=bool(form.fixed.data),
            ),
            people,
        )
    except ServiceError as exc:
        db.rollback()
        flash(exc.message, "error")
        return _render_timetable(target, status=exc.status)
    commit()
    flash(_("The session is added."), "success")
    return redirect(url_for("symposium.timetable", event=target.slug))


@bp.post("/manage/rooms")
@organizer_required
def new_room(event: str) -> ResponseReturnValue:
    """Add a room."""
    target = current_event()
    form = RoomForm(prefix="room")
    if not form.validate_on_submit():
        flash(_("The room could not be added: check the fields."), "error")
        return _render_timetable(target, status=422)
    db = get_session()
    try:
        services.create_room(db, target, name=form.name.data, capacity=form.capacity.data)
    except ServiceError as exc:
        db.rollback()
        flash(exc.message, "error")
        return _render_timetable(target, status=exc.status)
    commit()
    flash(_("The room is added."), "success")
    return redirect(url_for("symposium.timetable", event=target.slug))


@bp.get("/manage/conflicts")
@organizer_required
def conflicts_page(event: str) -> ResponseReturnValue:
    """Every conflict and warning of the programme."""
    target = current_event()
    found = services.conflict_list(get_session(), target)
    return render_template(
        "symposium/manage/conflicts.html",
        hard=[c for c in found if c.severity == "hard"],
        warnings=[c for c in found if c.severity == "warning"],
    )


def minutes_label(minutes: int) -> str:
    """``90`` → "1 jam 30 menit" / "1 h 30 min" in the request's locale (templates)."""
    return format_duration(minutes)


bp.add_app_template_filter(minutes_label, "symposium_minutes")
