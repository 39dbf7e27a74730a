"""Configuration: defaults, then ``instance/config.py``, then ``GELAR_*`` environment variables.

Precedence is lowest to highest; an explicit ``config`` mapping passed to
:func:`core.create_app` wins over all three (tests use it).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, Any] = {
    "ENV_NAME": "development",
    # DEBUG is left to Flask, which reads FLASK_DEBUG (``flask --debug run``); GELAR_DEBUG
    # overrides it.  Production mode refuses to start when it ends up on.
    "TESTING": False,
    "SECRET_KEY": None,
    "DATABASE_URL": None,  # None → SQLite file in the instance folder
    "REDIS_URL": None,
    "MAIL_SERVER": None,
    "MAIL_PORT": 587,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_USE_TLS": True,
    "MAIL_USE_SSL": False,
    "MAIL_DEFAULT_SENDER": "Gelar <noreply@gelar.local>",
    "MAIL_SEND_IMMEDIATELY": True,
    # With REDIS_URL, mail goes to the worker's queue (`gelar mail worker`, core/mail_queue.py)
    # instead of being sent at the end of the request; False keeps it in the request.
    "MAIL_QUEUE": True,
    "BASE_URL": None,
    "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
    "API_MAX_JSON_BYTES": 1024 * 1024,
    # Storage caps for uploaded files (docs/security.md): all documents of one registration,
    # and every file of one event (documents, logos, speaker photos).  None: no cap.
    "UPLOAD_QUOTA_REGISTRATION_BYTES": 50 * 1024 * 1024,
    "UPLOAD_QUOTA_EVENT_BYTES": 2 * 1024 * 1024 * 1024,
    "API_TOKEN_TTL_HOURS": 24 * 7,
    # Rate limits (Flask-Limiter strings, several joined by ";"), kept in Redis when
    # REDIS_URL is set so every worker shares them.  Failed sign-ins (web form, API token
    # and the verification page) per account, and per client address whatever the e-mail:
    "SIGNIN_RATE_LIMIT": "10 per 15 minutes",
    "SIGNIN_ADDRESS_RATE_LIMIT": "20 per 15 minutes",
    # Mails anyone can trigger without signing in (sign-up, forgot password, a new
    # verification link, a registration's "send the link again", visitor passes): per
    # target (the e-mail or registration) and per client address.  Visitor sign-ups get a
    # larger per-address budget, as a whole hall may share one Wi-Fi address.
    "MAIL_TARGET_RATE_LIMIT": "3 per 15 minutes; 10 per day",
    "MAIL_ADDRESS_RATE_LIMIT": "20 per hour",
    "VISITOR_ADDRESS_RATE_LIMIT": "300 per hour",
    "BABEL_DEFAULT_LOCALE": "id",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
    "LANGUAGES": ("id", "en"),
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    # A browser session unused this long ends (remember-me sessions last
    # REMEMBER_COOKIE_DURATION, Flask-Login's default a year, since last use).
    "SESSION_IDLE_HOURS": 24 * 14,
    "PASSWORD_RESET_MAX_AGE": 60 * 60 * 24,
    "INVITATION_MAX_AGE": 60 * 60 * 24 * 14,
    "EMAIL_VERIFICATION_MAX_AGE": 60 * 60 * 24 * 14,
    "SQLITE_BUSY_TIMEOUT_MS": 15000,
    # A write inside a GET's read-only SQLite transaction raises (True) or is logged (False);
    # None: raise in testing mode only.  See docs/database.md.
    "SQLITE_STRICT_READS": None,
    # Reverse proxies in front of Gelar whose X-Forwarded-For/-Proto/-Host are trusted
    # (0: none, take the socket's address; 1: one nginx in front, ...).
    "PROXY_COUNT": 0,
    # Seconds a worker process may reuse what a lean view (the people's-choice vote) read
    # of its event and plugin switch; changes made in the same process apply at once.
    "LEAN_CACHE_SECONDS": 2,
    # How often (milliseconds) each worker compares the shared version of the events that
    # every change raises (in Redis with REDIS_URL, else in the database): a change made on
    # any worker of any instance reaches the lean views within this time (0: every request).
    "LEAN_VERSION_CHECK_MS": 50,
    # /metrics for Prometheus (core/metrics.py); off by default, keep it behind the proxy.
    "METRICS_ENABLED": False,
    # The gelar loggers write JSON lines with the request id, plus one access line per
    # request (core/request_log.py).
    "LOG_JSON": False,
    # CSP frame-ancestors: who may show Gelar's pages in a frame.  'none' (also sends
    # X-Frame-Options: DENY); a kiosk embedding sets e.g. "'self' https://kiosk.example.id".
    "FRAME_ANCESTORS": "'none'",
}

# Environment variables read on top of the instance config file: GELAR_<NAME> → NAME.
ENV_KEYS = (
    "DATABASE_URL",
    "SECRET_KEY",
    "REDIS_URL",
    "BASE_URL",
    "ENV_NAME",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_USE_TLS",
    "MAIL_USE_SSL",
    "MAIL_DEFAULT_SENDER",
    "MAIL_QUEUE",
    "PROXY_COUNT",
    "LEAN_CACHE_SECONDS",
    "LEAN_VERSION_CHECK_MS",
    "SIGNIN_RATE_LIMIT",
    "SIGNIN_ADDRESS_RATE_LIMIT",
    "MAIL_TARGET_RATE_LIMIT",
    "MAIL_ADDRESS_RATE_LIMIT",
    "VISITOR_ADDRESS_RATE_LIMIT",
    "FRAME_ANCESTORS",
    "METRICS_ENABLED",
    "LOG_JSON",
)
_BOOL_KEYS = {"MAIL_USE_TLS", "MAIL_USE_SSL", "MAIL_QUEUE", "METRICS_ENABLED", "LOG_JSON", "DEBUG"}
_INT_KEYS = {"MAIL_PORT", "PROXY_COUNT", "LEAN_CACHE_SECONDS", "LEAN_VERSION_CHECK_MS"}


class ConfigError(RuntimeError):
    """Raised when a configuration value cannot be used, with a message saying which."""


class InsecureConfigError(ConfigError):
    """Raised when production mode would start with settings that are not safe."""


def default_instance_path() -> Path:
    """Return the instance folder: ``GELAR_INSTANCE_PATH`` or ``instance/`` in the project."""
    return Path(os.environ.get("GELAR_INSTANCE_PATH") or PROJECT_ROOT / "instance").resolve()


def _coerce(key: str, raw: str) -> Any:
    if key in _BOOL_KEYS:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if key in _INT_KEYS:
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"GELAR_{key} must be a whole number, not {raw!r}.") from None
    return raw


def environment_overrides(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Read ``GELAR_*`` variables into config keys."""
    environ = dict(os.environ if environ is None else environ)
    found: dict[str, Any] = {}
    for key in ENV_KEYS:
        value = environ.get(f"GELAR_{key}")
        if value not in (None, ""):
            found[key] = _coerce(key, value)
    if environ.get("GELAR_DEBUG"):
        found["DEBUG"] = _coerce("DEBUG", environ["GELAR_DEBUG"])
    return found


