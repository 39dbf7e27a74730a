"""Every hook spec is documented and exercised through the real code path.

A recording plugin implementing every hook is installed next to the built-in plugins;
``DRIVERS`` maps each spec to a function that drives it the way the app does (an HTTP
request, a CLI command, a service call) and checks what the recorder received.  Adding a
spec to ``core/hookspecs.py`` without a driver here fails ``test_every_spec_has_a_driver``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import click
import pytest
from flask import Blueprint, url_for
from markupsafe import Markup
from sqlalchemy import select

from core import hookimpl, hookspecs
from core.db import utcnow
from core.models import Innovation, Organization
from core.plugin_helpers import (
    announce_innovation_submitted,
    announce_registration_decided,
    booth_locations,
    busy_times,
    innovation_actions,
)
from core.plugins import BoothLocation, BusyTime, NavItem, Panel, PluginInfo
from core.services import accounts, memberships, roles
from core.services.demo import DemoContext
from core.web import current_event
from tests.conftest import PASSWORD
from tests.core.plugins.helpers import ORGANIZER, nav_links, panel_plugins

RESULT_POLICIES = ("all results are kept", "first result wins", "return value is ignored")


def spec_functions() -> dict[str, Callable[..., Any]]:
    """The hook specifications declared in ``core.hookspecs``, by name."""
    marker = f"{hookspecs.PROJECT_NAME}_spec"
    return {
        name: function
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(function, marker)
    }


def spec_arguments(name: str) -> list[str]:
    """A spec's argument names."""
    return list(inspect.signature(spec_functions()[name]).parameters)


# --- documentation -------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(spec_functions()))
def test_spec_docstring_states_its_contract(name: str) -> None:
    doc = inspect.getdoc(spec_functions()[name]) or ""
    flat = " ".join(doc.split())
    assert len(flat.split()) >= 20, f"{name}: the docstring is too short to be a contract"
    assert "Called" in flat, f"{name}: the docstring does not say when the hook is called"
    assert any(policy in flat for policy in RESULT_POLICIES), (
        f"{name}: the docstring does not say how results combine ({RESULT_POLICIES})"
    )
    for argument in spec_arguments(name):
        assert f"``{argument}``" in doc, f"{name}: argument {argument!r} is not described"


def test_spec_families_follow_the_naming_rule() -> None:
    for name in spec_functions():
        assert name.startswith(("register_", "event_", "on_")), name


def test_registry_and_module_agree_on_the_specs(registry: Any) -> None:
    assert registry.spec_names() == sorted(spec_functions())


# --- keyword arguments only ----------------------------------------------------------------


def test_hooks_refuse_positional_arguments(registry: Any, make: Any) -> None:
    event = make.event("kw-2026")
    with pytest.raises(TypeError):
        registry.pm.hook.on_plugin_enabled(event, None)


def test_registry_refuses_a_call_missing_an_argument(registry: Any, make: Any) -> None:
    event = make.event("kw-2026")
    with pytest.raises(TypeError, match="missing \\['session'\\]"):
        registry.call_for_event(event, "event_home_panels")
    with pytest.raises(TypeError, match="unknown \\['colour'\\]"):
        registry.call_for_event(event, "event_nav_items", colour="red")
    with pytest.raises(AttributeError, match="no hook specification"):
        registry.call_all("register_everything")


# --- the recorder --------------------------------------------------------------------------


