"""Core endpoints of the JSON API (the "Core" table of API.md)."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from core import extensions as limits
from core.api import (
    ApiBlueprint,
    ApiError,
    api_event,
    endpoint,
    json_object,
    organizer_event,
    page,
    pagination,
    parse_body,
    query_int,
    require_user,
    translated,
)
from core.api import schemas as s
from core.db import get_session
from core.extensions import limiter
from core.models import Event, Innovation, User
from core.notifications import send_invitation, send_verification
from core.plugin_helpers import search_innovations
from core.services import (
    accounts,
    cloning,
    events,
    innovation_import,
    innovations,
    passes,
    roles,
)
from core.services import plugin_settings as settings_service
from core.services.errors import NotFound, ServiceError
from core.sessions import current_session_id
from core.web import commit, registry, signed_in_user

bp = ApiBlueprint("api", __name__, url_prefix="/api/v1")


def event_json(event: Event) -> dict[str, Any]:
    """The public representation of an event."""
    return {
        "slug": event.slug,
        "name": event.name,
        "year": event.year,
        "venue": event.venue,
        "starts_on": event.starts_on.isoformat(),
        "ends_on": event.ends_on.isoformat(),
        "timezone": event.timezone,
        "status": event.status,
        "plugins": event.enabled_plugin_names,
    }


def innovation_json(innovation: Innovation) -> dict[str, Any]:
    """The public representation of an innovation."""
    return {
        "id": innovation.id,
        "title": innovation.title,
        "summary": innovation.summary,
        "category": innovation.category,
        "year_launched": innovation.year_launched,
        "cettar": list(innovation.cettar or []),
        "organization": {"id": innovation.organization.id, "name": innovation.organization.name},
        "status": innovation.status,
    }


@bp.post("/auth/token")
@endpoint(
    summary="Exchange e-mail and password for a bearer token",
    tags=["Core"],
    body=s.TokenRequest,
    response=s.TokenResponse,
    errors=(400, 401, 413, 422, 429),
)
def issue_token() -> ResponseReturnValue:
    """Failed attempts are limited per account and per client address (then 429).

    An account whose e-mail is not confirmed gets 401 ``email_unverified`` (only when the
    password was right) and, at most as often as the mail limits allow, a new link.
    """
    data = parse_body(s.TokenRequest)
    if not limits.signin_allowed(data.email):
        raise ApiError(429, "rate_limited", _("Too many failed attempts. Try again later."))
    session = get_session()
    try:
        user = accounts.authenticate(session, data.email, data.password)
    except accounts.EmailNotVerified as unverified:
        if limits.spend_mail_budget("verify", unverified.user.email):
            send_verification(session, unverified.user)
            commit()
        raise ApiError(
            401,
            "email_unverified",
            _(
                "Confirm your e-mail first: we sent a link to %(email)s.",
                email=unverified.user.email,
            ),
        ) from None
    if user is None:
        limits.count_failed_signin(data.email)
        raise ApiError(401, "invalid_credentials", _("Wrong e-mail or password."))
    token, expires_at = accounts.issue_api_token(
        session, user, current_app.config["API_TOKEN_TTL_HOURS"]
    )
    commit()
    return jsonify({"token": token, "expires_at": expires_at.isoformat()})


@bp.delete("/auth/token")
@endpoint(
    summary="Revoke the bearer token of this request",
    tags=["Core"],
    status=204,
    errors=(401,),
    auth=True,
)
def revoke_current_token() -> ResponseReturnValue:
    """Sign an API client out: the token sent in ``Authorization`` stops working.

    Only a bearer token can be revoked this way (401 without one); browser sessions sign
    out with ``POST /auth/logout``.
    """
    token_id = g.get("api_token_id")
    if token_id is None:
        raise ApiError(401, "unauthorized", _("Send the bearer token to revoke."))
    accounts.revoke_api_token(get_session(), require_user(), token_id)
    commit()
    return "", 204


@bp.get("/me/tokens")
@endpoint(
    summary="The caller's API tokens (no secrets)",
    tags=["Core"],
    response=s.TokenList,
    errors=(401, 422),
    auth=True,
    query={"limit": s.LIMIT_PARAM, "offset": s.OFFSET_PARAM},
)
def list_my_tokens() -> ResponseReturnValue:
    """Unexpired tokens, newest first; ``current`` is the token of this request."""
    user: User = require_user()
    limit, offset = pagination()
    current = g.get("api_token_id")
    tokens = accounts.list_api_tokens(get_session(), user)
    items = [
        {
            "id": token.id,
            "created_at": token.created_at.isoformat(),
            "expires_at": token.expires_at.isoformat(),
            "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
            "current": token.id == current,
        }
        for token in tokens[offset : offset + limit]
    ]
    return jsonify(page(items, len(tokens)))


@bp.delete("/me/tokens/<int:id>")
@endpoint(
    summary="Revoke one of the caller's API tokens",
    tags=["Core"],
    status=204,
    errors=(401, 404),
    auth=True,
)
def revoke_my_token(id: int) -> ResponseReturnValue:
    """Another person's token (or an unknown id) answers 404."""
    try:
        accounts.revoke_api_token(get_session(), require_user(), id)
    except NotFound:
        raise ApiError(404, "not_found", _("Unknown token.")) from None
    commit()
    return "", 204


