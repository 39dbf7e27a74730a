"""The plugin's static files under content-hashed names, cached by browsers for a year.

``asset_url("agenda.js")`` is ``/<event>/symposium/assets/agenda.<hash>.js``; the hash is
the first 10 hex digits of the file's SHA-256, so a changed file gets a new URL and the old
one may be cached forever (``immutable``).  A name without a hash (or with an old one) is
still served, with a short lifetime.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

from flask import Response, send_from_directory, url_for

STATIC = Path(__file__).parent / "static"
LONG = 365 * 24 * 3600
SHORT = 300
_HASHED = re.compile(r"^(?P<stem>[\w-]+)\.(?P<hash>[0-9a-f]{10})\.(?P<ext>[a-z0-9]+)$")


@cache
def content_hash(filename: str) -> str:
    """The first 10 hex digits of the SHA-256 of ``static/<filename>`` (read once)."""
    return hashlib.sha256((STATIC / filename).read_bytes()).hexdigest()[:10]


def hashed_name(filename: str) -> str:
    """``agenda.js`` → ``agenda.<hash>.js``."""
    stem, _, ext = filename.rpartition(".")
    return f"{stem}.{content_hash(filename)}.{ext}"


def asset_url(filename: str, event_slug: str) -> str:
    """The URL of a plugin asset under its hashed name."""
    return url_for("symposium.asset", event=event_slug, filename=hashed_name(filename))


def serve(filename: str) -> Response:
    """Serve ``filename`` (hashed: a year, ``immutable``; otherwise a few minutes)."""
    match = _HASHED.match(filename)
    if match is not None:
        plain = f"{match['stem']}.{match['ext']}"
        if (STATIC / plain).is_file() and content_hash(plain) == match["hash"]:
            response = send_from_directory(STATIC, plain, max_age=LONG)
            response.cache_control.no_cache = None
            response.cache_control.immutable = True
            response.cache_control.public = True
            return response
        filename = plain
    return send_from_directory(STATIC, filename, max_age=SHORT)