class Recorder:
    """A plugin implementing every hook, recording the keyword arguments it receives."""

    # core.i18n looks for a plugin's translations next to its package.
    __package__ = "tests.core.plugins"

    plugin_info = PluginInfo(
        name="recorder",
        title={"en": "Recorder", "id": "Perekam"},
        description={"en": "Records hook calls.", "id": "Merekam panggilan hook."},
    )

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.slugs: list[tuple[str, dict[str, str]]] = []
        self.my_home_email = ""
        self.blueprint = Blueprint("recorder", __name__, url_prefix="/<event>/recorder")
        self.blueprint.add_url_rule(
            "/", "index", lambda event: f"recorder page of {current_event().slug}"
        )

    def _record(self, hook: str, **kwargs: Any) -> None:
        self.calls.append((hook, kwargs))
        # Events are read now: after a request its session is gone.
        self.slugs.append((hook, {k: v.slug for k, v in kwargs.items() if hasattr(v, "slug")}))

    def slug(self, hook: str, argument: str = "event") -> str:
        """The slug of the event passed as ``argument`` in the last call of ``hook``."""
        return [slugs for name, slugs in self.slugs if name == hook][-1][argument]

    def received(self, hook: str) -> list[dict[str, Any]]:
        """The keyword arguments of every call of ``hook`` so far."""
        return [kwargs for name, kwargs in self.calls if name == hook]

    @hookimpl
    def register_blueprints(self) -> list[Any]:
        self._record("register_blueprints")
        return [self.blueprint]

    @hookimpl
    def register_cli_commands(self) -> list[Any]:
        self._record("register_cli_commands")
        return [click.Command("recorder-ping", callback=lambda: click.echo("pong"))]

    @hookimpl
    def event_nav_items(self, event: Any) -> list[NavItem]:
        self._record("event_nav_items", event=event)
        return [NavItem("Recorder", url_for("recorder.index", event=event.slug), "recorder")]

    @hookimpl
    def event_home_panels(self, event: Any, session: Any) -> list[Panel]:
        self._record("event_home_panels", event=event, session=session)
        return [Panel("Recorder", Markup("<p>recorded home</p>"), "recorder")]

    @hookimpl
    def event_dashboard_panels(self, event: Any, session: Any) -> list[Panel]:
        self._record("event_dashboard_panels", event=event, session=session)
        return [Panel("Recorder", Markup("<p>recorded dashboard</p>"), "recorder")]

    @hookimpl
    def event_my_home_panels(self, event: Any, session: Any, user: Any, roles: Any) -> list[Panel]:
        self._record("event_my_home_panels", event=event, session=session, user=user, roles=roles)
        self.my_home_email = user.email
        return [Panel("Recorder", Markup("<p>recorded my home</p>"), "recorder")]

    @hookimpl
    def event_demo_data(self, event: Any, session: Any, demo: Any) -> None:
        self._record("event_demo_data", event=event, session=session, demo=demo)

    @hookimpl
    def on_plugin_enabled(self, event: Any, session: Any) -> None:
        self._record("on_plugin_enabled", event=event, session=session)

    @hookimpl
    def on_plugin_disabled(self, event: Any, session: Any) -> None:
        self._record("on_plugin_disabled", event=event, session=session)

    @hookimpl
    def on_event_cloned(self, source: Any, target: Any, session: Any) -> None:
        self._record("on_event_cloned", source=source, target=target, session=session)

    @hookimpl
    def on_registration_decided(
        self, event: Any, registration: Any, status: str, session: Any
    ) -> None:
        self._record(
            "on_registration_decided",
            event=event,
            registration=registration,
            status=status,
            session=session,
        )

    @hookimpl
    def on_judge_conflicts_declared(
        self,
        event: Any,
        user_id: int,
        organization_ids: list[int],
        actor_id: Any,
        session: Any,
    ) -> None:
        self._record(
            "on_judge_conflicts_declared",
            event=event,
            user_id=user_id,
            organization_ids=organization_ids,
            actor_id=actor_id,
            session=session,
        )

    @hookimpl
    def on_organization_claim_decided(self, event: Any, claim: Any, session: Any) -> None:
        self._record("on_organization_claim_decided", event=event, claim=claim, session=session)

    @hookimpl
    def event_innovation_actions(self, event: Any, innovation: Any, session: Any) -> list[Panel]:
        self._record(
            "event_innovation_actions", event=event, innovation=innovation, session=session
        )
        return [Panel("Recorded action", Markup("<a href='#'>record</a>"), "recorder")]

    @hookimpl
    def event_innovation_outcomes(
        self, events: list[Any], session: Any, innovation_ids: list[int]
    ) -> dict[int, dict[str, Any]]:
        self._record(
            "event_innovation_outcomes",
            events=[event.slug for event in events],  # slugs: the events leave the request
            session=session,
            innovation_ids=innovation_ids,
        )
        return {innovation_ids[0]: {"stage_reached": "Recorded stage", "rank": 7}}

    @hookimpl
    def event_innovation_search(
        self,
        event: Any,
        session: Any,
        q: str,
        category: str | None,
        organization_id: int | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Any], int] | None:
        self._record(
            "event_innovation_search",
            event=event,
            session=session,
            q=q,
            category=category,
            organization_id=organization_id,
            limit=limit,
            offset=offset,
        )
        if q != "recorded":
            return None
        found = session.scalars(select(Innovation).where(Innovation.event_id == event.id)).all()
        return list(found), len(found)

    @hookimpl
    def event_busy_times(
        self,
        event: Any,
        session: Any,
        people: dict[int, str],
        organizations: dict[int, str],
        window: Any,
    ) -> list[BusyTime]:
        self._record(
            "event_busy_times",
            event=event,
            session=session,
            people=people,
            organizations=organizations,
            window=window,
        )
        start, end = window
        return [BusyTime("person", key, start, end, "Recorded", "recorder") for key in people]

    @hookimpl
    def event_booth_locations(
        self, event: Any, session: Any, organization_ids: list[int]
    ) -> list[BoothLocation]:
        self._record(
            "event_booth_locations", event=event, session=session, organization_ids=organization_ids
        )
        return [BoothLocation(o, "R-1", "R", 1.5, 1.5, "", "recorder") for o in organization_ids]

    @hookimpl
    def on_innovation_submitted(self, event: Any, innovation: Any, session: Any) -> None:
        self._record("on_innovation_submitted", event=event, innovation=innovation, session=session)

    @hookimpl
    def on_personal_data_collect(self, session: Any, user: Any) -> dict[str, list[Any]]:
        self._record("on_personal_data_collect", session=session, user=user)
        self.collected_email = user.email  # read now: after the request the user is detached
        return {"votes": [{"recorded_for": user.email}], "recorder": [{"kept": True}]}

    @hookimpl
    def on_personal_data_erase(self, session: Any, user: Any, email: str, event: Any) -> None:
        self._record("on_personal_data_erase", session=session, user=user, email=email, event=event)


