"""POST /events/{event}/innovations/import: all rows or none, agencies matched, never granted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from core.models import Innovation, Membership, Organization

ORGANIZER = "organizer@example.id"


def item(title: str, agency: str = "Dinas Kesehatan", region: str = "Surabaya", **extra: Any):
    return {
        "title": title,
        "summary": extra.get("summary", f"About {title}"),
        "category": extra.get("category", "health"),
        "organization": {"name": agency, "kind": extra.get("kind", "government"), "region": region},
    }


def setup(make: Any, api_token: Any) -> tuple[str, dict[str, str]]:
    organizer = make.user(ORGANIZER, "Organizer")
    event = make.event("imp-2026", plugins=[], organizer=organizer)
    return f"/api/v1/events/{event.slug}/innovations/import", api_token(ORGANIZER)


def test_creates_then_updates_and_matches_agencies(
    client: Any, db: Any, make: Any, api_token: Any
) -> None:
    existing = Organization(name="Dinas Kesehatan", region="Surabaya", kind="bumd")
    db.add(existing)
    db.commit()
    url, headers = setup(make, api_token)
    items = [
        item("Puskesmas Keliling"),
        item("Sapa Warga", "dinas kesehatan", "surabaya"),
        item("Lapor", "Diskominfo", "Malang", kind="private"),
    ]
    response = client.post(url, json={"items": items}, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"created": 3, "updated": 0}
    orgs = {(o.name, o.region, o.kind) for o in db.scalars(select(Organization))}
    # The existing agency is matched (any letter case) and left as it was.
    assert orgs == {("Dinas Kesehatan", "Surabaya", "bumd"), ("Diskominfo", "Malang", "private")}
    assert db.scalar(select(func.count(Membership.id))) == 0
    db.commit()
    again = [item("puskesmas keliling", summary="New summary", category="service"), item("Baru")]
    response = client.post(url, json={"items": again}, headers=headers)
    assert response.get_json() == {"created": 1, "updated": 1}
    found = {
        i.title: (i.summary, i.category, i.status, i.organization_id)
        for i in db.scalars(select(Innovation))
    }
    db.commit()
    assert found["Puskesmas Keliling"] == ("New summary", "service", "accepted", existing.id)
    assert len(found) == 4
    public = client.get("/api/v1/events/imp-2026/innovations?q=Baru").get_json()
    assert [i["title"] for i in public["items"]] == ["Baru"]


def test_invalid_rows_store_nothing(client: Any, db: Any, make: Any, api_token: Any) -> None:
    url, headers = setup(make, api_token)
    items = [item("Ok"), item("   "), item("ok")]
    response = client.post(url, json={"items": items}, headers=headers)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"items.1.title", "items.2.title"}
    items = [item("Ok"), item("X", kind="alien")]
    response = client.post(url, json={"items": items}, headers=headers)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"items.1.organization.kind"}
    assert db.scalar(select(func.count(Innovation.id))) == 0
    assert db.scalar(select(func.count(Organization.id))) == 0
    db.commit()
    assert client.post(url, json={"items": []}, headers=headers).status_code == 422
    too_many = {"items": [item(f"T{n}") for n in range(5001)]}
    assert client.post(url, json=too_many, headers=headers).status_code == 422


def test_only_organizers(client: Any, db: Any, make: Any, api_token: Any) -> None:
    url, _headers = setup(make, api_token)
    body = {"items": [item("Ok")]}
    assert client.post(url, json=body).status_code == 401
    make.user("someone@example.id")
    assert client.post(url, json=body, headers=api_token("someone@example.id")).status_code == 403
    assert db.scalar(select(func.count(Innovation.id))) == 0
    db.commit()
