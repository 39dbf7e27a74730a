"""GET /api/v1/events/{event}/innovations and .../innovations/{id}."""

from __future__ import annotations

import pytest

from core.services import innovations as innovation_service
from core.services.errors import NotFound
from tests.core.api.helpers import API, add_innovation, add_organization, assert_error

LIST = f"{API}/events/jatim-2026/innovations"


@pytest.fixture
def catalogue(cast, db):
    """Accepted innovations of two organizations, plus some that are not public."""
    bapenda = add_organization(db, "Bapenda Provinsi Jawa Timur")
    dinkes = add_organization(db, "Dinas Kesehatan Kabupaten Banyuwangi")
    items = {
        "samsat": add_innovation(
            db,
            cast.event,
            bapenda,
            "Samsat Mandiri",
            category="Administrasi & Perizinan",
            summary="Perpanjangan pajak kendaraan bermotor tanpa antre",
        ),
        "posyandu": add_innovation(
            db, cast.event, dinkes, "Posyandu Digital", summary="Data balita"
        ),
        "ambulans": add_innovation(db, cast.event, dinkes, "Ambulans Desa", summary="Pajak tidak"),
        "pending": add_innovation(db, cast.event, dinkes, "Masih Diperiksa", status="submitted"),
        "rejected": add_innovation(db, cast.event, bapenda, "Ditolak", status="rejected"),
    }
    return {"bapenda": bapenda, "dinkes": dinkes, **items}


def _titles(response) -> list[str]:
    return [item["title"] for item in response.get_json()["items"]]


def test_lists_only_accepted_innovations(client, catalogue):
    response = client.get(LIST)
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 3
    assert _titles(response) == ["Ambulans Desa", "Posyandu Digital", "Samsat Mandiri"]
    samsat = body["items"][2]
    assert samsat["organization"] == {
        "id": catalogue["bapenda"].id,
        "name": "Bapenda Provinsi Jawa Timur",
    }
    assert {"id", "title", "summary", "category", "organization", "status"} <= set(samsat)
    assert samsat["status"] == "accepted"


def test_search_and_filters(client, catalogue):
    assert _titles(client.get(f"{LIST}?q=PAJAK kendaraan")) == ["Samsat Mandiri"]
    assert _titles(client.get(f"{LIST}?q=pajak")) == ["Ambulans Desa", "Samsat Mandiri"]
    assert _titles(client.get(f"{LIST}?q=banyuwangi")) == ["Ambulans Desa", "Posyandu Digital"]
    assert _titles(client.get(f"{LIST}?q=diperiksa")) == []
    assert _titles(client.get(f"{LIST}?q=100%25")) == []
    assert _titles(client.get(f"{LIST}?category=Kesehatan")) == [
        "Ambulans Desa",
        "Posyandu Digital",
    ]
    assert _titles(client.get(f"{LIST}?organization={catalogue['bapenda'].id}")) == [
        "Samsat Mandiri"
    ]
    combined = client.get(f"{LIST}?organization={catalogue['dinkes'].id}&q=desa&category=Kesehatan")
    assert _titles(combined) == ["Ambulans Desa"]
    assert combined.get_json()["total"] == 1


def test_pagination(client, catalogue):
    first = client.get(f"{LIST}?limit=2")
    second = client.get(f"{LIST}?limit=2&offset=2")
    assert _titles(first) == ["Ambulans Desa", "Posyandu Digital"]
    assert _titles(second) == ["Samsat Mandiri"]
    assert first.get_json()["total"] == second.get_json()["total"] == 3
    assert client.get(f"{LIST}?limit=500").status_code == 200
    for query in (
        "limit=501",
        "limit=0",
        "limit=x",
        "offset=-5",
        "offset=1.5",
        "organization=abc",
        "organization=0",
        f"organization={10**30}",
    ):
        error = assert_error(client.get(f"{LIST}?{query}"), 422, "validation_failed")
        assert query.split("=")[0] in error["fields"], query


def test_default_page_is_fifty(client, cast, db):
    organization = add_organization(db, "Dinas Kependudukan")
    for number in range(55):
        add_innovation(db, cast.event, organization, f"Inovasi {number:02d}")
    body = client.get(LIST).get_json()
    assert body["total"] == 55 and len(body["items"]) == 50


def test_one_innovation(client, catalogue):
    samsat = catalogue["samsat"]
    response = client.get(f"{LIST}/{samsat.id}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == samsat.id
    assert body["title"] == "Samsat Mandiri"
    assert body["summary"] == "Perpanjangan pajak kendaraan bermotor tanpa antre"
    assert body["category"] == "Administrasi & Perizinan"
    assert body["organization"] == {
        "id": catalogue["bapenda"].id,
        "name": "Bapenda Provinsi Jawa Timur",
    }
    assert body["status"] == "accepted"
    for hidden in (catalogue["pending"].id, catalogue["rejected"].id, 999999, 10**25):
        assert_error(client.get(f"{LIST}/{hidden}"), 404, "not_found")
    assert_error(client.get(f"{API}/events/nope/innovations/{samsat.id}"), 404)
    assert_error(client.get(f"{LIST}/abc"), 404)


def test_innovation_of_another_event_is_not_found(client, make, catalogue):
    make.event("other-2026")
    assert_error(client.get(f"{API}/events/other-2026/innovations/{catalogue['samsat'].id}"), 404)
    assert client.get(f"{API}/events/other-2026/innovations").get_json() == {
        "items": [],
        "total": 0,
    }


def test_draft_event_innovations_are_hidden(client, make, db, headers, cast):
    draft = make.event("draft-2027", status="draft", organizer=cast.organizer)
    organization = add_organization(db, "Dinas Rahasia")
    secret = add_innovation(db, draft, organization, "Belum Diumumkan")
    assert_error(client.get(f"{API}/events/draft-2027/innovations"), 404)
    assert_error(client.get(f"{API}/events/draft-2027/innovations/{secret.id}"), 404)
    assert (
        client.get(f"{API}/events/draft-2027/innovations", headers=headers["organizer"]).get_json()[
            "total"
        ]
        == 1
    )


def test_innovation_service(app, db, catalogue, cast):
    items, total = innovation_service.search_accepted(db, cast.event, q="samsat")
    assert total == 1 and items[0].title == "Samsat Mandiri"
    items, total = innovation_service.search_accepted(db, cast.event, limit=1, offset=1)
    assert total == 3 and [i.title for i in items] == ["Posyandu Digital"]
    with pytest.raises(NotFound):
        innovation_service.get_accepted(db, cast.event, catalogue["pending"].id)
    db.rollback()