@bp.post("/me/password")
@limiter.limit(
    lambda: current_app.config["SIGNIN_RATE_LIMIT"],
    key_func=lambda: f"password|{get_remote_address()}",
    deduct_when=lambda response: response.status_code == 403,
    error_message=lambda: _("Too many failed attempts. Try again later."),
)
@endpoint(
    summary="Change the caller's password; every other session and token ends",
    tags=["Core"],
    body=s.PasswordChange,
    response=s.PasswordChanged,
    errors=(401, 403, 422, 429),
    auth=True,
)
def change_my_password() -> ResponseReturnValue:
    """A wrong ``current_password`` answers 403 ``wrong_password`` (field ``current_password``).

    A new password under 8 characters answers 422 (field ``new_password``).  The session
    or token of this request keeps working; every other browser session, remember-me
    cookie and API token of the account stops working.  Wrong attempts are rate limited.
    """
    user: User = require_user()
    data = parse_body(s.PasswordChange)
    session = get_session()
    try:
        ended, revoked = accounts.change_password(
            session,
            user,
            data.current_password,
            data.new_password,
            keep=current_session_id(),
            keep_token=g.get("api_token_id"),
        )
    except ServiceError as exc:
        session.rollback()
        fields = {name: [_(p) for p in problems] for name, problems in exc.fields.items()}
        if exc.status == 403:
            message = _("The current password is not correct.")
            raise ApiError(403, "wrong_password", message, fields) from None
        raise ApiError(exc.status, exc.code, _("Some fields are invalid."), fields) from None
    commit()
    return jsonify({"sessions_ended": ended, "tokens_revoked": revoked})


@bp.get("/me")
@endpoint(
    summary="The caller's account, roles and organizations",
    tags=["Core"],
    response=s.MeOut,
    errors=(401,),
    auth=True,
)
def me() -> ResponseReturnValue:
    """The signed-in user (bearer token or browser session)."""
    user: User = require_user()
    session = get_session()
    return jsonify(
        {
            "id": user.id,
            "email": user.email,
            "name": user.name,
            "is_admin": user.is_admin,
            "roles": [
                {"event": slug, "role": role} for slug, role in roles.user_roles(session, user)
            ],
            "organizations": [
                {"id": o.id, "name": o.name, "kind": o.kind, "region": o.region}
                for o in roles.user_organizations(session, user)
            ],
        }
    )


@bp.get("/events")
@endpoint(
    summary="Published events, plus drafts the caller organizes",
    tags=["Core"],
    response=s.EventList,
    errors=(401, 422),
    query={"limit": s.LIMIT_PARAM, "offset": s.OFFSET_PARAM},
)
def list_events() -> ResponseReturnValue:
    """Current and upcoming events first, then past ones, newest first."""
    limit, offset = pagination()
    visible = events.visible_events(get_session(), signed_in_user())
    return jsonify(page([event_json(e) for e in visible[offset : offset + limit]], len(visible)))


@bp.post("/events")
@endpoint(
    summary="Create an event (site admin)",
    tags=["Core"],
    body=s.event_create_schema,
    response=s.EventOut,
    status=201,
    errors=(400, 401, 403, 409, 413, 422),
    auth=True,
)
def create_event() -> ResponseReturnValue:
    """The new event starts as a draft organized by its creator, with the given plugins."""
    user: User = require_user()
    if not user.is_admin:
        raise ApiError(403, "forbidden", _("Only site admins create events."))
    data = parse_body(s.EventCreate)
    unknown = sorted(set(data.plugins) - set(registry().names))
    if unknown:
        raise ApiError(
            422,
            "validation_failed",
            _("Unknown plugin: %(names)s", names=", ".join(unknown)),
            {"plugins": [_("Unknown plugin: %(name)s", name=name) for name in unknown]},
        )
    session = get_session()
    event = events.create_event(
        session,
        slug=data.slug,
        name=data.name,
        year=data.year,
        venue=data.venue,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        timezone=data.timezone,
        actor_id=user.id,
    )
    settings_service.set_enabled_plugins(session, registry(), event, data.plugins, actor_id=user.id)
    roles.appoint(session, event, email=user.email, role="organizer", actor_id=user.id)
    commit()
    return jsonify(event_json(event)), 201


