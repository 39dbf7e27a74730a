"""Catalogue search: case and accents ignored, ranking, filters, a fixed number of queries."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert
from sqlalchemy.orm import Session

from core.models import Innovation, Organization
from plugins.exhibitors import search
from plugins.exhibitors.search import CatalogueQuery
from tests.core.web.test_queries import counting
from tests.plugins.exhibitors.conftest import SLUG, World, add_innovation


def titles(db: Session, world: World, **query: Any) -> list[str]:
    """Titles found for ``query`` (entries refreshed first)."""
    search.refresh_entries(db, world.event)
    items, total = search.search(db, world.event, CatalogueQuery(**query), limit=50)
    assert total == len(items)
    return [i.title for i in items]


def test_fold_drops_case_and_accents() -> None:
    assert search.fold("  Café  ÉLÈVE  Ñandú ") == "cafe eleve nandu"
    assert search.fold(None) == ""


def test_search_ignores_case_and_accents(db: Session, world: World) -> None:
    assert titles(db, world, q="SAMSAT") == ["Samsat Keliling Digital"]
    assert titles(db, world, q="cafe") == ["Sekolah Ramah Café"]
    assert titles(db, world, q="CAFÉ ramah") == ["Sekolah Ramah Café"]
    assert titles(db, world, q="airlangga") == ["Sekolah Ramah Café"]  # agency name
    assert titles(db, world, q="rahasia") == []  # not accepted
    assert titles(db, world, q="100%_") == []  # LIKE wildcards are literal


def test_ranking_prefers_title_over_agency_over_summary(db: Session, world: World) -> None:
    add_innovation(db, world.event, "Layanan Umum", "Dinas Kesehatan Kota Malang", summary="x")
    add_innovation(db, world.event, "Sistem Antrean", "Kecamatan Lain", summary="untuk kesehatan")
    add_innovation(db, world.event, "Kesehatan Keliling", "Kecamatan Lain")
    found = titles(db, world, q="kesehatan")
    assert found[0] == "Kesehatan Keliling"
    assert found[-1] == "Sistem Antrean"


def test_filters(db: Session, world: World) -> None:
    add_innovation(db, world.event, "Cepat Saja", "Dinas Cepat", region="Kediri", cettar=["cepat"])
    assert titles(db, world, category="Kesehatan") == ["Puskesmas Tanpa Antre"]
    assert titles(db, world, region="Kediri") == ["Cepat Saja"]
    assert "Cepat Saja" not in titles(db, world, cettar="transparan")
    assert len(titles(db, world, cettar="transparan")) == 4
    bapenda = world.organizations["Bapenda Jawa Timur"].id
    assert titles(db, world, organization_id=bapenda) == ["Samsat Keliling Digital"]


def test_entries_follow_edits_and_renames(db: Session, world: World) -> None:
    search.refresh_entries(db, world.event)
    db.commit()
    assert not search.needs_refresh(db, world.event)
    world.organizations["PDAM Delta Tirta"].name = "Perumda Air Minum Delta"
    db.commit()
    assert search.needs_refresh(db, world.event)
    assert titles(db, world, q="perumda") == ["Air Bersih Desa"]


def test_catalogue_page_searches_and_filters(client: FlaskClient, world: World) -> None:
    client.post("/lang/en")
    page = client.get(f"/{SLUG}/exhibitors/?q=samsat").get_data(as_text=True)
    assert "Samsat Keliling Digital" in page and "Puskesmas" not in page
    assert "1 innovations" in page
    page = client.get(f"/{SLUG}/exhibitors/?region=Malang").get_data(as_text=True)
    assert "Puskesmas Tanpa Antre" in page and "Samsat" not in page
    page = client.get(f"/{SLUG}/exhibitors/?organization=abc&page=-4").get_data(as_text=True)
    assert "4 innovations" in page


def test_names_with_markup_are_escaped(client: FlaskClient, db: Session, world: World) -> None:
    add_innovation(db, world.event, "<script>alert(1)</script>", "Dinas <b>Tebal</b>")
    page = client.get(f"/{SLUG}/exhibitors/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<b>Tebal</b>" not in page


def _bulk(db: Session, world: World, start: int, count: int) -> None:
    """``count`` accepted innovations, one new agency per ten."""
    organizations = [
        {"name": f"Dinas Nomor {i}", "region": f"Kab {i % 38}", "kind": "government"}
        for i in range(start // 10, (start + count) // 10 + 1)
    ]
    db.execute(insert(Organization), organizations)
    ids = {
        o.name: o.id for o in db.query(Organization).filter(Organization.name.like("Dinas Nomor %"))
    }
    rows = [
        {
            "event_id": world.event.id,
            "organization_id": ids[f"Dinas Nomor {i // 10}"],
            "title": f"Inovasi Pelayanan {i}",
            "summary": "Ringkasan panjang tentang pelayanan publik yang lebih cepat",
            "category": f"Kategori {i % 9}",
            "cettar": ["cepat"],
            "status": "accepted",
        }
        for i in range(start, start + count)
    ]
    db.execute(insert(Innovation), rows)
    db.commit()


def test_catalogue_query_count_stays_constant(
    app: Flask, client: FlaskClient, db: Session, world: World
) -> None:
    _bulk(db, world, 0, 20)
    client.get(f"/{SLUG}/exhibitors/")  # builds the entries
    with counting(app) as few:
        assert client.get(f"/{SLUG}/exhibitors/?q=pelayanan&category=Kategori+1").status_code == 200
    _bulk(db, world, 1000, 3000)
    with counting(app) as first:
        assert client.get(f"/{SLUG}/exhibitors/?q=pelayanan").status_code == 200
    with counting(app) as many:
        response = client.get(f"/{SLUG}/exhibitors/?q=pelayanan&category=Kategori+1")
    assert response.status_code == 200
    assert len(many) == len(few)
    # Rebuilding 3,000 stale entries adds a fixed handful of statements, not one per row.
    assert len(first) <= len(few) + 8
    assert len(many) <= 25


def test_core_innovation_api_uses_the_catalogue_search(client: FlaskClient, world: World) -> None:
    """``GET /api/v1/events/{event}/innovations?q=`` answers with the plugin's search."""
    body = client.get(f"/api/v1/events/{SLUG}/innovations?q=CAFE").get_json()
    assert [i["title"] for i in body["items"]] == ["Sekolah Ramah Café"]  # accents folded
    assert body["total"] == 1


