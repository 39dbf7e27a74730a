"""The app factory: configuration, database, plugins, extensions, blueprints, errors."""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import Any

from flask import (
    Flask,
    Request,
    current_app,
    g,
    has_request_context,
    jsonify,
    render_template,
    request,
)
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from core import config as cfg
from core import db, i18n, input_gate, security_headers, static_assets
from core.api import (
    MAX_INT,
    ApiBlueprint,
    ApiError,
    authenticate_bearer,
    error_body,
    from_service_error,
)
from core.db import get_connection
from core.event_cache import EventStateCache
from core.extensions import csrf, limiter, login_manager
from core.plugins import build_registry
from core.services.errors import ServiceError
from core.services.events import SLUG_PATTERN
from core.web import current_event, is_lean

log = logging.getLogger("gelar")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build a Gelar app.

    Configuration is read from defaults, then ``<instance>/config.py``, then ``GELAR_*``
    environment variables, then ``config``.  ``config["EXTRA_PLUGINS"]`` may list
    ``(name, module)`` pairs registered next to the entry-point plugins (tests).
    """
    config = dict(config or {})
    instance_path = Path(config.pop("INSTANCE_PATH", None) or cfg.default_instance_path())
    instance_path.mkdir(parents=True, exist_ok=True)
    app = Flask("core", instance_path=str(instance_path), instance_relative_config=True)
    app.config.from_mapping(cfg.DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(cfg.environment_overrides())
    app.config.update(config)

    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = cfg.load_or_create_secret_key(instance_path)
        app.config["SECRET_KEY_GENERATED"] = True
    cfg.check_production_safety(app.config)
    cfg.check_rate_limits(app.config)
    if app.config["ENV_NAME"] == "production":
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = f"sqlite:///{instance_path / 'gelar.sqlite3'}"
    app.config["UPLOAD_FOLDER"] = str(instance_path / "uploads")

    if app.config.get("PROXY_COUNT"):
        hops = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    db.init_app(app, app.config["DATABASE_URL"])
    registry = build_registry(app.config.get("EXTRA_PLUGINS", ()))
    app.extensions["gelar_plugins"] = registry

    app.url_map.converters["int"] = DatabaseIntConverter
    _init_extensions(app)
    i18n.init_app(app, registry)
    _register_blueprints(app)
    _register_plugin_gate(app)
    input_gate.init_app(app)
    security_headers.init_app(app)
    static_assets.init_app(app)
    _register_error_handlers(app)
    _register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from core.auth import load_user

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.user_loader(load_user)
    csrf.init_app(app)
    app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
    _skip_limiter_hooks_for_lean_views(app)
    app.session_interface = CookieSessionInterface()


class DatabaseIntConverter(IntegerConverter):
    """``<int:…>`` in URLs: ASCII digits within the databases' 32-bit ids, else a 404.

    Werkzeug's pattern ``\\d+`` also matches other scripts' digits (full-width "1" in
    ``/innovations/<id>``); those are a 404 too.  Without the 32-bit limit PostgreSQL
    refuses such a number in a query ("integer out of range").
    The 404 is raised while matching (not a converter mismatch, after which werkzeug could
    answer 405 because a sibling route of another method has the same shape).
    """

    def to_python(self, value: str) -> int:
        """The id, or 404 when it cannot be a row's id."""
        if not value.isascii():
            raise NotFound()
        number = int(super().to_python(value))
        if number > MAX_INT:
            raise NotFound()
        return number


class CookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, minus the signing set-up for cookie-less requests.

    A phone posting a vote (or any API client) brings no session cookie; Flask would still
    build a signing serializer for it on every request.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """An empty session when the request has no session cookie, else Flask's."""
        if self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


def _skip_limiter_hooks_for_lean_views(app: Flask) -> None:
    """Lean views (:func:`core.web.lean`) apply their own limits: skip Flask-Limiter's hooks.

    Its before-request hook evaluates (empty) limit sets even for a request its request
    filters exempt, and its after-request and teardown hooks look up its per-request
    context; on a hot path that is measurable work for nothing.
    """
    for registry in (app.before_request_funcs, app.after_request_funcs):
        hooks = registry.setdefault(None, [])
        hooks[:] = [_unless_lean(hook) if _is_limiter_hook(hook) else hook for hook in hooks]
    teardowns = app.teardown_request_funcs.setdefault(None, [])
    teardowns[:] = [_unless_lean(t) if _is_limiter_hook(t) else t for t in teardowns]


def _is_limiter_hook(hook: Any) -> bool:
    owner = getattr(hook, "__self__", None)
    if owner is None and isinstance(hook, partial) and hook.args:
        owner = hook.args[0]
    return owner is limiter


