"""The authorization matrix: every route of the URL map x every kind of person.

Every rule (every method) of ``app.url_map`` is requested as each persona on a seeded app
(:mod:`tests.authz.seed`) and must be *allowed* (past authorization: any answer but 401,
403, 404 or a redirect to the sign-in page) exactly for the personas :data:`ALLOWED`
names.  A route missing from :data:`ALLOWED` fails with a message saying where to add it.

Writes send an empty or deliberately invalid body, so an allowed request is refused by
validation (400/409/422) instead of changing the seed: :data:`BODIES` holds an invalid body
where an empty one would be obeyed, :data:`FRESH` makes a new object for each request to
routes that exist to delete one, :data:`LAST` orders the few that change the seed for good
after everything else.  A last test checks that the seed is intact.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from werkzeug.routing import Rule

from core.db import get_db
from tests.authz.seed import PERSONAS, SLUG_A, Seed, build_app

# -- who may pass -----------------------------------------------------------------------
# Personas: anonymous; visitor (signed in, holds a visitor pass of A, no role); exhibitor_other
# (member of agency Q, approved in A; the objects in URLs belong to agency P); judge (of A);
# organizer_other (organizes event B only); organizer (of A); admin (site admin, no role).
ANYONE = frozenset(PERSONAS)
SIGNED_IN = ANYONE - {"anonymous"}
ORGANIZERS = frozenset({"organizer", "admin"})
ADMIN = frozenset({"admin"})
VISITORS = frozenset({"visitor"})  # a vote needs a pass: the visitor's, or one in the body
JUDGES = frozenset({"judge"})  # scoring is the assigned judge's alone
CRITERIA_READERS = frozenset({"judge", "organizer", "admin"})
NOBODY: frozenset[str] = frozenset()

# endpoint → the personas that get past authorization, for every method of the rule; a dict
# {method: personas} when methods differ.  Add a line here for every new route.
ALLOWED: dict[str, frozenset[str] | dict[str, frozenset[str]]] = {
    # core: public pages, static files, documents
    "static": ANYONE,
    "public.home": ANYONE,
    "public.event_home": ANYONE,
    "public.health": ANYONE,
    "public.switch_language": ANYONE,
    "api_docs.openapi": ANYONE,
    # core: accounts
    "auth.login": ANYONE,
    "auth.logout": ANYONE,
    "auth.signup": ANYONE,
    "auth.forgot_password": ANYONE,
    "auth.reset_password": ANYONE,
    "auth.accept_invitation": ANYONE,
    "auth.resend_verification": ANYONE,
    "auth.verify_email": ANYONE,  # a bad link is answered (400), to anyone
    # core: the person's own account (sessions and tokens of others: nothing to end)
    "account.index": SIGNED_IN,
    "account.update_profile": SIGNED_IN,
    "account.change_password": SIGNED_IN,
    "account.end_session": SIGNED_IN,
    "account.revoke_token": SIGNED_IN,
    "account.sign_out_everywhere": SIGNED_IN,
    # core: agencies and their members (P has no persona among its members)
    "organizations.index": SIGNED_IN,
    "organizations.detail": ADMIN,
    "organizations.remove_member": ADMIN,
    "organizations.decide_claim": ADMIN,
    "organizations_api.list_members": ADMIN,
    "organizations_api.remove_member": ADMIN,
    "organizations_api.list_claims": ADMIN,
    "organizations_api.decide_claim": ADMIN,
    "me.index": SIGNED_IN,  # Beranda saya: anonymous callers go to the sign-in page
    # core: personal data (issue 21)
    "public.privacy_notice": ANYONE,
    "account.data": SIGNED_IN,
    "account.data_download": SIGNED_IN,
    "account.withdraw_consent": SIGNED_IN,  # only the person's own consents change
    "account.erase": SIGNED_IN,  # the password decides; an empty form is refused
    "console.privacy_settings": ORGANIZERS,
    "console.erase_person": ORGANIZERS,
    "privacy_api.get_privacy": ANYONE,
    "privacy_api.put_privacy": ORGANIZERS,
    "privacy_api.my_data": SIGNED_IN,
    "privacy_api.erase_me": SIGNED_IN,  # the password decides; an empty body is refused
    # core: site administration
    "admin.index": ADMIN,
    "admin.users": ADMIN,
    "admin.claims": ADMIN,
    # core: the organizer console
    "console.dashboard": ORGANIZERS,
    "console.audit_log": ORGANIZERS,
    "console.clone": ORGANIZERS,
    "console.outbox": ORGANIZERS,
    "console.visitor_passes": ORGANIZERS,
    "console.print_passes": ORGANIZERS,
    "console.people": ORGANIZERS,
    "console.revoke": ORGANIZERS,
    "console.plugins": ORGANIZERS,
    "console.toggle_plugin": ORGANIZERS,
    "console.plugin_settings": ORGANIZERS,
    "console.settings": ORGANIZERS,
    "console.set_status": ORGANIZERS,
    # core: the signed-in person's agencies (members and site admins; others get 404)
    "organizations.update_names": ADMIN,
    # core: JSON API
    "api.issue_token": ANYONE,
    "api.me": SIGNED_IN,
    "api.list_my_tokens": SIGNED_IN,
    "api.revoke_my_token": NOBODY,  # the id is nobody's token: 404 for all
    "api.change_my_password": SIGNED_IN,
    # revokes the bearer token in use: a browser session has none to revoke (401)
    "api.revoke_current_token": {"session": NOBODY, "bearer": SIGNED_IN},
    "api.list_events": ANYONE,
    "api.create_event": ADMIN,
    "api.get_event": ANYONE,
    "api.patch_event": ORGANIZERS,
    "api.clone": ORGANIZERS,
    "api.list_innovations": ANYONE,
    "api.import_innovations": ORGANIZERS,
    "api.get_innovation": ANYONE,
    # core: innovations across years (issue 15)
    "history_api.innovation_history": ANYONE,
    "history_api.list_awards": ANYONE,  # organizers see unpublished awards too
    "history_api.create_award": ORGANIZERS,
    "console.awards_page": ORGANIZERS,
    "console.award_action": ORGANIZERS,
    "api.list_organizations": ORGANIZERS,
    "api.issue_passes": ORGANIZERS,
    "api.put_plugins": ORGANIZERS,
    "api.get_plugin_settings": ORGANIZERS,
    "api.put_plugin_settings": ORGANIZERS,
    "api.appoint_role": ORGANIZERS,
    # registration
    "registration.index": ANYONE,
    "registration.register": ANYONE,
    "registration.visitor_signup": ANYONE,
    "registration.visitor_pass": ANYONE,  # the pass code is the key
    "registration.status": ANYONE,  # the status link is the contact's key
    "registration.step": ANYONE,
    "registration.enter_again": ANYONE,  # the status link is the contact's key
    "registration.replicates": ANYONE,
    "registration.accept_offer": ANYONE,
    "registration.withdraw": ANYONE,
    "registration.resend_link": ANYONE,
    "registration.manage": ORGANIZERS,
    "registration.manage_detail": ORGANIZERS,
    "registration.manage_decide": ORGANIZERS,
    "registration.manage_notes": ORGANIZERS,
    "registration.manage_bulk": ORGANIZERS,
    "registration.checkin": ORGANIZERS,
    "registration.manage_document": ORGANIZERS,
    "registration.manage_export": ORGANIZERS,
    "registration.upload_document": ANYONE,  # the status link is the contact's key
    "registration.remove_document": ANYONE,
    "registration_api.create_registration": ANYONE,
    "registration_api.list_registrations": ORGANIZERS,
    "registration_api.get_registration": ORGANIZERS,  # or its contact (agency P's member)
    "registration_api.decide": ORGANIZERS,
    "registration_api.decide_in_bulk": ORGANIZERS,
    "registration_api.sign_up_visitor": ANYONE,
    "registration_documents_api.put_document": ORGANIZERS,  # or its contact (P's member)
    "registration_documents_api.delete_document": ORGANIZERS,  # or its contact
    # exhibitors
    "exhibitors.index": ANYONE,
    "exhibitors.agency": ANYONE,
    "exhibitors.edit_profile": ORGANIZERS,  # and agency P's own members
    "exhibitors.floor_plan": ANYONE,
    "exhibitors.floor_plan_svg": ANYONE,
    "exhibitors.innovation": ANYONE,
    "exhibitors.innovation_document": ANYONE,
    "exhibitors.innovation_qr": ANYONE,
    "exhibitors.logo": ANYONE,
    "exhibitors.my_booth": SIGNED_IN,
    "exhibitors.manage": ORGANIZERS,
    "exhibitors.add_booth": ORGANIZERS,
    "exhibitors.delete_booth": ORGANIZERS,
    "exhibitors.free_booth": ORGANIZERS,
    "exhibitors.assign_booth": ORGANIZERS,
    "exhibitors.auto_assign": ORGANIZERS,
    "exhibitors.import_booths": ORGANIZERS,
    "exhibitors.swap_booths": ORGANIZERS,
    "exhibitors.export_exhibitors": ORGANIZERS,
    "exhibitors.import_innovations": ORGANIZERS,
    "exhibitors.add_zone": ORGANIZERS,
    "exhibitors_api.list_booths": ANYONE,
    "exhibitors_api.create_booth": ORGANIZERS,
    "exhibitors_api.import_booths": ORGANIZERS,
    "exhibitors_api.assign_booths": ORGANIZERS,
    "exhibitors_api.list_exhibitors": ANYONE,
    # symposium
    "symposium.index": ANYONE,
    "symposium.asset": ANYONE,
    "exhibitors.asset": ANYONE,
    "voting.asset": ANYONE,
    "symposium.now_and_next": ANYONE,
    "symposium.schedule_ics": ANYONE,
    "symposium.session_page": ANYONE,
    "symposium.speaker_page": ANYONE,
    "symposium.photo": ANYONE,
    "symposium.my_agenda": ANYONE,  # anonymous visitors keep their agenda in the browser
    "symposium.my_ics": ANYONE,
    "symposium.signup": SIGNED_IN,
    "symposium.merge_stars": SIGNED_IN,  # the device's stars into the account (JSON)
    "symposium.star": ANYONE,  # anonymous: "sign in to keep your agenda", back to the page
    "symposium.timetable": ORGANIZERS,
    "symposium.auto": ORGANIZERS,
    "symposium.conflicts_page": ORGANIZERS,
    "symposium.place": ORGANIZERS,
    "symposium.publish": ORGANIZERS,
    "symposium.new_room": ORGANIZERS,
    "symposium.new_session": ORGANIZERS,
    "symposium.speakers_page": ORGANIZERS,
    "symposium.speaker_edit": ORGANIZERS,
    "symposium.speaker_save": ORGANIZERS,
    "symposium.window_add": ORGANIZERS,
    "symposium.window_remove": ORGANIZERS,
    "symposium.tracks_page": ORGANIZERS,
    "symposium.track_add": ORGANIZERS,
    "symposium.track_save": ORGANIZERS,
    "symposium.unschedule": ORGANIZERS,
    "symposium_api.list_rooms": ANYONE,
    "symposium_api.get_schedule": ANYONE,
    "symposium_api.list_sessions": ORGANIZERS,  # with unscheduled ones; /schedule is public
    "symposium_api.get_one_session": ANYONE,
    "symposium_api.sign_up": SIGNED_IN,
    "symposium_api.cancel_signup": SIGNED_IN,
    "symposium_api.create_room": ORGANIZERS,
    "symposium_api.create_track": ORGANIZERS,
    "symposium_api.create_session": ORGANIZERS,
    "symposium_api.patch_session": ORGANIZERS,
    "symposium_api.delete_session": ORGANIZERS,
    "symposium_api.auto_schedule": ORGANIZERS,
    "symposium_api.list_conflicts": ORGANIZERS,
    "symposium_api.publish": ORGANIZERS,
    "symposium_api.list_versions": ANYONE,  # published versions only
    "symposium_api.add_availability": ORGANIZERS,
    # voting
    "voting.index": ANYONE,
    "voting.public_results": ORGANIZERS,  # anyone once published
    "voting.vote": {"GET": ANYONE, "POST": VISITORS},
    "voting.judge_queue": JUDGES,
    "voting.score": JUDGES,
    "voting.judge_app": JUDGES,
    "voting.judge_app_data": JUDGES,
    "voting.judge_manifest": ANYONE,  # names and URLs only; browsers fetch it without cookies
    "voting.judge_service_worker": ANYONE,  # static code
    "voting.manage": ORGANIZERS,
    "voting.assign": ORGANIZERS,
    "voting.add_assignment": ORGANIZERS,
    "voting.remove_assignment": ORGANIZERS,
    "voting.export": ORGANIZERS,
    "voting.publish": ORGANIZERS,
    "voting.vote_qr_codes": ORGANIZERS,
    "voting.manage_results": ORGANIZERS,
    "voting.rubric_editor": ORGANIZERS,
    "voting.advance_stage": ORGANIZERS,
    "voting.close_stage": ORGANIZERS,
    "voting.stage_judges": ORGANIZERS,
    "voting.stage_window": ORGANIZERS,
    "voting.top_up": ORGANIZERS,
    "voting.calibration": ORGANIZERS,
    "voting_api.list_assignments": CRITERIA_READERS,
    "voting_api.add_assignment": ORGANIZERS,
    "voting_api.delete_assignment": ORGANIZERS,
    "voting_api.auto_assign": ORGANIZERS,
    "voting_api.get_criteria": CRITERIA_READERS,
    "voting_api.put_criteria": ORGANIZERS,
    "voting_api.put_scores": JUDGES,
    "voting_api.put_sheets": JUDGES,
    "voting_api.post_vote": VISITORS,
    "voting_api.get_results": ORGANIZERS,
    "voting_api.get_tally": ORGANIZERS,
    "voting_api.list_stages": CRITERIA_READERS,
    "voting_api.set_stage_window": ORGANIZERS,
    "voting_api.advance_stage": ORGANIZERS,
    "voting_api.close_stage": ORGANIZERS,
    "voting_api.get_stage_judges": ORGANIZERS,
    "voting_api.put_stage_judges": ORGANIZERS,
    "voting_api.vote_bursts": ORGANIZERS,
    "voting_api.top_up": ORGANIZERS,
    "voting_api.judge_calibration": ORGANIZERS,
    # voting: judges' booth visits (issue 16); an exhibitor sees the visits to its booth
    "voting.visits_grid": ORGANIZERS,
    "voting.plan_visits": ORGANIZERS,
    "voting.move_visit": ORGANIZERS,
    "voting.judge_visits": JUDGES,
    "voting_api.plan_visits": ORGANIZERS,
    "voting_api.list_visits": CRITERIA_READERS | {"exhibitor_other"},
    "voting_api.move_visit": ORGANIZERS,
}

# endpoint → keyword arguments of the request (an invalid body) when an empty one would
# change the seed.  Forms get ``data``, the API ``json``.
BODIES: dict[str, dict[str, Any]] = {
    # publishing the schedule needs no input: a note over 500 characters is refused
    "symposium.publish": {"data": {"comment": "x" * 501}},
    "symposium_api.publish": {"json": {"comment": "x" * 501}},
}


def _fresh_role(seed: Seed) -> dict[str, Any]:
    seed.counter += 1
    return {"role_id": seed.appoint(f"cadangan{seed.counter}@example.id")}


def _fresh_booth(seed: Seed) -> dict[str, Any]:
    seed.counter += 1
    x, y = 4 * (seed.counter % 10), 8 + 4 * (seed.counter // 10)
    body = {"code": f"Z{seed.counter}", "x": x, "y": y, "width": 3, "height": 3}
    seed.admin_api("POST", "booths", body)
    return {"code": body["code"]}


def _fresh_window(seed: Seed) -> dict[str, Any]:
    seed.counter += 1
    day = f"2099-12-11T{8 + seed.counter % 10:02d}"
    body = {"starts_at": f"{day}:00:00+07:00", "ends_at": f"{day}:30:00+07:00"}
    window = seed.admin_api("POST", f"speakers/{seed.values['speaker_id']}/availability", body)
    return {"speaker_id": seed.values["speaker_id"], "window_id": window["id"]}


def _fresh_session(seed: Seed) -> dict[str, Any]:
    body = {"title": "Sesi cadangan", "kind": "talk", "duration_minutes": 30}
    return {"session_id": seed.admin_api("POST", "sessions", body)["id"]}


def _fresh_assignment(seed: Seed) -> dict[str, Any]:
    body = {"judge": seed.values["spare_judge_id"], "innovation": seed.values["innovation_id"]}
    seed.admin_api("DELETE", f"assignments/{seed.values['spare_assignment_id']}", None, 200, 404)
    created = seed.admin_api("POST", "assignments", body)
    seed.values["spare_assignment_id"] = created["id"]
    return {"assignment_id": created["id"], "id": created["id"]}


# endpoint → a function making a new object for each request, for routes whose purpose is
# to delete or free it (an empty body cannot stop them); returns URL parameters.
def _nobodys(name: str) -> Any:
    return lambda seed: {name: 2_000_000_000}


def _fresh_member_of_p(seed: Seed) -> dict[str, Any]:
    seed.counter += 1
    return {
        "organization_id": seed.values["organization_id"],
        "user_id": seed.add_member_of_p(f"anggota{seed.counter}@p.example.id"),
    }


def _fresh_award(seed: Seed) -> dict[str, Any]:
    seed.counter += 1
    body = {"innovation": seed.values["innovation_id"], "title": f"Juara {seed.counter}"}
    return {"award_id": seed.admin_api("POST", "awards", body)["id"], "action": "hide"}


FRESH: dict[str, Any] = {
    "console.award_action": _fresh_award,
    "account.end_session": _nobodys("session_id"),
    "account.revoke_token": _nobodys("token_id"),
    "api.revoke_my_token": _nobodys("id"),
    "exhibitors.asset": lambda seed: {"filename": "exhibitors.css"},
    "voting.asset": lambda seed: {"filename": "voting.css"},
    "organizations.remove_member": _fresh_member_of_p,
    "organizations_api.remove_member": _fresh_member_of_p,
    "console.revoke": _fresh_role,
    "exhibitors.delete_booth": _fresh_booth,
    "exhibitors.free_booth": _fresh_booth,
    "symposium.window_remove": _fresh_window,
    "symposium_api.delete_session": _fresh_session,
    "voting.remove_assignment": _fresh_assignment,
    "voting_api.delete_assignment": _fresh_assignment,
}

# endpoints whose allowed request changes the seed for good (no body can stop them and no
# fresh object fits): requested after every other route, in this order.
LAST = ("voting.close_stage", "voting_api.close_stage")

# endpoints after which the persona gets a new session and API token (they may end the
# caller's sessions or tokens: sign out everywhere, revoke the token, change the password).
RENEW_AFTER: set[str] = {"account.sign_out_everywhere", "api.revoke_current_token"}

# endpoints requested with a session of their own (they end or change the session).
OWN_SESSION = {"auth.logout", "auth.login", "public.switch_language"}

# URL parameters: (segment before it, name) first, then the name alone.
PARAMS_BY_SEGMENT = {
    ("booths", "code"): "booth_code",
    ("pass", "code"): "pass_code",
    ("photos", "upload_id"): "photo_id",
    ("assignments", "id"): "assignment_id",
    ("innovations", "id"): "innovation_id",
    ("registrations", "id"): "registration_id",
    ("stages", "id"): "stage_id",
}
LITERALS = {
    "event": SLUG_A,
    "fmt": "csv",
    "kind": "results",
    "step": "organization",
    "name": "voting",
    "token": "registration_token",
    "filename": "agenda.css",
    "lang/code": "en",
    "consent_id": 999999,
    "visits/id": 2_000_000_000,  # no visit in the seed: the body is refused first
    "visit_id": 2_000_000_000,
    "position": 0,
    "action": "hide",
    "documents/key": "sk",
}
STATIC_FILE = "gelar.css"
DENIED = {401, 403, 404}


def _value(seed: Seed, rule: Rule, segment: str, name: str) -> Any:
    key = PARAMS_BY_SEGMENT.get((segment, name))
    if key is not None:
        return seed.values[key]
    if rule.endpoint == "static":
        return STATIC_FILE
    if f"{segment}/{name}" in LITERALS:
        return LITERALS[f"{segment}/{name}"]
    literal = LITERALS.get(name)
    if literal is not None:
        return seed.values.get(literal, literal)
    return seed.values[name]


def url_for_rule(seed: Seed, rule: Rule, given: dict[str, Any] | None = None) -> str:
    """The rule's path with every parameter filled from the seed (event A and its objects)."""
    path = ""
    segment = ""
    for is_dynamic, part in rule._trace:  # type: ignore[attr-defined]
        if is_dynamic and given and part in given:
            path += str(given[part])
        elif is_dynamic:
            path += str(_value(seed, rule, segment, part))
        else:
            path += part
            segment = part.rstrip("/.").rsplit("/", 1)[-1] if part.strip("/.") else segment
    return path.split("|", 1)[1]


