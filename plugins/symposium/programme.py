"""The public programme, built once per content stamp, language and filter (issue 22).

Routes of the ``symposium`` blueprint: the agenda (one day at a time, or every day), the
session and speaker pages and the schedule's iCal feeds.  Each is rendered once into the
page cache (:mod:`plugins.symposium.serving`); a request then costs the plugin gate, one
statement for the content stamp, a cache look-up and the visitor's holes.

What a key holds besides the stamp: the language, the page and its normalised filter; the
agenda also holds the current quarter hour while the event runs (its default day and
"jump to now" follow the clock) and the date otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, current_app, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from markupsafe import Markup

from core.db import get_session
from core.i18n import current_locale
from core.web import current_event, is_event_organizer, lean, signed_in_user
from plugins.symposium import agenda_grid, assets, engagement, ical, services, serving, versions
from plugins.symposium.page_cache import Built, hole
from plugins.symposium.services import programme_days, programme_minutes_per_day
from plugins.symposium.views import _decorate, bp

QUERY_SECONDS = 300  # a free-text search is kept only this long
MAX_QUERY = 100


def _now() -> datetime:
    """The current moment (a function, so tests can fix the clock)."""
    return datetime.now(UTC)


@bp.app_template_global("hole")
def _hole(name: str) -> Markup:
    """The marker of a per-visitor hole in a cached page (see ``serving``)."""
    return Markup(hole(name))


@bp.app_template_global("asset_url")
def _asset_url(filename: str) -> str:
    """The hashed URL of one of the plugin's static files for the request's event."""
    return assets.asset_url(filename, str((request.view_args or {}).get("event", "")))


@bp.get("/assets/<path:filename>")
def asset(event: str, filename: str) -> ResponseReturnValue:
    """The plugin's scripts and styles (hashed names are cached for a year)."""
    return assets.serve(filename)


# -- what is public: ids of sessions, speakers and rooms (cached per stamp) ---------------------


def _catalogue(target: Any) -> dict[str, Any]:
    def build() -> Built:
        db = get_session()
        full = current_event()
        items = versions.visible_schedule(db, full)
        public = {s["id"] for i in items for s in i["speakers"]}
        meta = {
            "sessions": {
                str(i["id"]): {
                    "title": i["title"],
                    "signup_required": bool(i.get("signup_required")),
                    "capacity": i.get("capacity"),
                }
                for i in items
            },
            "speakers": {str(s.id): s.id in public for s in services.speakers(db, full)},
            "rooms": [r.id for r in services.rooms(db, full)],
        }
        return Built.from_parts([b""], [], meta)

    return serving.cached(target, "catalogue", (), build).meta


# -- the agenda ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaFilter:
    """The agenda's normalised filter: ``day`` is an ISO date or ``all``."""

    day: str
    room: str
    track: str
    query: str


def _local_now(target: Any) -> datetime:
    return _now().astimezone(ZoneInfo(target.timezone))


def _agenda_filter(days: list[date], today: date) -> AgendaFilter:
    """The filter of this request: unknown values fall back, free text is cut short.

    Without a day the agenda opens on today during the event, else on the first day; a
    search without a day looks through every day.
    """
    raw_day = request.args.get("day", "")
    query = request.args.get("q", "").strip()[:MAX_QUERY]
    if raw_day == "all" or (not raw_day and query):  # a search looks through every day
        day = "all"
    elif any(d.isoformat() == raw_day for d in days):
        day = raw_day
    elif today in days:
        day = today.isoformat()
    else:
        day = days[0].isoformat() if days else "all"

    def number(name: str) -> str:
        value = request.args.get(name, "")
        return value if value.isdigit() and len(value) < 10 else ("x" if value else "")

    return AgendaFilter(day, number("room"), number("track"), query)


@bp.get("/")
@lean
def index(event: str) -> ResponseReturnValue:
    """The agenda: day tabs (today during the event, else the first day), filters, cards, grid."""
    target = serving.programme_event()
    days = programme_days(target)
    local = _local_now(target)
    chosen = _agenda_filter(days, local.date())
    clock = f"{local:%Y-%m-%dT%H}:{local.minute // 15}" if local.date() in days else ""
    parts = ("index", current_locale(), chosen.day, chosen.room, chosen.track, chosen.query, clock)
    seconds = QUERY_SECONDS if chosen.query else 0
    built = serving.cached(target, "index", parts, lambda: _build_index(chosen), seconds)
    values, revalidate = serving.visitor_holes(target)
    return serving.respond(built, values, revalidate=revalidate)


def _build_index(chosen: AgendaFilter) -> Built:
    target = current_event()
    db = get_session()
    settings = services.event_settings(target)
    days = programme_days(target)
    items = _decorate(versions.visible_schedule(db, target), target.timezone)
    chosen_day = None if chosen.day == "all" else date.fromisoformat(chosen.day)
    query = chosen.query.lower()
    shown = [
        i
        for i in items
        if (chosen_day is None or i["day"] == chosen_day)
        and (not chosen.room or str((i["room"] or {}).get("id")) == chosen.room)
        and (not chosen.track or str((i["track"] or {}).get("id")) == chosen.track)
        and (
            not query
            or query in i["title"].lower()
            or any(query in s["name"].lower() for s in i["speakers"])
        )
    ]
    all_rooms = services.rooms(db, target)
    grid_rooms = [r for r in all_rooms if not chosen.room or str(r.id) == chosen.room]
    start, end = services.day_hours(settings)
    grids = {
        day: agenda_grid.day_grid(day, start, end, grid_rooms, shown)
        for day in days
        if chosen_day is None or day == chosen_day
    }
    text = serving.render_shared(
        "symposium/index.html",
        grids=grids,
        jump=agenda_grid.jump_to_now(_now(), target.timezone, days, start, end, shown),
        settings=settings,
        days=days,
        hours=programme_minutes_per_day(settings) / 60,
        items=shown,
        has_items=bool(items),
        chosen_day=chosen_day,
        rooms=all_rooms,
        tracks=services.tracks(db, target),
        room_filter=chosen.room,
        track_filter=chosen.track,
        query=chosen.query,
        version=versions.latest_version(db, target),
    )
    return serving.build_page(text)


