"""Rate limits of the people's-choice vote, on Flask-Limiter's storage (Redis in production).

Both limits count refused votes only, so neither punishes a venue whose visitors share one
address, and a vote that counts writes nothing to the limiter's storage:

* per pass (``VOTING_RATE_LIMIT``, default 30/minute): a pass that keeps being refused
  (already voted, vote closed) cannot hammer the endpoint;
* per address, counting *unknown* passes (``VOTING_GUESS_LIMIT``, default 60/minute):
  guessing codes from one address is stopped — once over, every vote from that address
  answers 429 until the window ends — while a hall full of phones with valid passes never
  comes near it.

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
from core.services.errors import Forbidden, ServiceError
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


@contextmanager
def guarded(code: str | None, user_id: int | None = None) -> Iterator[None]:
    """Around one vote: 429 when its address or its pass is over the limit; counts refusals.

    ``code`` is the pass typed or scanned; without one the signed-in ``user_id`` votes
    with the pass they hold and stands for it.  An unknown pass (403) counts against the
    caller's address; any other refusal (409, 404) against the pass.  Votes that count cost
    two reads of the limiter's storage and no writes.
    """
    limits = _limits()
    if limits is None:
        yield
        return
    per_pass, per_address = limits
    address = get_remote_address() or "unknown"
    if not limiter.limiter.test(per_address, "vote-guess", address):
        message = _("Too many unknown passes from your network. Try again in a minute.")
        raise RateLimited(message, per_address, "vote-guess", address)
    key = normalize_code(code)[:32] if code else (f"user:{user_id}" if user_id else "")
    if key and not limiter.limiter.test(per_pass, "vote-pass", key):
        message = _("Too many attempts with this pass. Try again in a minute.")
        raise RateLimited(message, per_pass, "vote-pass", key)
    try:
        yield
    except Forbidden:
        if code:
            limiter.limiter.hit(per_address, "vote-guess", address)
        raise
    except ServiceError:
        if key:
            limiter.limiter.hit(per_pass, "vote-pass", key)
        raise
