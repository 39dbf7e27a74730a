"""Issue 15: entering an innovation again, replications and eligibility rules at registration."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from core.models import Award, Event, Innovation, Organization
from core.services import history, plugin_settings, roles
from plugins.registration import eligibility, services
from plugins.registration.models import Registration, RegistrationDocument
from tests.plugins.registration.conftest import NOW, OPEN_WINDOW, ORGANIZER, body, set_settings

PAST = "jatim-2019"


@pytest.fixture
def open_event(app: Flask, db: Any, make: Any) -> Event:
    """A 2026 edition with registration open (the year matters to the award rule)."""
    organizer = make.user(ORGANIZER, "Organizer")
    created = make.event("jatim-2026", plugins=["registration"], organizer=organizer)
    set_settings(app, db, created, **OPEN_WINDOW)
    return created


def _past_entry(
    db: Any, make: Any, *, title: str = "Puskesmas Keliling", award: str = ""
) -> Innovation:
    """A 2019 edition with an accepted entry of Dinas Kesehatan (optionally awarded)."""
    past = db.scalar(select(Event).where(Event.slug == PAST)) or make.event(
        PAST, starts_on=date(2019, 4, 24), ends_on=date(2019, 4, 24)
    )
    organization = db.scalar(
        select(Organization).where(Organization.name == "Dinas Kesehatan")
    ) or Organization(name="Dinas Kesehatan", kind="government", region="Kabupaten Banyuwangi")
    db.add(organization)
    db.flush()
    entry = Innovation(
        event_id=past.id,
        organization_id=organization.id,
        title=title,
        category="Kesehatan",
        status="accepted",
        launched_on=date(2017, 1, 15),
    )
    db.add(entry)
    db.flush()
    history.ensure_identity(db, entry)
    if award:
        db.add(Award(event_id=past.id, innovation_id=entry.id, title=award, published=True))
    db.commit()
    return entry


def _rules(db: Any, registry: Any, event: Any, **rules: Any) -> None:
    plugin_settings.update_settings(
        db, registry, db.merge(event), "registration", {"eligibility": rules}
    )
    db.commit()


def test_entering_again_keeps_one_identity_with_a_new_entry(
    client: Any, db: Any, make: Any, open_event: Any
) -> None:
    old = _past_entry(db, make)
    data = body()
    data["innovations"][0]["previous"] = old.id
    response = client.post("/api/v1/events/jatim-2026/registrations", json=data)
    assert response.status_code == 201, response.get_json()
    new = db.scalar(select(Innovation).where(Innovation.event_id == open_event.id))
    assert new.id != old.id and new.identity_id == db.get(Innovation, old.id).identity_id
    assert new.launched_on == date(2017, 1, 15)  # inherited from the earlier entry
    found = history.history(db, None, new.id, public=False)
    assert [e.event.year for e in found.entries] == [2019, 2026]


def test_previous_of_another_agency_or_the_same_event_is_refused(
    client: Any, db: Any, make: Any, open_event: Any
) -> None:
    old = _past_entry(db, make)
    data = body(name="Dinas Pendidikan")
    data["innovations"][0]["previous"] = old.id
    response = client.post("/api/v1/events/jatim-2026/registrations", json=data)
    assert response.status_code == 422
    assert "innovations.0.previous" in response.get_json()["error"]["fields"]
    assert db.scalar(select(Innovation.id).where(Innovation.event_id == open_event.id)) is None
    db.commit()


def test_replication_is_listed_on_the_original(
    client: Any, db: Any, make: Any, open_event: Any
) -> None:
    old = _past_entry(db, make)
    data = body(name="Dinas Kesehatan", region="Kota Malang")
    data["innovations"][0]["replicates"] = old.id
    assert client.post("/api/v1/events/jatim-2026/registrations", json=data).status_code == 201
    own = body()
    own["innovations"][0]["replicates"] = old.id  # its own agency: not a replication
    response = client.post("/api/v1/events/jatim-2026/registrations", json=own)
    assert response.status_code == 422
    assert "innovations.0.replicates" in response.get_json()["error"]["fields"]
    db.commit()
    found = history.history(db, None, old.id, public=False)
    assert [(r.organization.region, r.event.year) for r in found.replications] == [
        ("Kota Malang", 2026)
    ]


def test_min_months_rule_refuses_with_its_reason(
    client: Any, db: Any, registry: Any, open_event: Any
) -> None:
    _rules(db, registry, open_event, min_months_in_operation=24)
    data = body()
    data["innovations"][0]["launched_on"] = "2026-01-01"
    response = client.post("/api/v1/events/jatim-2026/registrations", json=data)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert list(error["fields"]) == ["eligibility.min_months_in_operation"]
    assert "24" in error["fields"]["eligibility.min_months_in_operation"][0]
    assert db.scalar(select(Innovation.id)) is None  # nothing stored
    db.commit()
    data["innovations"][0]["launched_on"] = "2020-01-01"
    assert client.post("/api/v1/events/jatim-2026/registrations", json=data).status_code == 201


def test_past_winners_are_excluded_for_n_years(
    client: Any, db: Any, make: Any, registry: Any, open_event: Any
) -> None:
    old = _past_entry(db, make, award="Juara I")
    _rules(db, registry, open_event, exclude_awarded_within_years=10)
    data = body()
    data["innovations"][0]["previous"] = old.id
    response = client.post("/api/v1/events/jatim-2026/registrations", json=data)
    assert response.status_code == 422
    assert "eligibility.exclude_awarded_within_years" in response.get_json()["error"]["fields"]
    _rules(db, registry, open_event, exclude_awarded_within_years=5)  # 2019 < 2021: allowed
    assert client.post("/api/v1/events/jatim-2026/registrations", json=data).status_code == 201


def test_required_documents_and_flags_when_rules_change(
    client: Any, db: Any, registry: Any, open_event: Any
) -> None:
    assert client.post("/api/v1/events/jatim-2026/registrations", json=body()).status_code == 201
    _rules(db, registry, open_event, required_documents=[{"key": "sk", "label": "SK Kepala"}])
    response = client.post(
        "/api/v1/events/jatim-2026/registrations", json=body(name="Dinas Sosial")
    )
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert "SK Kepala" in fields["eligibility.required_documents"][0]
    # the registration already in is flagged, never rejected
    event = db.merge(open_event)
    registrations, _total = services.list_registrations(db, event)
    flags = eligibility.flagged(db, event, registrations, services.event_settings(event))
    assert [p.rule for p in next(iter(flags.values()))] == ["required_documents"]
    assert registrations[0].status == "pending"
    assert db.scalar(select(RegistrationDocument.id)) is None


def test_bad_eligibility_settings_are_422(client: Any, api_token: Any, open_event: Any) -> None:
    headers = api_token(ORGANIZER)
    response = client.put(
        "/api/v1/events/jatim-2026/plugins/registration/settings",
        json={"eligibility": {"min_months_in_operation": -3}},
        headers=headers,
    )
    assert response.status_code == 422


def _draft_token(app: Flask, db: Any, event: Any) -> tuple[str, int]:
    from plugins.registration import mails

    registration = services.start_draft(
        db,
        db.merge(event),
        services.OrganizationInput(name="Dinas Kesehatan", region="Kabupaten Banyuwangi"),
        now=NOW,
    )
    db.commit()
    with app.test_request_context():
        return mails.status_token(registration.id), registration.id


def test_enter_again_in_two_taps(
    app: Flask, client: Any, db: Any, make: Any, open_event: Any
) -> None:
    old = _past_entry(db, make)
    token, _registration_id = _draft_token(app, db, open_event)
    step = f"/jatim-2026/registration/r/{token}/innovations"
    page = client.get(step)  # tap 1: the innovations step lists the earlier innovation
    assert page.status_code == 200
    assert f"/again/{old.id}" in page.get_data(as_text=True)
    tap = client.post(f"/jatim-2026/registration/r/{token}/again/{old.id}")  # tap 2
    assert tap.status_code == 302
    db.expire_all()
    entry = db.scalar(select(Innovation).where(Innovation.event_id == open_event.id))
    assert entry.title == old.title and entry.identity_id == old.identity_id
    db.commit()
    # the earlier innovation is not offered twice
    assert f"/again/{old.id}" not in client.get(step).get_data(as_text=True)
    client.post(f"/jatim-2026/registration/r/{token}/again/{old.id}")  # refused, said so
    assert db.scalar(select(func.count(Innovation.id))) == 2
    db.commit()


def test_declare_a_replication_by_search(
    app: Flask, client: Any, db: Any, make: Any, open_event: Any
) -> None:
    other = Organization(name="Dinas Sosial", kind="government", region="Kota Batu")
    db.add(other)
    db.commit()
    original = _past_entry(db, make, title="Sapa Lansia")
    original.organization_id = other.id
    db.commit()
    token, _rid = _draft_token(app, db, open_event)
    data = {
        "innovation_0-title": "Lansia Sehat",
        "innovation_0-category": "Kesehatan",
        "innovation_0-launched_on": "2020-02-01",
    }
    assert (
        client.post(f"/jatim-2026/registration/r/{token}/innovations", data=data).status_code == 302
    )
    found = client.get(f"/jatim-2026/registration/r/{token}/replicates/0?q=lansia batu")
    assert "Sapa Lansia" in found.get_data(as_text=True)
    chosen = client.post(
        f"/jatim-2026/registration/r/{token}/replicates/0", data={"innovation": original.id}
    )
    assert chosen.status_code == 302
    db.expire_all()
    entry = db.scalar(select(Innovation).where(Innovation.event_id == open_event.id))
    assert entry.replicates_id == original.identity_id
    assert entry.launched_on == date(2020, 2, 1)
    db.commit()


def test_organizer_sees_the_flag_on_the_registration(
    client: Any, db: Any, registry: Any, auth: Any, open_event: Any
) -> None:
    assert client.post("/api/v1/events/jatim-2026/registrations", json=body()).status_code == 201
    _rules(db, registry, open_event, min_months_in_operation=12)
    registration_id = db.scalar(select(Registration.id))
    db.commit()
    auth.login(ORGANIZER)
    page = client.get(f"/jatim-2026/registration/manage/{registration_id}")
    assert page.status_code == 200
    assert 'data-rule="min_months_in_operation"' in page.get_data(as_text=True)


def test_awards_recorded_published_and_in_the_history(
    client: Any, db: Any, make: Any, api_token: Any, open_event: Any
) -> None:
    old = _past_entry(db, make)
    past = db.get(Event, old.event_id)
    roles.appoint(db, past, email=ORGANIZER, role="organizer")
    db.commit()
    headers = api_token(ORGANIZER)
    url = "/api/v1/events/jatim-2019/awards"
    bad = client.post(url, json={"innovation": old.id, "title": " "}, headers=headers)
    assert bad.status_code == 422
    made = client.post(
        url, json={"innovation": old.id, "title": "Top 45", "rank": 3}, headers=headers
    )
    assert made.status_code == 201, made.get_json()
    again = client.post(url, json={"innovation": old.id, "title": "Top 45"}, headers=headers)
    assert again.status_code == 409
    assert client.post(url, json={"innovation": old.id, "title": "X"}).status_code == 401
    assert client.get(url).get_json()["items"] == []  # not published yet
    assert client.get(url, headers=headers).get_json()["total"] == 1
    history_url = f"/api/v1/innovations/{old.id}/history"
    assert client.get(history_url).get_json()["items"][0]["awards"] == []
    award = db.scalar(select(Award))
    award.published = True
    db.commit()
    assert client.get(url).get_json()["items"][0]["title"] == "Top 45"
    assert client.get(history_url).get_json()["items"][0]["awards"] == ["Top 45"]
    assert client.get("/api/v1/innovations/999999/history").status_code == 404
    assert "Top 45" in client.get("/jatim-2019/").get_data(as_text=True)


def test_cloning_never_copies_entries_or_awards(
    db: Any, make: Any, registry: Any, open_event: Any
) -> None:
    from core.services import cloning

    old = _past_entry(db, make, award="Juara I")
    past = db.get(Event, old.event_id)
    copy = cloning.clone_event(
        db,
        registry,
        past,
        slug="jatim-2020",
        name="2020",
        year=2020,
        starts_on=date(2020, 4, 24),
        ends_on=date(2020, 4, 24),
    )
    db.commit()
    assert db.scalar(select(func.count(Innovation.id)).where(Innovation.event_id == copy.id)) == 0
    assert db.scalar(select(func.count(Award.id)).where(Award.event_id == copy.id)) == 0
    db.commit()