@bp.get("/events/<event>")
@endpoint(summary="One event", tags=["Core"], response=s.EventOut, errors=(401, 404))
def get_event(event: str) -> ResponseReturnValue:
    """Drafts answer 404 except to their organizers and site admins."""
    return jsonify(event_json(api_event(event)))


@bp.patch("/events/<event>")
@endpoint(
    summary="Update an event, including its status",
    tags=["Core"],
    body=s.EventPatch,
    response=s.EventOut,
    errors=(400, 401, 403, 404, 413, 422),
    auth=True,
)
def patch_event(event: str) -> ResponseReturnValue:
    """Only the given fields change; ``status`` publishes or archives the event."""
    target = organizer_event(event)
    data = parse_body(s.EventPatch)
    changes = data.model_dump(exclude_unset=True)
    nulls = sorted(key for key, value in changes.items() if value is None)
    if nulls:
        raise ApiError(
            422,
            "validation_failed",
            _("Fields cannot be null."),
            {key: [_("May not be null.")] for key in nulls},
        )
    events.update_event(get_session(), target, changes, actor_id=require_user().id)
    commit()
    return jsonify(event_json(target))


@bp.put("/events/<event>/plugins")
@endpoint(
    summary="Set the plugins enabled for the event",
    tags=["Core"],
    body=s.plugins_put_schema,
    response=s.PluginsOut,
    errors=(400, 401, 403, 404, 413, 422),
    auth=True,
)
def put_plugins(event: str) -> ResponseReturnValue:
    """Exactly the listed plugins end up enabled; an unknown name changes nothing (422)."""
    target = organizer_event(event)
    data = parse_body(s.PluginsPut)
    enabled = settings_service.set_enabled_plugins(
        get_session(), registry(), target, data.enabled, actor_id=require_user().id
    )
    commit()
    return jsonify({"enabled": enabled})


def _settings_target(event: str, name: str) -> Event:
    target = organizer_event(event)
    if name not in registry().infos or name not in target.enabled_plugin_names:
        raise ApiError(404, "not_found", _("The plugin is not enabled for this event."))
    return target


@bp.get("/events/<event>/plugins/<name>/settings")
@endpoint(
    summary="A plugin's settings for the event",
    tags=["Core"],
    response=s.plugin_settings_schema,
    errors=(401, 403, 404),
    auth=True,
)
def get_plugin_settings(event: str, name: str) -> ResponseReturnValue:
    """Every setting of the plugin, defaults filled in; 404 when the plugin is off."""
    target = _settings_target(event, name)
    return jsonify(settings_service.get_settings(registry(), target, name))


@bp.put("/events/<event>/plugins/<name>/settings")
@endpoint(
    summary="Replace the given keys of a plugin's settings",
    tags=["Core"],
    body=s.plugin_settings_schema,
    response=s.plugin_settings_schema,
    errors=(400, 401, 403, 404, 413, 422),
    auth=True,
)
def put_plugin_settings(event: str, name: str) -> ResponseReturnValue:
    """Keys not in the body keep their values; invalid values answer 422 with ``fields``."""
    target = _settings_target(event, name)
    payload = json_object(required=True)
    updated = settings_service.update_settings(
        get_session(), registry(), target, name, payload, actor_id=require_user().id
    )
    commit()
    return jsonify(updated)


@bp.post("/events/<event>/clone")
@endpoint(
    summary="Clone the event into a new draft edition",
    tags=["Core"],
    body=s.CloneRequest,
    response=s.EventOut,
    status=201,
    errors=(400, 401, 403, 404, 409, 413, 422),
    auth=True,
)
def clone(event: str) -> ResponseReturnValue:
    """Same plugins and plugin configuration; no participants' data."""
    source = organizer_event(event)
    data = parse_body(s.CloneRequest)
    target = cloning.clone_event(
        get_session(),
        registry(),
        source,
        slug=data.slug,
        name=data.name,
        year=data.year,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        venue=data.venue,
        actor_id=require_user().id,
    )
    commit()
    return jsonify(event_json(target)), 201


