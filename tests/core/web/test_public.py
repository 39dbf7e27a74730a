"""Public pages: the home page, an event's home, drafts, styled error pages."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import abort

from core import create_app
from core.db import get_db
from tests.conftest import PASSWORD


def _positions(page: str, names: list[str]) -> list[int]:
    return [page.index(name) for name in names]


def test_home_lists_the_current_event_first(client: Any, make: Any) -> None:
    today = date.today()
    make.event("past-2019", starts_on=date(2019, 4, 24), ends_on=date(2019, 4, 24))
    make.event("past-2020", starts_on=date(2020, 4, 24), ends_on=date(2020, 4, 25))
    make.event("future", starts_on=today + timedelta(days=300), ends_on=today + timedelta(days=301))
    make.event("now", starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=1))
    page = client.get("/").get_data(as_text=True)
    order = _positions(page, ["Event now", "Event future", "Event past-2020", "Event past-2019"])
    assert order == sorted(order)
    assert "card-featured" in page.split("Event now")[0].rsplit("<li", 1)[1]


def test_drafts_are_hidden_from_the_public_and_shown_to_their_organizers(
    client: Any, auth: Any, make: Any
) -> None:
    organizer = make.user("panitia@example.id", "Panitia")
    make.user("someone@example.id", "Someone")
    make.event("jatim-2026", status="published")
    make.event("draft-2027", status="draft", organizer=organizer)
    make.event("archived-2018", status="archived")
    public = client.get("/").get_data(as_text=True)
    assert "Event jatim-2026" in public and "Event archived-2018" in public
    assert "Event draft-2027" not in public
    assert client.get("/draft-2027/").status_code == 404
    auth.login("someone@example.id")
    assert "Event draft-2027" not in client.get("/").get_data(as_text=True)
    assert client.get("/draft-2027/").status_code == 404
    auth.logout()
    auth.login("panitia@example.id")
    assert "Event draft-2027" in client.get("/").get_data(as_text=True)
    assert client.get("/draft-2027/").status_code == 200


def test_admins_see_every_draft(client: Any, auth: Any, make: Any) -> None:
    make.user("root@example.id", "Root", admin=True)
    make.event("draft-2027", status="draft")
    auth.login("root@example.id")
    assert "Event draft-2027" in client.get("/").get_data(as_text=True)
    assert client.get("/draft-2027/").status_code == 200


def test_empty_home_says_so(client: Any) -> None:
    assert "No events have been published yet." in client.get("/").get_data(as_text=True)


def test_event_home_shows_only_enabled_plugins(client: Any, make: Any) -> None:
    make.event("jatim-2026", plugins=["exhibitors", "symposium"])
    page = client.get("/jatim-2026/").get_data(as_text=True)
    assert 'class="panel" data-plugin="exhibitors"' in page
    assert 'data-plugin="voting"' not in page
    assert 'data-plugin="registration"' not in page
    assert "/jatim-2026/exhibitors/" in page and "/jatim-2026/voting/" not in page  # nav


def test_event_home_without_plugins(client: Any, make: Any) -> None:
    make.event("jatim-2026", plugins=[])
    page = client.get("/jatim-2026/").get_data(as_text=True)
    assert "Event jatim-2026" in page
    assert 'class="panel"' not in page


def test_manage_link_only_for_organizers(client: Any, auth: Any, make: Any) -> None:
    organizer = make.user("panitia@example.id", "Panitia")
    make.event("jatim-2026", organizer=organizer)
    assert "/jatim-2026/manage/" not in client.get("/jatim-2026/").get_data(as_text=True)
    auth.login("panitia@example.id")
    assert "/jatim-2026/manage/" in client.get("/jatim-2026/").get_data(as_text=True)


def test_unknown_event_is_a_styled_404(client: Any) -> None:
    response = client.get("/no-such-event/")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page and 'class="error-code"' in page
    assert "gelar.css" in page


def test_assets_are_served_locally(client: Any) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "https://" not in page.split("<body")[0]  # no CDN in the head
    assert client.get("/static/gelar.css").status_code == 200
    assert client.get("/static/favicon.svg").status_code == 200


def test_page_has_landmarks_and_a_skip_link(client: Any) -> None:
    page = client.get("/").get_data(as_text=True)
    for marker in ('<main id="main"', "<header", "<footer", 'class="skip-link"', "<nav"):
        assert marker in page


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"],
)
def test_language_switch_does_not_redirect_off_site(client: Any, target: str) -> None:
    response = client.post("/lang/id", data={"next": target})
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]
    assert "javascript" not in response.headers["Location"]
    assert 'lang="id"' in client.get("/").get_data(as_text=True)


def test_language_switch_returns_to_the_page(client: Any) -> None:
    response = client.post("/lang/id", data={"next": "/health?x=1"})
    assert response.headers["Location"].endswith("/health?x=1")


def test_default_language_is_indonesian(app: Any, client: Any) -> None:
    app.config["BABEL_DEFAULT_LOCALE"] = "id"
    assert 'lang="id"' in client.get("/").get_data(as_text=True)


def test_health(client: Any) -> None:
    assert client.get("/health").get_json() == {"status": "ok"}


@pytest.fixture
def production_like_app(app_config: dict[str, Any], tmp_path: Path) -> Any:
    """An app with TESTING off, a view that fails and one that forbids."""
    application = create_app(
        {**app_config, "TESTING": False, "INSTANCE_PATH": str(tmp_path / "prod")}
    )

    def boom() -> str:
        raise RuntimeError("kaboom")

    def forbidden() -> str:
        abort(403)

    application.add_url_rule("/boom", "boom", boom)
    application.add_url_rule("/api/v1/boom", "api_boom", boom)
    application.add_url_rule("/forbidden", "forbidden", forbidden)
    yield application
    get_db(application).dispose()


def test_unexpected_errors_render_the_styled_500_page(production_like_app: Any) -> None:
    client = production_like_app.test_client()
    response = client.get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page
    assert "kaboom" not in page and "Traceback" not in page
    assert "gelar.css" in page


def test_unexpected_api_errors_answer_json(production_like_app: Any) -> None:
    response = production_like_app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "server_error"


def test_styled_403_page(production_like_app: Any) -> None:
    response = production_like_app.test_client().get("/forbidden")
    assert response.status_code == 403
    assert "You may not open this page" in response.get_data(as_text=True)


def test_signed_in_pages_show_sign_out(client: Any, auth: Any, make: Any) -> None:
    make.user()
    client.post("/auth/login", data={"email": "user@example.id", "password": PASSWORD})
    page = client.get("/").get_data(as_text=True)
    assert "Sign out" in page and 'action="/auth/logout"' in page
