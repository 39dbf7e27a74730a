"""Appointing someone again: idempotent (201, the role as it stands), conflicts replaced."""

from __future__ import annotations

from sqlalchemy import select

from core.models import AuditEntry, EventRole, JudgeConflict
from core.services import roles as role_service
from tests.core.api.helpers import API, add_organization, assert_error, reading

EVENT = f"{API}/events/jatim-2026"


def _conflicts(app, email: str) -> list[int]:
    with reading(app) as session:
        role = role_service.find_role(session, _event(session), email, "judge")
        assert role is not None
        return sorted(
            session.scalars(
                select(JudgeConflict.organization_id).where(JudgeConflict.event_role_id == role.id)
            )
        )


def _event(session):
    from core.services.events import get_event

    return get_event(session, "jatim-2026")


def _judge_roles(app) -> int:
    with reading(app) as session:
        return len(session.scalars(select(EventRole).where(EventRole.role == "judge")).all())


def test_reappointing_a_judge_with_the_same_conflicts_is_idempotent(client, cast, headers, app, db):
    org = add_organization(db, "Dinas Kesehatan Kota Malang")
    body = {"email": "juri@example.id", "role": "judge", "conflicts": [org.id]}
    first = client.post(f"{EVENT}/roles", json=body, headers=headers["organizer"])
    assert first.status_code == 201, first.get_json()
    again = client.post(f"{EVENT}/roles", json=body, headers=headers["organizer"])
    assert again.status_code == 201, again.get_json()
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.get_json()["conflicts"] == [org.id]
    assert again.get_json()["invited"] is False
    assert _conflicts(app, "juri@example.id") == [org.id]
    assert _judge_roles(app) == 1


def test_reappointing_replaces_overlapping_conflicts(client, cast, headers, app, db):
    a = add_organization(db, "Dinas A")
    b = add_organization(db, "Dinas B")
    c = add_organization(db, "Dinas C")
    url = f"{EVENT}/roles"
    judge = {"email": "juri@example.id", "role": "judge"}
    assert (
        client.post(
            url, json={**judge, "conflicts": [a.id, b.id]}, headers=headers["organizer"]
        ).status_code
        == 201
    )
    # Keeps b, drops a, adds c: the kept row must not be re-inserted (unique key).
    response = client.post(
        url, json={**judge, "conflicts": [c.id, b.id, b.id]}, headers=headers["admin"]
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["conflicts"] == sorted([b.id, c.id])
    assert _conflicts(app, "juri@example.id") == sorted([b.id, c.id])
    # Without "conflicts" they stay; with an empty list they go.
    assert client.post(url, json=judge, headers=headers["organizer"]).get_json()[
        "conflicts"
    ] == sorted([b.id, c.id])
    assert (
        client.post(url, json={**judge, "conflicts": []}, headers=headers["organizer"]).status_code
        == 201
    )
    assert _conflicts(app, "juri@example.id") == []
    with reading(app) as session:
        audited = [
            entry.detail["conflicts"]
            for entry in session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "role.appointed")
                .order_by(AuditEntry.id)
            )
            if entry.detail.get("email") == "juri@example.id"
        ]
    assert audited == [sorted([a.id, b.id]), sorted([b.id, c.id]), sorted([b.id, c.id]), []]


def test_reappointing_with_an_unknown_conflict_keeps_the_old_ones(client, cast, headers, app, db):
    a = add_organization(db, "Dinas A")
    url = f"{EVENT}/roles"
    judge = {"email": "juri@example.id", "role": "judge"}
    assert (
        client.post(
            url, json={**judge, "conflicts": [a.id]}, headers=headers["organizer"]
        ).status_code
        == 201
    )
    response = client.post(
        url, json={**judge, "conflicts": [a.id, 999999]}, headers=headers["organizer"]
    )
    assert "conflicts" in assert_error(response, 422)["fields"]
    assert _conflicts(app, "juri@example.id") == [a.id]


def test_service_reappointment_diffs_the_conflicts(app, db, cast):
    a = add_organization(db, "Dinas A")
    b = add_organization(db, "Dinas B")
    role, _ = role_service.appoint(
        db, cast.event, email="j@example.id", role="judge", conflicts=[a.id, b.id]
    )
    db.commit()
    kept = {c.organization_id: c.id for c in role.conflicts}
    again, created = role_service.appoint(
        db, cast.event, email="J@Example.id", role="judge", conflicts=[b.id, a.id]
    )
    db.commit()
    assert again.id == role.id and created is False
    assert {c.organization_id: c.id for c in again.conflicts} == kept  # same rows, untouched
    again, _ = role_service.appoint(
        db, cast.event, email="j@example.id", role="judge", conflicts=[b.id]
    )
    db.commit()
    assert [c.organization_id for c in again.conflicts] == [b.id]
    assert role_service.find_role(db, cast.event, "nobody@example.id", "judge") is None
    assert role_service.find_role(db, cast.event, "not an e-mail", "judge") is None
    assert role_service.find_role(db, cast.event, "j@example.id", "organizer") is None


def test_console_people_form_reappoints_a_judge(client, cast, auth, app, db):
    a = add_organization(db, "Dinas A")
    b = add_organization(db, "Dinas B")
    auth.login("organizer@example.id")
    data = {"email": "juri@example.id", "role": "judge", "conflicts": [a.id, b.id]}
    for _ in range(2):
        response = client.post("/jatim-2026/manage/people", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)
    assert _conflicts(app, "juri@example.id") == sorted([a.id, b.id])
    response = client.post("/jatim-2026/manage/people", data={**data, "conflicts": [b.id]})
    assert response.status_code == 302
    assert _conflicts(app, "juri@example.id") == [b.id]
    assert _judge_roles(app) == 1