@pytest.fixture
def recorder() -> Recorder:
    """The recording plugin (a fresh one per test)."""
    return Recorder()


@pytest.fixture
def app_config(app_config: dict[str, Any], recorder: Recorder) -> dict[str, Any]:
    """The app with the recorder installed next to the built-in plugins."""
    return {**app_config, "EXTRA_PLUGINS": [("recorder", recorder)]}


@pytest.fixture
def world(make: Any, recorder: Recorder) -> SimpleNamespace:
    """``on-2026`` has the recorder on, ``off-2026`` has it off; the recorder is reset."""
    organizer = make.user(ORGANIZER, "Organizer")
    world = SimpleNamespace(
        on=make.event("on-2026", plugins=["recorder"], organizer=organizer),
        off=make.event("off-2026", plugins=["exhibitors"], organizer=organizer),
    )
    recorder.calls.clear()
    return world


Driver = Callable[[Any, Recorder], None]
DRIVERS: dict[str, Driver] = {}


def drives(hook: str) -> Callable[[Driver], Driver]:
    """Register a driver for ``hook``."""

    def register(function: Driver) -> Driver:
        DRIVERS[hook] = function
        return function

    return register


def only_call(recorder: Recorder, hook: str) -> dict[str, Any]:
    """The one call of ``hook``, checked to carry every argument of its spec."""
    calls = recorder.received(hook)
    assert len(calls) == 1, f"{hook} was called {len(calls)} times"
    assert sorted(calls[0]) == sorted(spec_arguments(hook))
    return calls[0]


