"""Named cross-event scenarios of issue 10 on the matrix's seed (both backends).

* The organizer of event B is refused (403 or 404) on every organizer page and API route
  of event A, with a session and with a bearer token, while the same routes of B let them in.
* A draft event's plugin API answers its organizer's and the site admin's bearer token
  exactly as a published event's does; everybody else gets 404, as for a hidden draft.
"""

from __future__ import annotations

from typing import Any

from tests.authz.seed import PERSONAS, SLUG_A, SLUG_B, SLUG_DRAFT, Seed
from tests.authz.test_matrix import allowed_for, passed, request_as, rules, url_for_rule

PLUGIN_APIS = ("registration_api.", "exhibitors_api.", "symposium_api.", "voting_api.")


def _organizer_only(seed: Seed) -> list[tuple[str, str, Any]]:
    """Event routes the organizer of A passes and the organizer of B must not."""
    found = []
    for endpoint, method, rule in rules(seed.app):
        if "event" not in rule.arguments:
            continue
        wanted = allowed_for(endpoint, method)
        if "organizer" in wanted and "organizer_other" not in wanted:
            found.append((endpoint, method, rule))
    return found


def test_organizer_of_another_event_is_refused_everywhere_in_event_a(seeded: Seed) -> None:
    routes = _organizer_only(seeded)
    assert len(routes) > 60  # the console, every plugin's management pages and API
    wrong = []
    for endpoint, method, rule in routes:
        url = url_for_rule(seeded, rule)
        for bearer in (False, True):
            if bearer and not url.startswith("/api/"):
                continue
            response = request_as(seeded, "organizer_other", endpoint, method, url, bearer=bearer)
            if response.status_code not in (403, 404):
                wrong.append(f"{method} {url} (bearer={bearer}): {response.status_code}")
    assert not wrong, "the organizer of B got past authorization in A:\n" + "\n".join(wrong)


def test_organizer_of_b_passes_the_same_routes_of_b(seeded: Seed) -> None:
    """The control: the persona really organizes B, so the refusals above are about A."""
    checked = 0
    for endpoint, method, rule in _organizer_only(seeded):
        if method != "GET" or set(rule.arguments) - {"event", "fmt", "kind", "name"}:
            continue
        url = url_for_rule(seeded, rule).replace(f"/{SLUG_A}/", f"/{SLUG_B}/", 1)
        if url.endswith(f"/{SLUG_A}"):
            url = url[: -len(SLUG_A)] + SLUG_B
        response = request_as(seeded, "organizer_other", endpoint, method, url)
        assert passed(response), (url, response.status_code)
        checked += 1
    assert checked > 15


# Routes only judges pass (a judge's own score sheets): an organizer gets past the gate of a
# draft (not 404) and is then refused for not judging (403).
JUDGES_ONLY = {"voting_api.put_sheets"}


def _draft_plugin_routes(seed: Seed) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) of every plugin API route of the draft event without ids."""
    found = []
    for endpoint, method, rule in rules(seed.app):
        if endpoint.startswith(PLUGIN_APIS) and set(rule.arguments) == {"event"}:
            url = url_for_rule(seed, rule, {"event": SLUG_DRAFT})
            found.append((endpoint, method, url))
    return found


def test_draft_event_plugin_api_answers_its_organizer_and_the_admin(seeded: Seed) -> None:
    routes = _draft_plugin_routes(seeded)
    assert len(routes) > 20
    wrong = []
    for endpoint, method, url in routes:
        for persona in PERSONAS:
            response = request_as(seeded, persona, endpoint, method, url, bearer=True)
            insider = persona in {"organizer", "admin"}
            if endpoint in JUDGES_ONLY and insider and response.status_code == 404:
                wrong.append(f"{method} {url} as {persona}: 404, hidden from an insider")
            elif endpoint not in JUDGES_ONLY and insider and not passed(response):
                wrong.append(f"{method} {url} as {persona}: {response.status_code}, not through")
            if not insider and response.status_code != 404:
                wrong.append(f"{method} {url} as {persona}: {response.status_code}, not 404")
    assert not wrong, "\n".join(wrong)


def test_draft_event_is_set_up_over_the_api_before_publishing(seeded: Seed) -> None:
    """Rooms, booths and the rubric of a draft, with the organizer's bearer token."""
    client = seeded.app.test_client()
    api = f"/api/v1/events/{SLUG_DRAFT}"
    organizer = seeded.tokens["organizer"]
    room = client.post(f"{api}/rooms", json={"name": "Aula", "capacity": 80}, headers=organizer)
    assert room.status_code == 201, room.get_json()
    booth = {"code": "D1", "x": 0, "y": 0, "width": 3, "height": 3}
    assert (
        client.post(f"{api}/booths", json=booth, headers=seeded.tokens["admin"]).status_code == 201
    )
    criteria = client.get(f"{api}/criteria", headers=organizer)
    assert criteria.status_code == 200 and criteria.get_json()["items"]
    rooms = client.get(f"{api}/rooms", headers=organizer).get_json()["items"]
    assert [r["name"] for r in rooms] == ["Aula"]
    assert [
        b["code"] for b in client.get(f"{api}/booths", headers=organizer).get_json()["items"]
    ] == ["D1"]
    # Everybody else still sees nothing, whatever they send.
    for persona in ("judge", "organizer_other", "visitor"):
        headers = seeded.tokens[persona]
        assert client.get(f"{api}/rooms", headers=headers).status_code == 404
        assert (
            client.post(
                f"{api}/rooms", json={"name": "X", "capacity": 1}, headers=headers
            ).status_code
            == 404
        )
    assert client.get(f"{api}/rooms").status_code == 404
    # A bad token is a 401, not a 404 that would hide the mistake.
    bad = {"Authorization": "Bearer not-a-token"}
    assert client.get(f"{api}/rooms", headers=bad).status_code == 401