# -- session and speaker pages --------------------------------------------------------------


@bp.get("/sessions/<int:session_id>")
@lean
def session_page(event: str, session_id: int) -> ResponseReturnValue:
    """A session: abstract, speakers with their other sessions, add to calendar, sign-up."""
    target = serving.programme_event()
    known = _catalogue(target)["sessions"].get(str(session_id))
    if known is None:
        abort(404)
    parts = ("session", current_locale(), session_id)
    built = serving.cached(target, "session", parts, lambda: _build_session(session_id))
    extra = {"personal": _session_personal(target, session_id, known)}
    values, revalidate = serving.visitor_holes(target, extra)
    return serving.respond(built, values, revalidate=revalidate)


def _build_session(session_id: int) -> Built:
    target = current_event()
    db = get_session()
    items = _decorate(versions.visible_schedule(db, target), target.timezone)
    item = next((i for i in items if i["id"] == session_id), None)
    if item is None:
        abort(404)
    others = {
        s["id"]: [i for i in items if i["id"] != session_id and s in i["speakers"]]
        for s in item["speakers"]
    }
    text = serving.render_shared(
        "symposium/session.html",
        item=item,
        others=others,
        photos={s.id: s.photo_url for s in services.speakers(db, target) if s.photo_url},
    )
    return serving.build_page(text)


def _session_personal(target: Any, session_id: int, known: dict[str, Any]) -> str:
    """The visitor's star form and sign-up, rendered per request (token left as a mark)."""
    db = get_session()
    user = signed_in_user()
    seats = engagement.confirmed_count(db, session_id) if known["signup_required"] else 0
    # an anonymous visitor's part is the same for all of them: kept per app (bounded)
    kept = serving.anonymous_parts()
    anonymous = ("session", current_locale(), target.slug, session_id, seats, str(known))
    if user is None and anonymous in kept:
        return kept[anonymous]
    full = current_event() if user is not None else target
    starred = user is not None and session_id in engagement.starred_ids(db, full, user)
    template = current_app.jinja_env.get_template("symposium/_session_personal.html")
    html = template.render(
        event=target,
        item={"id": session_id, **known},
        starred=starred,
        signup=engagement.signup_status(db, session_id, user),
        seats=seats,
        csrf_token=lambda: serving.TOKEN_MARK,
    )
    if user is None:
        serving.keep_anonymous_part(anonymous, html)
    return html


@bp.get("/speakers/<int:speaker_id>")
@lean
def speaker_page(event: str, speaker_id: int) -> ResponseReturnValue:
    """A speaker: affiliation, bio and their sessions (organizers also before publication)."""
    target = serving.programme_event()
    public = _catalogue(target)["speakers"].get(str(speaker_id))
    if public is None or (not public and not is_event_organizer(current_event())):
        abort(404)
    parts = ("speaker", current_locale(), speaker_id)
    built = serving.cached(target, "speaker", parts, lambda: _build_speaker(speaker_id))
    values, revalidate = serving.visitor_holes(target)
    return serving.respond(built, values, revalidate=revalidate)


def _build_speaker(speaker_id: int) -> Built:
    target = current_event()
    db = get_session()
    speaker = services.get_speaker(db, target, speaker_id)
    items = _decorate(versions.visible_schedule(db, target), target.timezone)
    mine = [i for i in items if any(s["id"] == speaker_id for s in i["speakers"])]
    text = serving.render_shared("symposium/speaker.html", speaker=speaker, items=mine)
    return serving.build_page(text)


# -- iCal ----------------------------------------------------------------------------------


def ics_built(target: Any, items: list[dict[str, Any]], title: str) -> Built:
    """A calendar of ``items`` as a built (shared) answer."""
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
    return Built.from_parts([body], [])


@bp.get("/schedule.ics")
@lean
def schedule_ics(event: str) -> ResponseReturnValue:
    """The whole schedule, or one room's with ``?room=<id>``."""
    target = serving.programme_event()
    room = request.args.get("room", "")
    if room and (not room.isdigit() or int(room) not in _catalogue(target)["rooms"]):
        abort(404)

    def build() -> Built:
        full = current_event()
        items = versions.visible_schedule(get_session(), full)
        if room:
            mine = [i for i in items if i["room"] and str(i["room"]["id"]) == room]
            return ics_built(full, mine, _("Room schedule"))
        return ics_built(full, items, _("Schedule"))

    parts = ("ics", current_locale(), room, request.host_url)
    built = serving.cached(target, "ics", parts, build)
    name = f"{target.slug}-room-{room}.ics" if room else f"{target.slug}-schedule.ics"
    return serving.respond(
        built,
        mimetype="text/calendar",
        last_modified=serving.stamp_of(target.id).changed_at,
        vary="Accept-Encoding, Accept-Language, Cookie",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
