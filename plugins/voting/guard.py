"""Rate limits of the people's-choice vote, on Flask-Limiter's storage (Redis in production).

Two limits, neither of which punishes a venue whose visitors share one address:

* per pass (``VOTING_RATE_LIMIT``, default 30/minute): one pass cannot hammer the endpoint;
* per address, counting only *unknown* passes (``VOTING_GUESS_LIMIT``, default
  60/minute): guessing codes from one address is stopped — once over, every vote from that
  address answers 429 until the window ends — while a hall full of phones with valid passes
  never comes near it.

The vote view calls the ``limits`` strategy Flask-Limiter holds directly instead of its
decorator: the same storage and the same semantics, without resolving decorators, default
limits and header injection on every vote.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse

from core.api import ApiError
from core.extensions import limiter
from core.services.errors import Forbidden
from core.services.passes import normalize_code

DEFAULT_PASS_LIMIT = "30/minute"
DEFAULT_GUESS_LIMIT = "60/minute"


@lru_cache(maxsize=16)
def _item(spec: str) -> RateLimitItem:
    return parse(spec)


def _limits() -> tuple[RateLimitItem, RateLimitItem] | None:
    """The pass and guess limits, or ``None`` when rate limiting is switched off."""
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return None
    return (
        _item(config.get("VOTING_RATE_LIMIT") or DEFAULT_PASS_LIMIT),
        _item(config.get("VOTING_GUESS_LIMIT") or DEFAULT_GUESS_LIMIT),
    )


class RateLimited(ApiError):
    """429 ``rate_limited`` with ``Retry-After`` (seconds until the window resets)."""

    def __init__(self, message: str, item: RateLimitItem, *identifiers: str) -> None:
        super().__init__(429, "rate_limited", message)
        reset_at, _remaining = limiter.limiter.get_window_stats(item, *identifiers)
        self.retry_after = max(1, math.ceil(reset_at - time.time()))

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        """The error's headers plus ``Retry-After``."""
        return [*super().get_headers(*args, **kwargs), ("Retry-After", str(self.retry_after))]


def admit(code: str | None, user_id: int | None = None) -> None:
    """Count a vote attempt; 429 when its pass (or voter) or its address is over the limit.

    ``code`` is the pass typed or scanned; without one, the signed-in ``user_id`` votes
    with the pass they hold and is counted instead.
    """
    limits = _limits()
    if limits is None:
        return
    per_pass, per_address = limits
    address = get_remote_address() or "unknown"
    if not limiter.limiter.test(per_address, "vote-guess", address):
        message = _("Too many unknown passes from your network. Try again in a minute.")
        raise RateLimited(message, per_address, "vote-guess", address)
    key = normalize_code(code)[:32] if code else (f"user:{user_id}" if user_id else "")
    if key and not limiter.limiter.hit(per_pass, "vote-pass", key):
        message = _("Too many attempts with this pass. Try again in a minute.")
        raise RateLimited(message, per_pass, "vote-pass", key)


@contextmanager
def counting_unknown_passes(code: str | None) -> Iterator[None]:
    """Around the ballot check: an unknown pass ``code`` counts against the address."""
    try:
        yield
    except Forbidden:
        limits = _limits()
        if code and limits is not None:
            limiter.limiter.hit(limits[1], "vote-guess", get_remote_address() or "unknown")
        raise
