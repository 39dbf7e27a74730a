"""Security headers on every response, and pages the strict CSP can render as they are.

The crawl walks the demo event (``gelar demo`` data) from ``/`` as a visitor, then as the
demo organizer and as the site admin, and checks every page it reaches: the headers, no
inline script, no ``on…=`` handler, no ``style=""`` attribute, and every ``<style>``
element carrying the nonce of its response's policy.
"""

from __future__ import annotations

import html
import re
from collections import deque
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from core import create_app
from core.db import get_db
from core.security_headers import content_security_policy
from core.services.demo import DEMO_ADMIN, DEMO_JUDGE_PASSWORD, DEMO_ORGANIZER, DEMO_SLUG, seed_demo
from core.services.demo_data import DEMO_JUDGES
from tests.conftest import TEST_SECRET

BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
LINK = re.compile(r"""(?:href|src|action)="([^"]+)\"""")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style([^>]*)>", re.IGNORECASE)
SKIP = ("/auth/logout", "/lang/")
MAX_PAGES = 300
PER_SHAPE = 3  # pages per URL shape (ids as N, no query): breadth over 178 alike pages


def directives(response: Any) -> dict[str, str]:
    """The response's CSP as ``{directive: sources}``."""
    policy = response.headers.get("Content-Security-Policy", "")
    pairs = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return {name: value for name, value in pairs}


def assert_headers(response: Any, where: str) -> None:
    """Every header of the policy is there, with the strict defaults."""
    for name, value in BASE_HEADERS.items():
        assert response.headers.get(name) == value, (where, name)
    assert "camera=()" in response.headers.get("Permissions-Policy", ""), where
    csp = directives(response)
    assert csp.get("default-src") == "'self'", where
    assert csp.get("script-src") == "'self'", where
    assert csp.get("object-src") == "'none'", where
    assert csp.get("base-uri") == "'self'", where
    assert csp.get("form-action") == "'self'", where
    assert csp.get("frame-ancestors") == "'none'", where
    assert csp.get("img-src") == "'self' data:", where
    assert re.fullmatch(r"'self'( 'nonce-[A-Za-z0-9_-]{22}')?", csp.get("style-src", "")), where
    assert "Strict-Transport-Security" not in response.headers  # not in production


def assert_csp_clean(response: Any, where: str) -> None:
    """An HTML page runs under the policy as written: nothing inline it would block."""
    page = response.get_data(as_text=True)
    assert not INLINE_SCRIPT.search(page), where
    assert not HANDLER.search(page), where
    assert not STYLE_ATTRIBUTE.search(page), where
    style_src = directives(response).get("style-src", "")
    for attributes in STYLE_ELEMENT.findall(page):
        nonce = re.search(r'nonce="([^"]+)"', attributes)
        assert nonce and f"'nonce-{nonce.group(1)}'" in style_src, (where, attributes)


def test_headers_on_pages_errors_api_and_static_files(client: FlaskClient, make: Any) -> None:
    make.event("jatim-2026", plugins=["exhibitors"])
    for path, status in (
        ("/", 200),
        ("/jatim-2026/", 200),
        ("/no-such-event/", 404),
        ("/api/v1/events", 200),
        ("/api/v1/events/nope", 404),
        ("/static/gelar.css", 200),
        ("/static/print.js", 200),
        ("/jatim-2026/exhibitors/floor-plan.svg", 200),
        ("/?q=%00", 400),
    ):
        response = client.get(path)
        assert response.status_code == status, path
        assert_headers(response, path)


def test_a_nonce_is_used_only_where_a_page_has_an_inline_style(
    client: FlaskClient, make: Any
) -> None:
    make.event("jatim-2026", plugins=["exhibitors"])
    home = client.get("/")
    assert "nonce" not in home.headers["Content-Security-Policy"]
    plan = client.get("/jatim-2026/exhibitors/floor-plan")
    assert_csp_clean(plan, "floor plan")
    assert "'nonce-" in directives(plan)["style-src"]
    again = client.get("/jatim-2026/exhibitors/floor-plan")
    assert directives(again)["style-src"] != directives(plan)["style-src"]  # fresh per request


