"""Serving cached programme answers: cache keys, per-visitor holes, ETag/304 and gzip.

The flow of a cached page (see :mod:`plugins.symposium.page_cache` for the storage):

1. the event's content stamp is read (one statement) and makes the key with the page, the
   language and the filter;
2. on a miss the page is rendered once *as nobody in particular*: every per-visitor bit
   is a hole marker (:func:`render_shared`), never a token or a name;
3. per request the holes get the visitor's values: one CSRF token (a meta tag and the
   language switch), the account links, the organizer's "Manage" link, flashed messages
   and the signed-in visitor's stars (:func:`visitor_holes`);
4. the ETag is the content digest plus a digest of the visitor's values (without the
   token, which is re-signed every second), so a visitor's repeated visit answers 304;
   the CSP nonce is derived from the ETag, so a page kept by the browser and the nonce
   of a 304's header agree.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app, g, get_flashed_messages, render_template, request, session
from flask.wrappers import Response
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin, current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import escape
from werkzeug.http import http_date

from core.db import get_connection, get_session
from core.i18n import current_locale
from core.web import current_event, is_event_organizer, lean_event, signed_in_user
from plugins.symposium import engagement, stamps
from plugins.symposium.page_cache import DEFAULT_SECONDS, Built, PageCache, hole, make_cache

CACHE_KEY = "symposium_page_cache"
TOKEN_MARK = "\ue002gelar-csrf\ue003"
PAGE_CACHE_CONTROL = "private, no-cache"
SHARED_CACHE_CONTROL = "public, no-cache"
ANONYMOUS_PARTS_KEY = "symposium_anonymous_parts"
MAX_ANONYMOUS_PARTS = 1024


def page_cache() -> PageCache:
    """The app's cache (made on first use: Redis-backed when ``REDIS_URL`` is set)."""
    app = current_app
    cache = app.extensions.get(CACHE_KEY)
    if cache is None:
        seconds = int(app.config.get("SYMPOSIUM_CACHE_SECONDS") or DEFAULT_SECONDS)
        database = hashlib.sha256(str(app.config.get("DATABASE_URL")).encode()).hexdigest()[:8]
        redis_url = app.config.get("REDIS_URL")
        cache = app.extensions[CACHE_KEY] = make_cache(redis_url, seconds, namespace=database)
    return cache


@dataclass(frozen=True)
class ProgrammeEvent:
    """What a cached answer needs of its event, without loading it: id, slug, zone, days."""

    id: int
    slug: str
    timezone: str
    starts_on: date
    ends_on: date


def programme_event() -> ProgrammeEvent:
    """The request's event for a cached view (a :func:`core.web.lean` view).

    The lean plugin gate has checked the event and the plugin's switch (one cached Core
    query); the content stamp's statement brings the days and the zone.  Drafts take the
    general gate, so their organizers' requests load the event through the ORM.
    """
    state = lean_event()
    if state is None:
        full = current_event()
        event_id, slug = full.id, full.slug
    else:
        event_id, slug = state.id, state.slug
    stamp = stamp_of(event_id)
    assert stamp.starts_on is not None and stamp.ends_on is not None
    return ProgrammeEvent(event_id, slug, stamp.timezone, stamp.starts_on, stamp.ends_on)


def stamp_of(event_id: int) -> stamps.Stamp:
    """The event's content stamp: one statement on the request's autocommit connection."""
    found = g.get("symposium_stamp")
    if found is None or found[0] != event_id:
        found = g.symposium_stamp = (event_id, stamps.read(get_connection(), event_id))
    return found[1]


def cache_key(event: Any, what: str, *parts: object) -> str:
    """``<event id>:<stamp>:<what>:<digest of the parts>`` for the current stamp.

    The stamp is its counter and the moment it was raised, so a database put back to an
    older state (a restore, a test's fresh database) never meets entries of another.
    """
    stamp = stamp_of(event.id)
    digest = hashlib.sha256("\0".join(str(p) for p in parts).encode()).hexdigest()[:24]
    moment = stamp.changed_at.timestamp() if stamp.changed_at else 0
    return f"{event.id}:{stamp.counter}.{moment:.6f}:{what}:{digest}"


def cached(
    event: Any, what: str, parts: tuple[object, ...], build: Callable[[], Built], seconds: int = 0
) -> Built:
    """The built answer for ``(event, what, parts)`` at the event's current stamp."""
    return page_cache().get_or_build(cache_key(event, what, *parts), build, seconds=seconds)


def render_shared(template: str, **context: Any) -> str:
    """Render ``template`` for nobody in particular: per-visitor bits become hole markers.

    The template should extend ``symposium/_shared_base.html`` (account links, "Manage"
    and flashed messages are holes there).  A per-visitor CSRF token rendered by mistake
    (e.g. a macro imported without context) is refused.
    """
    text = render_template(
        template,
        csrf_token=lambda: hole("csrf"),
        csp_nonce=lambda: hole("nonce"),
        current_user=AnonymousUserMixin(),
        is_organizer=False,
        **context,
    )
    leaked = g.get("csrf_token")
    if leaked and leaked in text:
        raise RuntimeError(f"{template} put a visitor's CSRF token into a shared page")
    return text


def build_page(text: str, **meta: Any) -> Built:
    """A built page from the shared rendering ``text``."""
    return Built.from_text(text, meta)