def _unless_lean(hook: Any) -> Any:
    """``hook`` for every request but those of lean views (which get their argument back)."""

    def wrapper(*args: Any) -> Any:
        if has_request_context() and is_lean(
            current_app.view_functions.get(request.endpoint or "")
        ):
            return args[0] if args else None
        return hook(*args)

    wrapper.__name__ = f"unless_lean_{getattr(hook, '__name__', 'hook')}"
    return wrapper


def _register_blueprints(app: Flask) -> None:
    from core.api.core_api import bp as api_bp
    from core.api.history_api import bp as history_api_bp
    from core.api.organizations_api import bp as organizations_api_bp
    from core.api.privacy_api import bp as privacy_api_bp
    from core.views import account, admin, auth, console, docs, me, organizations, public

    for blueprint in (
        public.bp,
        auth.bp,
        account.bp,
        me.bp,
        console.bp,
        admin.bp,
        organizations.bp,
        api_bp,
        organizations_api_bp,
        privacy_api_bp,
        history_api_bp,
        docs.bp,
    ):
        _register(app, blueprint)
    registry = app.extensions["gelar_plugins"]
    for plugin_name, blueprint in registry.owned_blueprints():
        _register(app, blueprint)
        registry.blueprint_owner[blueprint.name] = plugin_name


def _register(app: Flask, blueprint: Any) -> None:
    if isinstance(blueprint, ApiBlueprint):
        csrf.exempt(blueprint)
    app.register_blueprint(blueprint)


def _register_plugin_gate(app: Flask) -> None:
    registry = app.extensions["gelar_plugins"]
    app.extensions["gelar_event_cache"] = EventStateCache(float(app.config["LEAN_CACHE_SECONDS"]))

    @app.before_request
    def _plugin_gate() -> None:
        """404 for a plugin's pages and API on an event where the plugin is off.

        Also 404 on a draft event for everybody but its organizers and site admins, who
        may come with a session or (for the API) a bearer token.
        """
        owners = [
            registry.blueprint_owner[name]
            for name in request.blueprints
            if name in registry.blueprint_owner
        ]
        if not owners:
            return
        if is_lean(app.view_functions.get(request.endpoint or "")) and _lean_gate(owners[0]):
            return
        if isinstance(app.blueprints.get(request.blueprints[0]), ApiBlueprint):
            # The gate runs before the API blueprint's hooks: resolve a bearer token now,
            # so a draft event's organizers (and site admins) see its plugin API.
            authenticate_bearer()
        event = current_event()
        if owners[0] not in event.enabled_plugin_names:
            raise ApiError(404, "not_found", "This feature is not enabled for this event.")

    def _lean_gate(plugin: str) -> bool:
        """One Core query for a lean view; ``False`` hands drafts and unknowns to the full path."""
        slug = (request.view_args or {}).get("event")
        if not isinstance(slug, str) or not SLUG_PATTERN.match(slug):
            return False
        state = app.extensions["gelar_event_cache"].get(get_connection(), slug, plugin)
        if state is None or state.status == "draft":
            return False
        if not state.plugin_enabled:
            raise ApiError(404, "not_found", "This feature is not enabled for this event.")
        g.lean_event = state
        return True


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def _service_error(exc: ServiceError) -> Any:
        return _http_error(from_service_error(exc))

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError) -> Any:
        if _wants_json():
            return jsonify(error_body("csrf_failed", exc.description)), 400
        return render_template("errors/error.html", status=400, message=exc.description), 400

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        if _wants_json():
            code = getattr(exc, "error_code", None) or _default_code(status)
            fields = getattr(exc, "fields", {})
            extra = getattr(exc, "extra", {})
            response = jsonify(error_body(code, exc.description or exc.name, fields, **extra))
            response.status_code = status
            for name, value in exc.get_headers():  # e.g. Allow on 405; keep our Content-Type
                if name.lower() != "content-type":
                    response.headers[name] = value
            return response
        template = f"errors/{status}.html" if status in {403, 404, 500} else "errors/error.html"
        return render_template(template, status=status, message=exc.description), status

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Any:
        log.exception("unhandled error on %s %s", request.method, request.path)
        if app.testing:
            raise exc
        if _wants_json():
            return jsonify(error_body("server_error", "Something went wrong on our side.")), 500
        return render_template("errors/500.html", status=500), 500


def _default_code(status: int) -> str:
    return {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "too_large",
        415: "unsupported_media_type",
        422: "validation_failed",
        429: "rate_limited",
    }.get(status, "error")


def _register_cli(app: Flask) -> None:
    from core.cli import register_commands

    register_commands(app)