@drives("register_blueprints")
def _blueprints(request: Any, recorder: Recorder) -> None:
    only_call(recorder, "register_blueprints")  # while the app was built
    request.getfixturevalue("world")
    client = request.getfixturevalue("client")
    assert client.get("/on-2026/recorder/").get_data(as_text=True) == "recorder page of on-2026"
    assert client.get("/off-2026/recorder/").status_code == 404


@drives("register_cli_commands")
def _cli(request: Any, recorder: Recorder) -> None:
    only_call(recorder, "register_cli_commands")
    result = request.getfixturevalue("runner").invoke(args=["recorder-ping"])
    assert result.exit_code == 0 and result.output.strip() == "pong"


@drives("event_nav_items")
def _nav(request: Any, recorder: Recorder) -> None:
    request.getfixturevalue("world")
    client = request.getfixturevalue("client")
    assert "recorder" not in nav_links(client.get("/off-2026/").get_data(as_text=True))
    assert recorder.received("event_nav_items") == []
    assert "recorder" in nav_links(client.get("/on-2026/").get_data(as_text=True))
    only_call(recorder, "event_nav_items")
    assert recorder.slug("event_nav_items") == "on-2026"


@drives("event_home_panels")
def _home(request: Any, recorder: Recorder) -> None:
    request.getfixturevalue("world")
    client = request.getfixturevalue("client")
    client.get("/off-2026/")
    assert recorder.received("event_home_panels") == []
    assert "recorder" in panel_plugins(client.get("/on-2026/").get_data(as_text=True))
    assert only_call(recorder, "event_home_panels")["session"] is not None
    assert recorder.slug("event_home_panels") == "on-2026"


@drives("event_dashboard_panels")
def _dashboard(request: Any, recorder: Recorder) -> None:
    request.getfixturevalue("world")
    request.getfixturevalue("auth").login(ORGANIZER)
    client = request.getfixturevalue("client")
    client.get("/off-2026/manage/")
    assert recorder.received("event_dashboard_panels") == []
    page = client.get("/on-2026/manage/").get_data(as_text=True)
    assert "recorded dashboard" in page
    only_call(recorder, "event_dashboard_panels")
    assert recorder.slug("event_dashboard_panels") == "on-2026"


@drives("event_my_home_panels")
def _my_home(request: Any, recorder: Recorder) -> None:
    request.getfixturevalue("world")
    request.getfixturevalue("auth").login(ORGANIZER)
    page = request.getfixturevalue("client").get("/me").get_data(as_text=True)
    assert page.count("recorded my home") == 1  # off-2026 has the recorder off
    call = only_call(recorder, "event_my_home_panels")
    assert recorder.slug("event_my_home_panels") == "on-2026"
    assert call["user"] is not None and recorder.my_home_email == ORGANIZER
    assert call["roles"].organizer and not call["roles"].judge


@drives("event_demo_data")
def _demo(request: Any, recorder: Recorder) -> None:
    result = request.getfixturevalue("runner").invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    calls = recorder.received("event_demo_data")
    # The 2019 edition as it happened, then the live edition cloned from it.
    assert len(calls) == 2, f"event_demo_data was called {len(calls)} times"
    assert all(sorted(c) == sorted(spec_arguments("event_demo_data")) for c in calls)
    call = next(c for c in calls if c["event"].slug == "jatim-2019")
    assert isinstance(call["demo"], DemoContext)
    assert len(call["demo"].innovations) == 178


def _put_plugins(request: Any, slug: str, names: list[str]) -> None:
    client = request.getfixturevalue("client")
    headers = request.getfixturevalue("api_token")(ORGANIZER)
    response = client.put(
        f"/api/v1/events/{slug}/plugins", json={"enabled": names}, headers=headers
    )
    assert response.status_code == 200, response.get_json()


@drives("on_plugin_enabled")
def _enabled(request: Any, recorder: Recorder) -> None:
    request.getfixturevalue("world")
    _put_plugins(request, "off-2026", ["exhibitors", "recorder"])
    only_call(recorder, "on_plugin_enabled")
    assert recorder.slug("on_plugin_enabled") == "off-2026"
    assert recorder.received("on_plugin_disabled") == []


