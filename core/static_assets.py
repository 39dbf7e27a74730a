"""Core's static files under URLs that carry their content hash, cached for a year.

``static_url("gelar.css")`` (a Jinja global) is ``/static/gelar.css?v=<sha256[:10]>``.
A request whose ``v`` matches the file's current hash is answered with
``Cache-Control: public, max-age=31536000, immutable``: a changed file gets a new URL, so
browsers never need to ask again.  Without ``v`` (or with an old one) Flask's default
lifetime applies.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, request, url_for

YEAR = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    """Add ``static_url`` to the templates and the long lifetime to hashed requests."""
    folder = Path(app.static_folder or "")
    hashes: dict[str, str] = {}

    def content_hash(filename: str) -> str:
        if filename not in hashes:
            path = (folder / filename).resolve()
            if folder.resolve() not in path.parents or not path.is_file():
                return ""
            hashes[filename] = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        return hashes[filename]

    def static_url(filename: str) -> str:
        """The URL of a core static file with its content hash."""
        return url_for("static", filename=filename, v=content_hash(filename) or None)

    app.jinja_env.globals["static_url"] = static_url
    plain = app.view_functions["static"]

    def static(filename: str) -> Any:
        """Flask's static view; a year's lifetime when ``v`` is the file's hash."""
        response = plain(filename=filename)
        version = request.args.get("v")
        if version and version == content_hash(filename) and response.status_code == 200:
            response.cache_control.no_cache = None
            response.cache_control.max_age = YEAR
            response.cache_control.public = True
            response.cache_control.immutable = True
        return response

    app.view_functions["static"] = static