def rules(app: Any) -> list[tuple[str, str, Rule]]:
    """(endpoint, method, rule) for every rule of the URL map and each of its methods.

    Sorted by endpoint, except that :data:`LAST` come at the end in their order.
    """
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule))
    last = {endpoint: n for n, endpoint in enumerate(LAST)}
    return sorted(found, key=lambda item: (last.get(item[0], -1), item[0], item[1]))


def allowed_for(endpoint: str, method: str, credentials: str = "session") -> frozenset[str]:
    """The personas the table lets through ``method`` on ``endpoint`` with ``credentials``.

    A dict entry is keyed by method, or by credentials (``session``/``bearer``) where a
    route answers only one kind (revoking the bearer token in use).
    """
    entry = ALLOWED[endpoint]
    if isinstance(entry, dict):
        return entry[credentials] if credentials in entry else entry[method]
    return entry


def passed(response: Any) -> bool:
    """Whether a response got past authorization."""
    if response.status_code in DENIED:
        return False
    if 300 <= response.status_code < 400:
        # Sent to sign in first (with ``next``); a plain redirect to the sign-in page after
        # signing out everywhere is the route doing its work.
        location = response.headers.get("Location", "")
        return not ("/auth/login" in location and "next=" in location)
    return True


def request_as(
    seed: Seed, persona: str, endpoint: str, method: str, url: str, *, bearer: bool = False
) -> Any:
    """One request as ``persona`` with an empty (or the table's invalid) body.

    The persona comes with its session cookie, or with ``bearer`` its API token and no
    cookie at all.
    """
    kwargs: dict[str, Any] = dict(BODIES.get(endpoint, {}))
    if not kwargs and method in {"POST", "PUT", "PATCH", "DELETE"} and url.startswith("/api/"):
        kwargs = {"json": {}}
    if bearer:
        client = seed.app.test_client()
        kwargs["headers"] = seed.tokens.get(persona, {})
    elif endpoint in OWN_SESSION:
        client = seed.sign_in(persona)
    else:
        client = seed.client(persona)
    response = client.open(url, method=method, **kwargs)
    if endpoint in RENEW_AFTER:
        seed.renew(persona)
    return response