@drives("on_plugin_disabled")
def _disabled(request: Any, recorder: Recorder) -> None:
    request.getfixturevalue("world")
    _put_plugins(request, "on-2026", ["voting"])
    only_call(recorder, "on_plugin_disabled")
    assert recorder.slug("on_plugin_disabled") == "on-2026"
    assert recorder.received("on_plugin_enabled") == []


@drives("on_event_cloned")
def _cloned(request: Any, recorder: Recorder) -> None:
    request.getfixturevalue("world")
    client = request.getfixturevalue("client")
    headers = request.getfixturevalue("api_token")(ORGANIZER)
    body = {"name": "Next", "year": 2027, "starts_on": "2027-12-09", "ends_on": "2027-12-10"}
    assert (
        client.post(
            "/api/v1/events/off-2026/clone", json={**body, "slug": "off-2027"}, headers=headers
        ).status_code
        == 201
    )
    assert recorder.received("on_event_cloned") == []
    assert (
        client.post(
            "/api/v1/events/on-2026/clone", json={**body, "slug": "on-2027"}, headers=headers
        ).status_code
        == 201
    )
    only_call(recorder, "on_event_cloned")
    assert recorder.slug("on_event_cloned", "source") == "on-2026"
    assert recorder.slug("on_event_cloned", "target") == "on-2027"


def _innovation(db: Any, event: Any) -> Innovation:
    organization = Organization(name=f"Dinas Kominfo ({event.slug})")
    db.add(organization)
    db.flush()
    innovation = Innovation(
        event_id=event.id, organization_id=organization.id, title="Smart Kampung", category="x"
    )
    db.add(innovation)
    db.flush()
    return innovation


@drives("on_innovation_submitted")
def _submitted(request: Any, recorder: Recorder) -> None:
    world = request.getfixturevalue("world")
    db, registry = request.getfixturevalue("db"), request.getfixturevalue("registry")
    off = db.merge(world.off)
    announce_innovation_submitted(registry, db, off, _innovation(db, off))
    assert recorder.received("on_innovation_submitted") == []
    on = db.merge(world.on)
    innovation = _innovation(db, on)
    announce_innovation_submitted(registry, db, on, innovation)
    call = only_call(recorder, "on_innovation_submitted")
    assert call["innovation"] is innovation and call["session"] is db


@drives("on_registration_decided")
def _decided(request: Any, recorder: Recorder) -> None:
    world = request.getfixturevalue("world")
    db, registry = request.getfixturevalue("db"), request.getfixturevalue("registry")
    registration = SimpleNamespace(organization_id=1, innovation_ids=[1, 2])
    announce_registration_decided(registry, db, db.merge(world.off), registration, "approved")
    assert recorder.received("on_registration_decided") == []
    announce_registration_decided(registry, db, db.merge(world.on), registration, "approved")
    call = only_call(recorder, "on_registration_decided")
    assert call["status"] == "approved" and call["registration"] is registration


@drives("on_organization_claim_decided")
def _claim_decided(request: Any, recorder: Recorder) -> None:
    world = request.getfixturevalue("world")
    db, registry, app = (request.getfixturevalue(n) for n in ("db", "registry", "app"))
    admin = accounts.create_user(
        db, email="root@example.id", name="Root", password=None, verified=True
    )
    admin.is_admin = True
    agency = Organization(name="Dinas Recorder", kind="government", region="Surabaya")
    db.add(agency)
    db.flush()
    with app.app_context(), app.test_request_context():
        claims = [
            memberships.request_claim(
                db,
                agency,
                email=f"{slug}@example.id",
                name="X",
                event=db.merge(target),
                registration_id=7,
            )[0]
            for slug, target in (("off", world.off), ("on", world.on))
        ]
        memberships.decide_claim(db, registry, claims[0], "refused", actor=admin, now=utcnow())
        assert recorder.received("on_organization_claim_decided") == []
        memberships.decide_claim(db, registry, claims[1], "confirmed", actor=admin, now=utcnow())
    call = only_call(recorder, "on_organization_claim_decided")
    assert call["claim"] is claims[1] and call["claim"].status == "confirmed"
    assert call["session"] is db and call["event"].slug == "on-2026"