@bp.post("/events/<event>/roles")
@endpoint(
    summary="Appoint an organizer or judge (invites new users)",
    tags=["Core"],
    body=s.RoleCreate,
    response=s.RoleCreated,
    status=201,
    errors=(400, 401, 403, 404, 413, 422),
    auth=True,
)
def appoint_role(event: str) -> ResponseReturnValue:
    """A new e-mail address gets an account and an invitation to choose a password.

    Appointing someone again is idempotent: 201 with the role as it now stands, its
    conflicts replaced by ``conflicts`` when given, and no second mail.
    """
    target = organizer_event(event)
    data = parse_body(s.RoleCreate)
    session = get_session()
    actor = require_user()
    existed = roles.find_role(session, target, data.email, data.role) is not None
    event_role, created = roles.appoint(
        session,
        target,
        email=data.email,
        role=data.role,
        name=data.name,
        conflicts=data.conflicts,
        actor_id=actor.id,
        registry=registry(),
    )
    if not existed:
        send_invitation(session, event_role.user, target, data.role, created=created)
    commit()
    return jsonify(
        {
            "id": event_role.id,
            "event": target.slug,
            "email": event_role.user.email,
            "name": event_role.user.name,
            "role": event_role.role,
            "conflicts": sorted(c.organization_id for c in event_role.conflicts),
            "invited": created,
        }
    ), 201


@bp.get("/events/<event>/organizations")
@endpoint(
    summary="Organizations taking part in the event",
    tags=["Core"],
    response=s.OrganizationList,
    errors=(401, 403, 404, 422),
    auth=True,
    query={"limit": s.LIMIT_PARAM, "offset": s.OFFSET_PARAM},
)
def list_organizations(event: str) -> ResponseReturnValue:
    """Organizations with a submitted or accepted innovation, by name."""
    target = organizer_event(event)
    limit, offset = pagination()
    items, total = innovations.participating_organizations(
        get_session(), target, limit=limit, offset=offset
    )
    return jsonify(
        page(
            [{"id": o.id, "name": o.name, "kind": o.kind, "region": o.region} for o in items], total
        )
    )


@bp.post("/events/<event>/passes")
@endpoint(
    summary="Issue visitor passes",
    tags=["Core"],
    body=s.PassesCreate,
    response=s.PassList,
    status=201,
    errors=(400, 401, 403, 404, 413, 422),
    auth=True,
)
def issue_passes(event: str) -> ResponseReturnValue:
    """``count`` new passes (1 to 2000), printable as QR codes from the console."""
    target = organizer_event(event)
    data = parse_body(s.PassesCreate)
    issued = passes.issue_passes(get_session(), target, data.count, actor_id=require_user().id)
    commit()
    return jsonify({"items": [{"code": p.code} for p in issued]}), 201


@bp.get("/events/<event>/innovations")
@endpoint(
    summary="Accepted innovations of the event",
    tags=["Core"],
    response=s.InnovationList,
    errors=(401, 404, 422),
    query={
        "q": {"type": "string", "description": "Words matched in title, summary, organization"},
        "category": {"type": "string"},
        "organization": {**s.ID_PARAM, "description": "Organization id"},
        "limit": s.LIMIT_PARAM,
        "offset": s.OFFSET_PARAM,
    },
)
def list_innovations(event: str) -> ResponseReturnValue:
    """Filtered by ``q`` (every word), ``category`` and ``organization``; paginated."""
    target = api_event(event)
    limit, offset = pagination()
    organization_id = query_int("organization")
    items, total = search_innovations(
        registry(),
        get_session(),
        target,
        q=request.args.get("q"),
        category=request.args.get("category") or None,
        organization_id=organization_id,
        limit=limit,
        offset=offset,
    )
    return jsonify(page([innovation_json(i) for i in items], total))


@bp.post("/events/<event>/innovations/import")
@endpoint(
    summary="Import innovations with their agencies (all rows or none)",
    tags=["Core"],
    body=s.InnovationsImportIn,
    response=s.InnovationsImportOut,
    errors=(400, 401, 403, 404, 413, 422),
    auth=True,
)
def import_innovations(event: str) -> ResponseReturnValue:
    """Organizers only; 422 naming ``items.<row>.<field>``; agencies are never granted."""
    target = organizer_event(event)
    data = parse_body(s.InnovationsImportIn)
    rows = [
        innovation_import.InnovationRow(
            title=item.title,
            summary=item.summary,
            category=item.category,
            organization_name=item.organization.name,
            organization_kind=item.organization.kind,
            organization_region=item.organization.region,
        )
        for item in data.items
    ]
    try:
        counts = innovation_import.import_innovations(
            get_session(), target, rows, actor_id=require_user().id
        )
    except ServiceError as exc:
        raise translated(exc) from None
    commit()
    return jsonify({"created": counts.created, "updated": counts.updated})


@bp.get("/events/<event>/innovations/<int:id>")
@endpoint(
    summary="One accepted innovation",
    tags=["Core"],
    response=s.InnovationOut,
    errors=(401, 404),
)
def get_innovation(event: str, id: int) -> ResponseReturnValue:
    """Only accepted innovations are public."""
    target = api_event(event)
    try:
        innovation = innovations.get_accepted(get_session(), target, id)
    except NotFound:
        raise ApiError(404, "not_found", _("Unknown innovation.")) from None
    return jsonify(innovation_json(innovation))