def _assert_seed_intact(seed: Seed) -> None:
    """The matrix's requests were refused by validation, not obeyed: the seed still stands."""
    values = seed.values
    event = seed.admin_api("GET", "", None)
    assert event["status"] == "published" and len(event["plugins"]) == 4, event
    booths = {b["code"]: b for b in seed.admin_api("GET", "booths", None)["items"]}
    assert (booths["A1"]["organization"] or {}).get("id") == values["organization_id"], booths
    assert seed.admin_api("GET", f"sessions/{values['session_id']}", None)["starts_at"]
    assignments = seed.admin_api("GET", "assignments", None)["items"]
    assert values["assignment_id"] in {a["id"] for a in assignments}
    registration = seed.admin_api("GET", f"registrations/{values['registration_id']}", None)
    assert registration["status"] == "approved", registration


def test_every_route_is_in_the_table(seeded: Seed) -> None:
    """A new route fails here until someone decides who may use it."""
    missing = sorted({e for e, _m, _r in rules(seeded.app)} - set(ALLOWED))
    assert not missing, (
        "Routes missing from the authorization matrix: add each to ALLOWED in "
        f"tests/authz/test_matrix.py with the personas that may pass: {missing}"
    )
    stale = sorted(set(ALLOWED) - {e for e, _m, _r in rules(seeded.app)})
    assert not stale, f"ALLOWED names endpoints that no longer exist: {stale}"