def load_or_create_secret_key(instance_path: Path) -> str:
    """Return the secret key stored in the instance folder, creating it once if missing.

    The key is written to a private temporary file and hard-linked into place, so when
    several workers start at once exactly one key wins and every worker reads that one.
    """
    key_file = instance_path / "secret_key"
    existing = key_file.read_text().strip() if key_file.exists() else ""
    if existing:
        return existing
    instance_path.mkdir(parents=True, exist_ok=True)
    candidate = instance_path / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    try:
        if key_file.exists():  # present but empty: replace it
            os.replace(candidate, key_file)
        else:
            os.link(candidate, key_file)
    except FileExistsError:
        pass  # another worker was first; use its key
    finally:
        candidate.unlink(missing_ok=True)
    return key_file.read_text().strip()


RATE_LIMIT_KEYS = (
    "SIGNIN_RATE_LIMIT",
    "SIGNIN_ADDRESS_RATE_LIMIT",
    "MAIL_TARGET_RATE_LIMIT",
    "MAIL_ADDRESS_RATE_LIMIT",
    "VISITOR_ADDRESS_RATE_LIMIT",
)


def check_rate_limits(config: dict[str, Any]) -> None:
    """Refuse to start with a rate-limit string Flask-Limiter cannot read."""
    from limits import parse_many

    for key in RATE_LIMIT_KEYS:
        value = config.get(key)
        try:
            if not isinstance(value, str) or not parse_many(value):
                raise ValueError(value)
        except ValueError:
            raise ConfigError(
                f"{key} must be a rate limit such as '10 per 15 minutes', not {value!r}."
            ) from None


def check_production_safety(config: dict[str, Any]) -> None:
    """Refuse to run in production with a missing secret key or debug mode on."""
    if config.get("ENV_NAME") != "production":
        return
    problems = []
    if not config.get("SECRET_KEY") or config.get("SECRET_KEY_GENERATED"):
        problems.append("GELAR_SECRET_KEY is not set (a generated key must not be used)")
    elif len(str(config["SECRET_KEY"])) < 32:
        problems.append("GELAR_SECRET_KEY is shorter than 32 characters")
    if config.get("DEBUG") or os.environ.get("FLASK_DEBUG", "").lower() in {
        "1",
        "true",
        "yes",
        "on",
    }:
        problems.append("debug mode is on")
    if problems:
        raise InsecureConfigError(
            "Refusing to start in production mode: " + "; ".join(problems) + "."
        )