def test_core_innovation_api_falls_back_when_the_plugin_is_off(
    app: Flask, client: FlaskClient, db: Session, world: World
) -> None:
    from core.services import plugin_settings

    event = db.merge(world.event)
    plugin_settings.set_plugin_enabled(
        db, app.extensions["gelar_plugins"], event, "exhibitors", False
    )
    db.commit()
    body = client.get(f"/api/v1/events/{SLUG}/innovations?q=CAFE").get_json()
    assert body["total"] == 0  # core's word match does not fold accents
    body = client.get(f"/api/v1/events/{SLUG}/innovations?q=caf").get_json()
    assert [i["title"] for i in body["items"]] == ["Sekolah Ramah Café"]


def test_short_names_and_aliases_are_searched(db: Session, world: World) -> None:
    """The catalogue, the floor plan's "find an agency" and the vote's search know Dinkes."""
    from core.services.innovations import search_accepted

    dinkes = world.organizations["Dinas Kesehatan Kota Malang"]
    search.refresh_entries(db, world.event)
    db.commit()
    assert titles(db, world, q="dinkes") == []
    dinkes.short_name = "Dinkes Kota Malang"
    dinkes.aliases = "Dinas Kesehatan Malang\nDKK Malang"
    db.commit()
    assert search.needs_refresh(db, world.event)  # a new short name makes entries stale
    assert titles(db, world, q="Dinkes") == ["Puskesmas Tanpa Antre"]
    assert titles(db, world, q="dkk") == ["Puskesmas Tanpa Antre"]  # an alias
    found = search.matching_organizations(db, world.event, "dinkes")
    assert found == {dinkes.id}
    items, total = search_accepted(db, world.event, q="DKK")
    assert [i.title for i in items] == ["Puskesmas Tanpa Antre"] and total == 1


def test_catalogue_cettar_filter_offers_the_six_core_values(
    client: FlaskClient, world: World
) -> None:
    client.post("/lang/id")
    page = client.get(f"/{SLUG}/exhibitors/").get_data(as_text=True)
    for key, label in (("cepat", "Cepat"), ("efisien", "Efisien"), ("responsif", "Responsif")):
        assert f'<option value="{key}" >{label}</option>' in page, key
    client.post("/lang/en")
    page = client.get(f"/{SLUG}/exhibitors/").get_data(as_text=True)
    assert '<option value="efisien" >Efficient</option>' in page
