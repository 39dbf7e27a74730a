"""Core's static files: hashed URLs in the pages, a year's lifetime for them (issue 22)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient


def test_pages_link_hashed_static_files_cached_for_a_year(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    found = re.search(r'href="(/static/gelar\.css\?v=[0-9a-f]{10})"', page)
    assert found is not None
    hashed = client.get(found.group(1))
    assert hashed.status_code == 200
    assert hashed.cache_control.max_age == 365 * 24 * 3600 and hashed.cache_control.immutable
    assert not client.get("/static/gelar.css").cache_control.immutable  # no hash: short
    assert not client.get("/static/gelar.css?v=0000000000").cache_control.immutable
    assert client.get("/static/missing.css?v=0000000000").status_code == 404