def test_draft_event_plugin_pages_answer_its_organizer_session(seeded: Seed) -> None:
    for path in (
        "voting/manage/",
        "exhibitors/manage/",
        "symposium/manage/",
        "registration/manage/",
    ):
        url = f"/{SLUG_DRAFT}/{path}"
        assert seeded.client("organizer").get(url).status_code == 200, url
        assert seeded.client("admin").get(url).status_code == 200, url
        assert seeded.client("organizer_other").get(url).status_code == 404, url
        assert seeded.client("anonymous").get(url).status_code == 404, url


# Path parameters that name no object of an event (formats, plugin names, files, steps).
NOT_OBJECTS = {"event", "fmt", "kind", "name", "filename", "step"}
# Tables a refused request may still touch: the search index is rebuilt on reading.
REBUILT = {"exhibitors_search_entries"}


def test_organizer_of_b_cannot_reach_a_objects_through_b_urls(seeded: Seed) -> None:
    """A's ids in B's URLs: reads are 404 (403 for judging), writes change nothing of A's."""
    from tests.authz.test_matrix import FRESH
    from tests.core.api.helpers import snapshot

    before = None
    wrong = []
    checked = 0
    for endpoint, method, rule in rules(seeded.app):
        if "event" not in rule.arguments or not set(rule.arguments) - NOT_OBJECTS:
            continue
        fresh = FRESH.get(endpoint)
        url = url_for_rule(seeded, rule, fresh(seeded) if fresh else None)
        if before is None or fresh:
            before = snapshot(seeded.app)
        url = url.replace(f"/{SLUG_A}/", f"/{SLUG_B}/", 1)
        for bearer in (False, True) if url.startswith("/api/") else (False,):
            response = request_as(seeded, "organizer_other", endpoint, method, url, bearer=bearer)
            expected = {403} if endpoint == "voting.score" else {404}
            if method == "GET" and response.status_code not in expected:
                wrong.append(f"{method} {url}: {response.status_code}")
            checked += 1
        after = snapshot(seeded.app)
        changed = [t for t in after if after[t] != before[t] and t not in REBUILT]
        if changed:
            wrong.append(f"{method} {url} changed {changed}")
        before = after
    assert checked > 50
    assert not wrong, "\n".join(wrong)


def test_agency_profile_is_edited_by_its_own_members_in_events_it_exhibits_at(
    seeded: Seed,
) -> None:
    """P's member edits P's profile in A; Q's member may not; nobody edits it in B."""
    from tests.authz.seed import MEMBER_P
    from tests.conftest import PASSWORD

    member_p = seeded.app.test_client()
    login = member_p.post("/auth/login", data={"email": MEMBER_P, "password": PASSWORD})
    assert login.status_code == 302
    organization = seeded.values["organization_id"]
    in_a = f"/{SLUG_A}/exhibitors/agencies/{organization}/edit"
    in_b = f"/{SLUG_B}/exhibitors/agencies/{organization}/edit"
    assert member_p.get(in_a).status_code == 200
    saved = member_p.post(in_a, data={"description": "Layanan pajak keliling"})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:300]
    assert "Layanan pajak keliling" in member_p.get(in_a).get_data(as_text=True)
    assert seeded.client("exhibitor_other").get(in_a).status_code == 403
    for client in (member_p, seeded.client("organizer_other"), seeded.client("admin")):
        assert client.get(in_b).status_code == 404
        assert client.post(in_b, data={"description": "x"}).status_code == 404