@drives("on_judge_conflicts_declared")
def _conflicts_declared(request: Any, recorder: Recorder) -> None:
    world = request.getfixturevalue("world")
    db, registry, app = (request.getfixturevalue(n) for n in ("db", "registry", "app"))
    agency = Organization(name="Dinas Konflik", kind="government", region="Surabaya")
    db.add(agency)
    db.flush()
    with app.app_context(), app.test_request_context():
        for target in (world.off, world.on):
            roles.appoint(
                db,
                db.merge(target),
                email="juri@example.id",
                role="judge",
                conflicts=[agency.id],
                registry=registry,
            )
            if target is world.off:
                assert recorder.received("on_judge_conflicts_declared") == []
        # Declared again: nothing new, so no second call.
        roles.appoint(
            db,
            db.merge(world.on),
            email="juri@example.id",
            role="judge",
            conflicts=[agency.id],
            registry=registry,
        )
    call = only_call(recorder, "on_judge_conflicts_declared")
    assert call["organization_ids"] == [agency.id] and call["session"] is db
    assert call["event"].slug == "on-2026" and call["user_id"] is not None


@drives("event_innovation_actions")
def _actions(request: Any, recorder: Recorder) -> None:
    world = request.getfixturevalue("world")
    db, registry = request.getfixturevalue("db"), request.getfixturevalue("registry")
    off = db.merge(world.off)
    assert innovation_actions(registry, db, off, _innovation(db, off)) == []
    assert recorder.received("event_innovation_actions") == []
    on = db.merge(world.on)
    innovation = _innovation(db, on)
    actions = innovation_actions(registry, db, on, innovation)
    assert [a.plugin for a in actions] == ["recorder"]
    call = only_call(recorder, "event_innovation_actions")
    assert call["innovation"] is innovation and call["session"] is db


@drives("event_busy_times")
def _busy_times(request: Any, recorder: Recorder) -> None:
    world = request.getfixturevalue("world")
    db, registry = request.getfixturevalue("db"), request.getfixturevalue("registry")
    window = (utcnow(), utcnow() + timedelta(hours=2))
    people, agencies = {7: "juri@example.id"}, {3: "Dinas Kominfo"}
    off = db.merge(world.off)
    assert busy_times(registry, db, off, people=people, organizations=agencies, window=window) == []
    assert recorder.received("event_busy_times") == []
    on = db.merge(world.on)
    found = busy_times(registry, db, on, people=people, organizations=agencies, window=window)
    assert [(b.kind, b.key, b.label) for b in found] == [("person", 7, "Recorded")]
    call = only_call(recorder, "event_busy_times")
    assert call["people"] == people and call["organizations"] == agencies
    assert call["window"] == window and call["session"] is db


@drives("event_booth_locations")
def _booth_locations(request: Any, recorder: Recorder) -> None:
    world = request.getfixturevalue("world")
    db, registry = request.getfixturevalue("db"), request.getfixturevalue("registry")
    assert booth_locations(registry, db, db.merge(world.off), [5]) == {}  # exhibitors: no booth
    assert recorder.received("event_booth_locations") == []
    found = booth_locations(registry, db, db.merge(world.on), [5, 6])
    assert {k: v.code for k, v in found.items()} == {5: "R-1", 6: "R-1"}
    call = only_call(recorder, "event_booth_locations")
    assert call["organization_ids"] == [5, 6] and call["session"] is db


