"""Browser fixtures: the real app served in a thread, driven by the system Chromium.

Each test module gets a fresh database per backend (SQLite always, PostgreSQL when
``GELAR_TEST_DATABASE_URL`` is set) and a live server on a free port of 127.0.0.1, with
CSRF on so the real forms are exercised.  Chromium is the system one
(``GELAR_CHROMIUM``, default ``/usr/bin/chromium``) driven by Playwright's sync API —
never ``playwright install``.  Without Playwright or Chromium the tests skip, or fail when
``GELAR_TEST_REQUIRE`` contains ``browser``.  A failing test leaves a screenshot in
``test-artifacts/``.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from core import create_app
from core.db import get_db
from tests.conftest import TEST_SECRET, _truncate_postgres, skip_or_fail

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class LiveServer:
    """A running Gelar app reachable over HTTP."""

    app: Flask
    url: str

    def __call__(self, path: str) -> str:
        """The absolute URL of ``path`` on this server."""
        return self.url + path


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember each phase's report on the test item so fixtures can see failures."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def live_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh, migrated, empty database for one test module (per backend)."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path_factory.mktemp("e2e-db") / "gelar.sqlite3"
        shutil.copy(template, path)
        yield f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_url")
        _truncate_postgres(url)
        yield url
        _truncate_postgres(url)


@pytest.fixture(scope="module")
def live_app(live_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """A production-like app (CSRF on, not in testing mode) on the module's database."""
    application = create_app(
        {
            "TESTING": False,
            "DATABASE_URL": live_database_url,
            "INSTANCE_PATH": str(tmp_path_factory.mktemp("e2e-instance")),
            "SECRET_KEY": TEST_SECRET,
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_ENABLED": False,
            "MAIL_SERVER": None,
        }
    )
    yield application
    get_db(application).dispose()


@pytest.fixture(scope="module")
def live_server(live_app: Flask) -> Iterator[LiveServer]:
    """Serve ``live_app`` from a background thread on a free local port."""
    server: BaseWSGIServer = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="gelar-e2e", daemon=True)
    thread.start()
    try:
        yield LiveServer(live_app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """The system Chromium under Playwright, shared by every browser test."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("browser", "Playwright is not installed")
    executable = os.environ.get("GELAR_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        skip_or_fail("browser", f"Chromium not found at {executable} (set GELAR_CHROMIUM)")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Exception as exc:  # any launch problem means "no browser"
            skip_or_fail("browser", f"Chromium at {executable} did not start: {exc}")
        yield chromium
        chromium.close()


def _artifact_name(item: pytest.Item) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid.split("::", 1)[-1])[:120]


@pytest.fixture
def new_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Open pages in fresh browser contexts; screenshot every open page if the test fails.

    Call it with Playwright ``new_context`` options, e.g. ``new_page(viewport=...)``.
    """
    contexts: list[Any] = []

    def _open(**options: Any) -> Any:
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield _open
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = _artifact_name(request.node)
        for i, context in enumerate(contexts):
            for j, page in enumerate(context.pages):
                page.screenshot(path=str(ARTIFACTS / f"{name}-{i}-{j}.png"), full_page=True)
    for context in contexts:
        context.close()