def _collected_routes() -> list[tuple[str, str]]:
    """(credentials, endpoint) pairs to test, read from a throwaway app's URL map.

    Every endpoint with the session; API endpoints also with bearer tokens.  Built at
    collection time so each route is a test of its own (the seeded app is built later).
    """
    folder = Path(tempfile.mkdtemp(prefix="gelar-authz-"))
    app = build_app(f"sqlite:///{folder / 'routes.sqlite3'}", folder / "instance")
    try:
        found: dict[str, bool] = {}
        for endpoint, _method, rule in rules(app):
            found[endpoint] = found.get(endpoint, False) or rule.rule.startswith("/api/")
    finally:
        get_db(app).dispose()
        shutil.rmtree(folder, ignore_errors=True)
    pairs = [("session", endpoint) for endpoint in found]
    pairs += [("bearer", endpoint) for endpoint, is_api in found.items() if is_api]
    return pairs


ROUTES = _collected_routes()


@pytest.mark.parametrize(("credentials", "endpoint"), ROUTES, ids=[f"{c}-{e}" for c, e in ROUTES])
def test_route(seeded: Seed, credentials: str, endpoint: str) -> None:
    """One route (every method) x every persona: allowed exactly when ALLOWED says so.

    ``session``: the persona's session cookie.  ``bearer``: the persona's API token and no
    cookie (API routes only; the same allowed set).
    """
    assert endpoint in ALLOWED, (
        f"{endpoint} is missing from the authorization matrix: add a line to ALLOWED in "
        "tests/authz/test_matrix.py with the personas that may pass (see docs/security.md)"
    )
    bearer = credentials == "bearer"
    mismatches = []
    for name, method, rule in rules(seeded.app):
        if name != endpoint:
            continue
        wanted = allowed_for(endpoint, method, credentials)
        for persona in PERSONAS:
            fresh = FRESH.get(endpoint)
            url = url_for_rule(seeded, rule, fresh(seeded) if fresh else None)
            response = request_as(seeded, persona, endpoint, method, url, bearer=bearer)
            if passed(response) != (persona in wanted):
                mismatches.append(
                    f"{method} {url} as {persona}: {response.status_code} "
                    f"{response.headers.get('Location', '')}— expected "
                    f"{'allowed' if persona in wanted else 'denied'}"
                )
    assert not mismatches, (
        f"{endpoint} ({credentials}, {seeded.backend}): fix the code, or its line in ALLOWED "
        "if the table is wrong:\n" + "\n".join(mismatches)
    )


def test_seed_is_intact_after_the_matrix(seeded: Seed) -> None:
    """Runs after every route: their requests were refused by validation, not obeyed."""
    _assert_seed_intact(seeded)