def test_csp_text() -> None:
    policy = content_security_policy("'none'", "abc")
    assert "style-src 'self' 'nonce-abc'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def _app(tmp_path: Path, **config: Any) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": TEST_SECRET,
            **config,
        }
    )


def test_frame_ancestors_is_a_setting(tmp_path: Path) -> None:
    app = _app(tmp_path, FRAME_ANCESTORS="'self' https://kiosk.example.id")
    try:
        response = app.test_client().get("/static/gelar.css")
        assert directives(response)["frame-ancestors"] == "'self' https://kiosk.example.id"
        assert "X-Frame-Options" not in response.headers  # DENY would forbid the kiosk
    finally:
        get_db(app).dispose()


def test_hsts_only_in_production(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    app = _app(tmp_path, ENV_NAME="production")
    try:
        response = app.test_client().get("/static/gelar.css", base_url="https://gelar.test")
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    finally:
        get_db(app).dispose()


def test_a_view_may_keep_its_own_policy(app: Flask, client: FlaskClient) -> None:
    @app.get("/sandboxed-test-file")
    def sandboxed() -> Any:
        return "x", 200, {"Content-Security-Policy": "sandbox; default-src 'none'"}

    response = client.get("/sandboxed-test-file")
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _local(url: str) -> str | None:
    url = html.unescape(url).split("#", 1)[0]
    for prefix in ("http://gelar.test", "https://gelar.test"):
        if url.startswith(prefix):
            url = url[len(prefix) :]
    if not url.startswith("/") or url.startswith("//") or url.startswith(SKIP):
        return None
    return url


def crawl(client: FlaskClient, starts: list[str]) -> dict[str, int]:
    """GET every local link reachable from ``starts``; check each response on the way."""
    seen: dict[str, int] = {}
    shapes: dict[str, int] = {}
    queue = deque(starts)
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        shape = re.sub(r"\d+", "N", path.split("?", 1)[0])
        if path in seen or shapes.get(shape, 0) >= PER_SHAPE:
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(path)
        seen[path] = response.status_code
        assert response.status_code < 500, path
        assert_headers(response, path)
        if response.mimetype != "text/html":
            continue
        assert_csp_clean(response, path)
        for link in LINK.findall(response.get_data(as_text=True)):
            local = _local(link)
            if local and local not in seen:
                queue.append(local)
    return seen


@pytest.fixture
def demo(app: Flask, db: Session) -> None:
    """The demo event with every plugin's demo data."""
    seed_demo(db, app.extensions["gelar_plugins"])
    db.commit()


def test_every_demo_page_carries_the_headers(
    client: FlaskClient, auth: Any, demo: None, db: Session
) -> None:
    event = f"/{DEMO_SLUG}/"
    visited = crawl(client, ["/", event])
    assert len(visited) > 30
    assert any("/exhibitors/" in path for path in visited)
    assert any("/symposium/" in path for path in visited)
    assert auth.login(DEMO_ORGANIZER[0], DEMO_ORGANIZER[2]).status_code == 302
    managed = crawl(client, [f"{event}manage/"])
    assert any("/voting/manage" in path for path in managed)
    assert any("/registration/manage" in path for path in managed)
    auth.logout()
    assert auth.login(DEMO_JUDGES[0][1], DEMO_JUDGE_PASSWORD).status_code == 302
    judged = crawl(client, [f"{event}voting/judge/"])
    assert any(re.search(r"/voting/judge/\d+$", path) for path in judged)  # the score form
    auth.logout()
    assert auth.login(DEMO_ADMIN[0], DEMO_ADMIN[2]).status_code == 302
    assert len(crawl(client, ["/admin/"])) > 3


@pytest.mark.parametrize(
    ("plugin", "sheet"), [("exhibitors", "exhibitors.css"), ("voting", "voting.css")]
)
def test_plugin_stylesheets_follow_the_plugin_switch(
    client: FlaskClient, make: Any, plugin: str, sheet: str
) -> None:
    make.event("on-2026", plugins=[plugin])
    make.event("off-2026", plugins=[])
    response = client.get(f"/on-2026/{plugin}/assets/{sheet}")
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert_headers(response, sheet)
    assert client.get(f"/off-2026/{plugin}/assets/{sheet}").status_code == 404
    assert client.get(f"/on-2026/{plugin}/assets/../views.py").status_code == 404