def _account_links(anonymous: bool) -> str:
    """The header's account links (an anonymous visitor's are kept per language and URL)."""
    key = ("account", current_locale(), request.full_path, request.method)
    if anonymous:
        found = anonymous_parts().get(key)
        if found is not None:
            return found
    template = current_app.jinja_env.get_template("core/_account_nav.html")
    html = template.render(
        current_user=current_user,
        current_locale=current_locale,
        csrf_token=lambda: TOKEN_MARK,
    )
    if anonymous:
        keep_anonymous_part(key, html)
    return html


def anonymous_parts() -> dict[tuple[Any, ...], str]:
    """The app's rendered hole values that every anonymous visitor shares (token as a mark)."""
    return current_app.extensions.setdefault(ANONYMOUS_PARTS_KEY, {})  # type: ignore[no-any-return]


def keep_anonymous_part(key: tuple[Any, ...], html: str) -> None:
    """Keep ``html`` under ``key`` (the whole store is dropped when it grows too big)."""
    kept = anonymous_parts()
    if len(kept) >= MAX_ANONYMOUS_PARTS:
        kept.clear()
    kept[key] = html


def _manage_link(event: Any) -> str:
    from flask import url_for

    url = url_for("console.dashboard", event=event.slug)
    return f'<li><a href="{escape(url)}" class="manage">{escape(_("Manage"))}</a></li>'


def _flashes(messages: list[tuple[str, str]]) -> str:
    if not messages:
        return ""
    rows = "".join(
        f'<p class="flash flash-{escape(category)}">{escape(message)}</p>'
        for category, message in messages
    )
    return f'<div class="flashes" role="status">{rows}</div>'


def visitor_holes(event: Any, extra: dict[str, str] | None = None) -> tuple[dict[str, str], bool]:
    """The visitor's hole values, and whether the page may be answered with a 304 later.

    ``extra`` are page-specific holes (rendered with ``TOKEN_MARK`` for a token).
    """
    user = signed_in_user()
    messages = get_flashed_messages(with_categories=True)
    organizer, starred = False, []
    if user is not None:
        full = current_event()
        organizer = is_event_organizer(full)
        starred = sorted(engagement.starred_ids(get_session(), full, user))
    signed = "true" if user is not None else "false"
    values = {
        "account": _account_links(user is None),
        "manage": _manage_link(event) if organizer else "",
        "flashes": _flashes(messages),
        "viewer": (
            f'<meta name="gelar-signed-in" content="{signed}">'
            f'<meta name="gelar-stars" content="{",".join(map(str, starred))}">'
        ),
        **(extra or {}),
    }
    return values, not messages


def _nonce(etag: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(secret, f"csp-nonce:{etag}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def _wants_gzip() -> bool:
    return request.accept_encodings.quality("gzip") > 0


def respond(
    built: Built,
    values: dict[str, str] | None = None,
    *,
    revalidate: bool = True,
    mimetype: str = "text/html",
    last_modified: datetime | None = None,
    headers: dict[str, str] | None = None,
    status: int = 200,
    vary: str = "",
    cache_control: str = "",
) -> Response:
    """Answer ``built`` with the visitor's ``values``: 304 when the client's copy is current.

    ``values=None`` means a body shared by everyone (JSON, iCal): ``Cache-Control`` is
    public and ``Last-Modified`` is sent.  A page with values is private; ``revalidate``
    ``False`` (flashed messages shown once) sends no ETag at all.
    """
    shared = values is None
    values = dict(values or {})
    etag: str | None = built.digest
    if not shared:
        if revalidate:
            generate_csrf()  # a first visit gets its session's token now, so the ETag holds
            raw_token = str(session.get("csrf_token", ""))
            personal = "\0".join([raw_token, *(f"{k}={v}" for k, v in sorted(values.items()))])
            etag = f"{built.digest}.{hashlib.sha256(personal.encode()).hexdigest()[:16]}"
        else:
            etag = None
    if "nonce" in built.holes:
        values["nonce"] = _nonce(etag) if etag else secrets.token_urlsafe(16)
        g.csp_nonce = values["nonce"]
    answer_headers = {"Vary": vary or ("Accept-Encoding" if shared else "Accept-Encoding, Cookie")}
    answer_headers.update(headers or {})
    answer_headers["Cache-Control"] = cache_control or (
        SHARED_CACHE_CONTROL if shared else PAGE_CACHE_CONTROL
    )
    if etag is None:
        answer_headers["Cache-Control"] = "no-store"
    if last_modified is not None and shared:
        answer_headers["Last-Modified"] = http_date(last_modified)
    if (
        etag is not None
        and status == 200
        and _not_modified(etag, last_modified if shared else None)
    ):
        response = Response(status=304, headers=answer_headers)
        response.set_etag(etag, weak=True)
        return response
    if not shared:
        token = generate_csrf()
        values = {k: v.replace(TOKEN_MARK, token) for k, v in values.items()}
        values["csrf"] = token
    if _wants_gzip():
        body = built.gzip_body(values)
        answer_headers["Content-Encoding"] = "gzip"
    else:
        body = built.body(values)
    response = Response(body, status=status, mimetype=mimetype, headers=answer_headers)
    if etag is not None:
        response.set_etag(etag, weak=True)
    return response


def _not_modified(etag: str, last_modified: datetime | None) -> bool:
    if request.if_none_match:
        return request.if_none_match.contains_weak(etag)
    since = request.if_modified_since
    if since is not None and last_modified is not None:
        return last_modified.replace(microsecond=0) <= since
    return False
