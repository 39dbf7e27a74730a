"""Clone, roles, organizations and visitor passes of an event through the API."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.models import (
    Event,
    EventRole,
    Innovation,
    JudgeConflict,
    OutboundMail,
    User,
    VisitorPass,
)
from core.services import passes as pass_service
from core.services import roles as role_service
from core.services.errors import ValidationFailed
from tests.core.api.helpers import (
    API,
    add_innovation,
    add_organization,
    assert_error,
    reading,
    snapshot,
)

EVENT = f"{API}/events/jatim-2026"
CLONE = {
    "slug": "jatim-2027",
    "name": "Pameran Inovasi 2027",
    "year": 2027,
    "starts_on": "2027-04-24",
    "ends_on": "2027-04-25",
}


def _count(app, model, *where) -> int:
    with reading(app) as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


# --- clone --------------------------------------------------------------------------------


def test_clone_copies_plugins_and_settings_but_not_participants(client, cast, headers, app, db):
    client.put(
        f"{EVENT}/plugins", json={"enabled": ["voting", "symposium"]}, headers=headers["organizer"]
    )
    client.put(
        f"{EVENT}/plugins/voting/settings",
        json={"method": "raw", "public_weight": 0.5},
        headers=headers["organizer"],
    )
    organization = add_organization(db, "Bapenda Provinsi Jawa Timur")
    add_innovation(db, cast.event, organization, "Samsat mandiri")
    client.post(f"{EVENT}/passes", json={"count": 3}, headers=headers["organizer"])

    response = client.post(f"{EVENT}/clone", json=CLONE, headers=headers["organizer"])
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["slug"] == "jatim-2027" and body["status"] == "draft"
    assert body["plugins"] == ["symposium", "voting"]
    assert body["venue"] == "Surabaya" and body["timezone"] == "Asia/Jakarta"
    settings = client.get(
        f"{API}/events/jatim-2027/plugins/voting/settings", headers=headers["organizer"]
    ).get_json()
    assert (settings["method"], settings["public_weight"]) == ("raw", 0.5)
    with reading(app) as session:
        clone = session.scalar(select(Event).where(Event.slug == "jatim-2027"))
        assert clone.cloned_from_id == cast.event.id
        clone_id = clone.id
    assert _count(app, Innovation, Innovation.event_id == clone_id) == 0
    assert _count(app, VisitorPass, VisitorPass.event_id == clone_id) == 0
    assert _count(app, Innovation, Innovation.event_id == cast.event.id) == 1
    # The organizer organizes the draft copy; the public cannot see it.
    assert client.get(f"{API}/events/jatim-2027", headers=headers["organizer"]).status_code == 200
    assert_error(client.get(f"{API}/events/jatim-2027"), 404)


def test_clone_refusals_change_nothing(client, make, cast, headers, app):
    make.event("jatim-2027")
    before = snapshot(app)
    assert_error(client.post(f"{EVENT}/clone", json=CLONE), 401)
    assert_error(client.post(f"{EVENT}/clone", json=CLONE, headers=headers["outsider"]), 403)
    assert_error(
        client.post(f"{API}/events/nope/clone", json=CLONE, headers=headers["organizer"]), 404
    )
    error = assert_error(
        client.post(f"{EVENT}/clone", json=CLONE, headers=headers["organizer"]), 409
    )
    assert "slug" in error["fields"]
    cases = [
        ({"slug": "jatim-2028", "ends_on": "2027-04-01"}, "ends_on"),
        ({"slug": "api"}, "slug"),
        ({"slug": "jatim-2028", "year": "soon"}, "year"),
        ({"slug": "jatim-2028", "name": None}, "name"),
    ]
    for change, field in cases:
        response = client.post(
            f"{EVENT}/clone", json={**CLONE, **change}, headers=headers["organizer"]
        )
        assert field in assert_error(response, 422)["fields"], change
    assert snapshot(app) == before


# --- roles --------------------------------------------------------------------------------


def test_appointing_a_new_judge_invites_them(client, cast, headers, app, db):
    organization = add_organization(db, "Dinas Kominfo Kabupaten Banyuwangi")
    response = client.post(
        f"{EVENT}/roles",
        json={"email": "Juri.Baru@Example.id", "role": "judge", "conflicts": [organization.id]},
        headers=headers["organizer"],
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["email"] == "juri.baru@example.id"
    assert (body["role"], body["event"], body["invited"]) == ("judge", "jatim-2026", True)
    assert body["conflicts"] == [organization.id]
    with reading(app) as session:
        user = session.scalar(select(User).where(User.email == "juri.baru@example.id"))
        assert user is not None and user.password_hash is None
        role = session.scalar(select(EventRole).where(EventRole.user_id == user.id))
        assert role.role == "judge" and role.event_id == cast.event.id
        conflicts = session.scalars(
            select(JudgeConflict.organization_id).where(JudgeConflict.event_role_id == role.id)
        ).all()
        assert conflicts == [organization.id]
        mails = session.execute(
            select(OutboundMail.event_id, OutboundMail.body_text).where(
                OutboundMail.recipient == "juri.baru@example.id"
            )
        ).all()
    assert len(mails) == 1
    assert mails[0].event_id == cast.event.id
    assert "/auth/" in mails[0].body_text  # the invitation link to choose a password


def test_appointing_an_existing_user_as_organizer(client, cast, headers, app):
    response = client.post(
        f"{EVENT}/roles",
        json={"email": "outsider@example.id", "role": "organizer"},
        headers=headers["organizer"],
    )
    assert response.status_code == 201
    assert response.get_json()["invited"] is False
    # The outsider now organizes the event.
    assert client.get(f"{EVENT}/organizations", headers=headers["outsider"]).status_code == 200
    assert _count(app, OutboundMail, OutboundMail.recipient == "outsider@example.id") == 1


def test_role_refusals_change_nothing(client, cast, headers, app):
    url = f"{EVENT}/roles"
    judge = {"email": "juri@example.id", "role": "judge"}
    before = snapshot(app)
    assert_error(client.post(url, json=judge), 401)
    assert_error(client.post(url, json=judge, headers=headers["outsider"]), 403)
    cases = [
        ({"conflicts": [987654]}, "conflicts"),
        ({"conflicts": [10**30]}, "conflicts.0"),
        ({"conflicts": ["one"]}, "conflicts.0"),
        ({"role": "king"}, "role"),
        ({"email": "not-an-email"}, "email"),
        ({"email": None}, "email"),
    ]
    for change, field in cases:
        error = assert_error(
            client.post(url, json={**judge, **change}, headers=headers["organizer"]), 422
        )
        assert field in error["fields"], (change, error)
    assert snapshot(app) == before


def test_role_service_rejects_unknown_organizations(app, db, cast):
    with pytest.raises(ValidationFailed) as caught:
        role_service.appoint(db, cast.event, email="j@example.id", role="judge", conflicts=[424242])
    assert "conflicts" in caught.value.fields
    db.rollback()


# --- organizations ------------------------------------------------------------------------


def test_organizations_taking_part(client, cast, headers, db, make):
    kominfo = add_organization(db, "Dinas Kominfo", region="Banyuwangi")
    bapenda = add_organization(db, "Bapenda Jatim")
    idle = add_organization(db, "Dinas Tanpa Inovasi")
    other_event = make.event("other-2026")
    add_innovation(db, cast.event, kominfo, "Smart Kampung")
    add_innovation(db, cast.event, bapenda, "Samsat mandiri", status="submitted")
    add_innovation(db, other_event, idle, "Elsewhere")
    add_innovation(db, cast.event, idle, "Dropped", status="withdrawn")
    response = client.get(f"{EVENT}/organizations", headers=headers["organizer"])
    assert response.status_code == 200
    assert response.get_json() == {
        "items": [
            {"id": bapenda.id, "name": "Bapenda Jatim", "kind": "government", "region": "Surabaya"},
            {
                "id": kominfo.id,
                "name": "Dinas Kominfo",
                "kind": "government",
                "region": "Banyuwangi",
            },
        ],
        "total": 2,
    }
    page = client.get(f"{EVENT}/organizations?limit=1&offset=1", headers=headers["organizer"])
    assert page.get_json() == {"items": [response.get_json()["items"][1]], "total": 2}
    assert_error(client.get(f"{EVENT}/organizations?limit=501", headers=headers["organizer"]), 422)
    assert_error(client.get(f"{EVENT}/organizations"), 401)
    assert_error(client.get(f"{EVENT}/organizations", headers=headers["outsider"]), 403)
    assert_error(client.get(f"{API}/events/nope/organizations", headers=headers["organizer"]), 404)


# --- passes -------------------------------------------------------------------------------


def test_issue_passes(client, cast, headers, app):
    response = client.post(f"{EVENT}/passes", json={"count": 5}, headers=headers["organizer"])
    assert response.status_code == 201
    items = response.get_json()["items"]
    assert len(items) == 5 and all(set(item) == {"code"} for item in items)
    assert len({item["code"] for item in items}) == 5
    with reading(app) as session:
        stored = set(
            session.scalars(select(VisitorPass.code).where(VisitorPass.event_id == cast.event.id))
        )
    assert stored == {item["code"] for item in items}


def test_pass_refusals_change_nothing(client, cast, headers, app):
    url = f"{EVENT}/passes"
    before = snapshot(app)
    for count in (0, -1, 5000, "5", 2.5, True, None):
        error = assert_error(
            client.post(url, json={"count": count}, headers=headers["organizer"]), 422
        )
        assert "count" in error["fields"], count
    assert_error(client.post(url, json={}, headers=headers["organizer"]), 422)
    assert_error(client.post(url, json={"count": 1}), 401)
    assert_error(client.post(url, json={"count": 1}, headers=headers["outsider"]), 403)
    assert snapshot(app) == before


def test_pass_service_bounds(app, db, cast):
    issued = pass_service.issue_passes(db, cast.event, 2)
    assert len(issued) == 2
    for count in (0, pass_service.MAX_PASSES_PER_REQUEST + 1):
        with pytest.raises(ValidationFailed) as caught:
            pass_service.issue_passes(db, cast.event, count)
        assert "count" in caught.value.fields
    assert (
        pass_service.find_pass(db, cast.event, issued[0].code.lower().replace("-", "")) is not None
    )
    db.rollback()