@drives("event_innovation_outcomes")
def _outcomes(request: Any, recorder: Recorder) -> None:
    world = request.getfixturevalue("world")
    db, client = request.getfixturevalue("db"), request.getfixturevalue("client")
    ids = {}
    for event in (db.merge(world.on), db.merge(world.off)):
        innovation = _innovation(db, event)
        innovation.status = "accepted"
        ids[event.slug] = innovation.id
    db.commit()
    # off: the recorder is not asked, the history has no stage
    body = client.get(f"/api/v1/innovations/{ids['off-2026']}/history").get_json()
    assert body["items"][0]["stage_reached"] is None
    assert recorder.received("event_innovation_outcomes") == []
    body = client.get(f"/api/v1/innovations/{ids['on-2026']}/history").get_json()
    assert body["items"][0]["stage_reached"] == "Recorded stage"
    assert body["items"][0]["rank"] == 7
    call = only_call(recorder, "event_innovation_outcomes")
    assert call["innovation_ids"] == [ids["on-2026"]]
    assert call["events"] == ["on-2026"]


@drives("event_innovation_search")
def _search(request: Any, recorder: Recorder) -> None:
    world = request.getfixturevalue("world")
    db, client = request.getfixturevalue("db"), request.getfixturevalue("client")
    for event in (db.merge(world.on), db.merge(world.off)):
        innovation = _innovation(db, event)
        innovation.status = "accepted"
        innovation.title = "Hidden from core's word match"
    db.commit()
    # off: the recorder is not asked, core's search finds nothing for this word
    body = client.get("/api/v1/events/off-2026/innovations?q=recorded").get_json()
    assert body["total"] == 0 and recorder.received("event_innovation_search") == []
    # on: the recorder answers first and its result is what the API returns
    body = client.get("/api/v1/events/on-2026/innovations?q=recorded&limit=5").get_json()
    assert body["total"] == 1 and body["items"][0]["title"] == "Hidden from core's word match"
    call = only_call(recorder, "event_innovation_search")
    assert call["q"] == "recorded" and call["limit"] == 5 and call["offset"] == 0
    # a None answer falls back to core's search
    body = client.get("/api/v1/events/on-2026/innovations?q=hidden").get_json()
    assert body["total"] == 1


@drives("on_personal_data_collect")
def _personal_collect(request: Any, recorder: Recorder) -> None:
    request.getfixturevalue("world")
    client = request.getfixturevalue("client")
    headers = request.getfixturevalue("api_token")(ORGANIZER)
    body = client.get("/api/v1/me/data", headers=headers).get_json()
    # Every installed plugin is asked (data outlives the switch); sections are concatenated.
    assert {"recorded_for": ORGANIZER} in body["votes"]
    assert body["recorder"] == [{"kept": True}]
    only_call(recorder, "on_personal_data_collect")
    assert recorder.collected_email == ORGANIZER


@drives("on_personal_data_erase")
def _personal_erase(request: Any, recorder: Recorder) -> None:
    request.getfixturevalue("world")
    client = request.getfixturevalue("client")
    headers = request.getfixturevalue("api_token")(ORGANIZER)
    assert (
        client.delete("/api/v1/me", json={"password": "wrong"}, headers=headers).status_code == 403
    )
    assert recorder.received("on_personal_data_erase") == []
    response = client.delete("/api/v1/me", json={"password": PASSWORD}, headers=headers)
    assert response.status_code == 204
    call = only_call(recorder, "on_personal_data_erase")
    assert call["email"] == ORGANIZER and call["event"] is None
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_every_spec_has_a_driver() -> None:
    assert sorted(DRIVERS) == sorted(spec_functions()), (
        "every hook spec needs a driver in tests/core/plugins/test_hookspecs.py"
    )


def test_recorder_implements_every_spec() -> None:
    implemented = {name for name, _ in inspect.getmembers(Recorder) if name in spec_functions()}
    assert implemented == set(spec_functions())


@pytest.mark.parametrize("hook", sorted(DRIVERS))
def test_hook_is_exercised(
    hook: str, request: pytest.FixtureRequest, recorder: Recorder, app: Any
) -> None:
    """Drive ``hook`` through the app; the driver asserts what the recorder received."""
    DRIVERS[hook](request, recorder)
