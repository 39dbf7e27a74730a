"""Flask extensions shared by core and plugins, created unbound and initialised per app.

Besides the decorator limits of Flask-Limiter, this module offers *named budgets*
(:func:`over_limit`, :func:`spend`, :func:`count`) kept in the same storage (Redis when
``GELAR_REDIS_URL`` is set, so every worker shares them; memory otherwise).  A budget is a
config key holding a limit string such as ``"10 per 15 minutes"`` (several separated by
``;``) plus a scope and a value (an e-mail, a client address, a registration id); values
are hashed into the storage key, so any input (NUL, lone surrogates) makes a valid key.
"""

from __future__ import annotations

import hashlib
import logging
from typing import NoReturn

from flask import abort, current_app, g
from flask_babel import Babel
from flask_babel import gettext as _
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter, RateLimiter

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
log = logging.getLogger("gelar.limits")

limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)
# Used only while the configured storage (Redis) fails: limits stay enforced per process.
_fallback = FixedWindowRateLimiter(MemoryStorage())

# Named budgets: config key of the limit string for each (documented in core/config.py).
SIGNIN_ACCOUNT = "SIGNIN_RATE_LIMIT"
SIGNIN_ADDRESS = "SIGNIN_ADDRESS_RATE_LIMIT"
MAIL_TARGET = "MAIL_TARGET_RATE_LIMIT"
MAIL_ADDRESS = "MAIL_ADDRESS_RATE_LIMIT"
VISITOR_ADDRESS = "VISITOR_ADDRESS_RATE_LIMIT"


def client_address() -> str:
    """The client's address as the limiter sees it (after the trusted proxies)."""
    return get_remote_address()


def limit_key(value: object) -> str:
    """A storage-safe key for any value: a SHA-256 digest of its text, lowercased."""
    text = value if isinstance(value, str) else str(value)
    raw = text.strip().lower().encode("utf-8", "surrogatepass")
    return hashlib.sha256(raw).hexdigest()[:32]


def _items(config_key: str) -> list[RateLimitItem]:
    return list(parse_many(current_app.config[config_key]))


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _strategy() -> RateLimiter:
    try:
        return limiter.limiter
    except (AssertionError, RuntimeError):  # pragma: no cover - limiter not initialised
        return _fallback


def over_limit(config_key: str, scope: str, value: object) -> bool:
    """Whether the budget for ``(scope, value)`` is already spent (counts nothing)."""
    if not _enabled():
        return False
    key = limit_key(value)
    for item in _items(config_key):
        try:
            allowed = _strategy().test(item, "gelar", scope, key)
        except Exception:  # storage down: fall back to this process's memory
            log.warning("rate-limit storage failed; using per-process memory", exc_info=True)
            allowed = _fallback.test(item, "gelar", scope, key)
        if not allowed:
            return True
    return False


def count(config_key: str, scope: str, value: object) -> None:
    """Count one use against the budget for ``(scope, value)``."""
    spend(config_key, scope, value)


def spend(config_key: str, scope: str, value: object) -> bool:
    """Count one use; whether it was still within the budget (``False``: answer 429)."""
    if not _enabled():
        return True
    key = limit_key(value)
    within = True
    for item in _items(config_key):
        try:
            ok = _strategy().hit(item, "gelar", scope, key)
        except Exception:  # storage down: fall back to this process's memory
            log.warning("rate-limit storage failed; using per-process memory", exc_info=True)
            ok = _fallback.hit(item, "gelar", scope, key)
        within = within and ok
    return within


def signin_allowed(email: object) -> bool:
    """Whether another sign-in attempt for ``email`` from this client may be tried.

    Failed sign-ins are limited per account (``SIGNIN_RATE_LIMIT``, whatever the address)
    and per client address (``SIGNIN_ADDRESS_RATE_LIMIT``, whatever the e-mail), so one
    address cannot spray many accounts and many addresses cannot hammer one account.
    """
    return not (
        over_limit(SIGNIN_ACCOUNT, "signin.account", _email_key(email))
        or over_limit(SIGNIN_ADDRESS, "signin.address", client_address())
    )


def count_failed_signin(email: object) -> None:
    """Count a failed sign-in against the account's and the address's budgets."""
    count(SIGNIN_ACCOUNT, "signin.account", _email_key(email))
    count(SIGNIN_ADDRESS, "signin.address", client_address())


def spend_mail_budget(scope: str, target: object, *, address_key: str = MAIL_ADDRESS) -> bool:
    """Count a mail-sending action reachable without sign-in, per target and per address.

    ``target`` is what the mail goes to (an e-mail, a registration id); whether both
    budgets still allowed it (``False``: send nothing and answer 429).
    """
    per_target = spend(MAIL_TARGET, f"mail.{scope}.target", target)
    per_address = spend(address_key, f"mail.{scope}.address", client_address())
    return per_target and per_address


def _email_key(email: object) -> str:
    """Accounts are keyed by their normalised e-mail; unusable input by its raw text."""
    from core.services.accounts import clean_email_or_none

    return clean_email_or_none(email) or (email if isinstance(email, str) else "")


def too_many_requests() -> NoReturn:
    """Answer 429 with a translated message (an error page, or the API's JSON error).

    Whatever the request's session started is rolled back first: a refused action
    writes nothing.
    """
    if "db_session" in g:
        g.db_session.rollback()
    abort(429, description=_("Too many attempts. Please wait a while and try again."))
