"""Helpers shared by core and plugin views: the current event, permissions, commits."""

from __future__ import annotations

from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, current_app, flash, g, request
from flask_login import current_user

from core import mail_queue
from core.db import get_db, get_session
from core.i18n import translate
from core.models import Event, User
from core.plugins import PluginRegistry
from core.services import events as event_service
from core.services import mail as mail_service
from core.services import roles
from core.services.errors import NotFound, ServiceError

F = TypeVar("F")


def registry() -> PluginRegistry:
    """The app's plugin registry."""
    return cast(PluginRegistry, current_app.extensions["gelar_plugins"])


def signed_in_user() -> User | None:
    """The signed-in user (session or bearer token), or ``None``."""
    user = g.get("api_user")
    if user is not None:
        return cast(User, user)
    if current_user and current_user.is_authenticated:
        return cast(User, current_user._get_current_object())
    return None


def actor_id() -> int | None:
    """The signed-in user's id for audit entries (``None`` when nobody is signed in)."""
    user = signed_in_user()
    return user.id if user is not None else None


def apply_service_errors(form: Any, exc: ServiceError, prefix: str = "") -> None:
    """Show a service error next to the fields it names; flash what has no field.

    Field names may be dotted (``organization.name``) to reach nested forms; ``prefix``
    is stripped first when the service names fields of a larger whole (``contact.``).
    """
    unplaced: list[str] = []
    for name, problems in exc.fields.items():
        target: Any = form
        path = name[len(prefix) :] if prefix and name.startswith(prefix) else name
        for part in path.split("."):
            target = getattr(target, part, None) if target is not None else None
            if target is not None and hasattr(target, "form") and not hasattr(target, "errors"):
                target = target.form
        if (
            name != "csrf_token"
            and target is not None
            and isinstance(getattr(target, "errors", None), list | tuple)
        ):
            target.errors = list(target.errors) + [translate(p) for p in problems]
        else:
            unplaced.extend(translate(p) for p in problems)
    if unplaced or not exc.fields:
        flash("; ".join(unplaced) or translate(exc.message), "error")


def load_event(slug: str) -> Event:
    """The event for ``slug`` if the caller may see it; aborts 404 otherwise. Cached on ``g``."""
    cached = g.get("event")
    if cached is not None and cached.slug == slug:
        return cast(Event, cached)
    if not event_service.SLUG_PATTERN.match(slug):
        abort(404)  # not a slug at all (e.g. NUL bytes): never reaches the database
    session = get_session()
    try:
        event = event_service.get_event(session, slug)
    except NotFound:
        abort(404)
    if event.status == "draft":  # only drafts need the (extra) organizer lookup
        user = signed_in_user()
        if not event_service.can_view(event, user, roles.is_organizer(session, user, event)):
            abort(404)
    g.event = event
    return event


def current_event() -> Event:
    """The event named by the ``event`` view argument of this request."""
    slug = (request.view_args or {}).get("event")
    if not slug:
        abort(404)
    return load_event(slug)


def lean(view: F) -> F:
    """Mark a plugin view as a lean hot path (e.g. the people's-choice vote).

    For a lean view the plugin gate checks the event and the plugin's switch with one Core
    query on the request's autocommit connection (:func:`core.db.get_connection`) instead
    of loading the event through the ORM, and leaves the result in :func:`lean_event`.
    Drafts and unknown slugs still take the general path (organizer check, 404 page).
    """
    view.gelar_lean = True  # type: ignore[attr-defined]
    return view


def is_lean(view: Any) -> bool:
    """Whether ``view`` was marked with :func:`lean`."""
    return bool(getattr(view, "gelar_lean", False))


def lean_event() -> event_service.EventPluginState | None:
    """The event state the plugin gate read for a lean view; ``None`` on the general path."""
    return cast("event_service.EventPluginState | None", g.get("lean_event"))


def is_event_organizer(event: Event) -> bool:
    """Whether the signed-in user organizes ``event`` (cached per request)."""
    cache = g.setdefault("organizer_of", {})
    if event.id not in cache:
        cache[event.id] = roles.is_organizer(get_session(), signed_in_user(), event)
    return bool(cache[event.id])


def organizer_required(view: F) -> F:
    """Decorator for event pages only organizers may open.

    Unknown event → 404; not signed in → the sign-in page (also for a draft, so an
    organizer following a link signs in first); signed in without the role → 403, or
    404 for a draft the user may not see.
    """

    @wraps(view)  # type: ignore[arg-type]
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if signed_in_user() is None:
            slug = (request.view_args or {}).get("event") or ""
            if not event_service.slug_taken(get_session(), slug):
                abort(404)
            return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
        event = current_event()
        if not is_event_organizer(event):
            abort(403)
        return view(*args, **kwargs)  # type: ignore[operator]

    return cast(F, wrapper)


def admin_required(view: F) -> F:
    """Decorator for site-admin pages."""

    @wraps(view)  # type: ignore[arg-type]
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        user = signed_in_user()
        if user is None:
            return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
        if not user.is_admin:
            abort(403)
        return view(*args, **kwargs)  # type: ignore[operator]

    return cast(F, wrapper)


def commit() -> None:
    """Commit the request's unit of work, then hand mail it queued to the sender."""
    session = get_session()
    queued = session.info.pop(mail_service.QUEUED_FLAG, False)
    messages = session.info.pop(mail_service.QUEUED_MESSAGES, [])
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if queued and mail_queue.uses_queue(app):
        session.flush()
        ids = [message.id for message in messages if message.id is not None]
        session.commit()
        if mail_queue.enqueue(app, ids):
            return
    else:
        session.commit()
    if queued and current_app.config.get("MAIL_SEND_IMMEDIATELY"):
        with get_db().transaction() as mail_session:
            mail_service.deliver_pending(mail_session, current_app.config)


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL, based on ``BASE_URL`` when configured (links in e-mails)."""
    from flask import url_for

    base = current_app.config.get("BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def form_status(form: Any, error: ServiceError | None = None) -> int:
    """The status of a page showing ``form``: 200, or why a submission was refused.

    A service error answers with its own status (409 for a duplicate, 422 for invalid
    values); a form that failed its own validation answers 422.
    """
    if error is not None:
        return error.status
    if request.method == "POST" and form.errors:
        return 422
    return 200
