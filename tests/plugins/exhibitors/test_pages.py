"""Public pages: innovation page (booth mini map, QR code), floor plan (SVG, highlight, print)."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from plugins.exhibitors import services
from tests.core.web.test_queries import counting
from tests.plugins.exhibitors.conftest import SLUG, World, add_innovation

FLOOR = (60, 40)


def hall(app: Flask, db: Session, world: World, count: int = 4) -> None:
    """``count`` booths A01.. in a row, assigned automatically."""
    with app.test_request_context():
        for i in range(count):
            services.add_booth(
                db,
                world.event,
                services.BoothSpec(f"A{i + 1:02d}", "A", i * 4, 0, 3, 3),
                floor=FLOOR,
            )
        services.auto_assign(db, world.event)
    db.commit()


def booth_of(db: Session, world: World, agency: str) -> str:
    """The booth code of ``agency``."""
    exhibitor = next(
        e for e in services.list_exhibitors(db, world.event) if e.organization.name == agency
    )
    assert exhibitor.booth is not None
    return exhibitor.booth.code


def test_innovation_page_shows_agency_booth_map_and_qr(
    app: Flask, client: FlaskClient, db: Session, world: World
) -> None:
    hall(app, db, world)
    client.post("/lang/en")
    innovation = world.innovations["Samsat Keliling Digital"]
    code = booth_of(db, world, "Bapenda Jawa Timur")
    response = client.get(f"/{SLUG}/exhibitors/innovations/{innovation.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Bapenda Jawa Timur" in page and f"Booth {code}" in page
    highlighted = re.findall(r'<a id="booth-([^"]+)" class="booth highlighted"', page)
    assert highlighted == [code]
    assert "QR code for the booth" in page and "<svg" in page
    assert f"http://gelar.test/{SLUG}/exhibitors/innovations/{innovation.id}" in page
    qr = client.get(f"/{SLUG}/exhibitors/innovations/{innovation.id}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"


def test_innovation_page_without_booth_and_unknown_ones(
    client: FlaskClient, db: Session, world: World
) -> None:
    client.post("/lang/en")
    innovation = world.innovations["Air Bersih Desa"]
    page = client.get(f"/{SLUG}/exhibitors/innovations/{innovation.id}").get_data(as_text=True)
    assert "No booth assigned yet." in page
    draft = add_innovation(db, world.event, "Belum", "Dinas X", status="submitted")
    assert client.get(f"/{SLUG}/exhibitors/innovations/{draft.id}").status_code == 404
    assert client.get(f"/{SLUG}/exhibitors/innovations/999999").status_code == 404
    assert client.get(f"/{SLUG}/exhibitors/innovations/{innovation.id}/document").status_code == 404


def test_floor_plan_is_accessible_svg_with_highlight(
    app: Flask, client: FlaskClient, db: Session, world: World
) -> None:
    hall(app, db, world, 6)
    client.post("/lang/en")
    page = client.get(f"/{SLUG}/exhibitors/floor-plan").get_data(as_text=True)
    booths = re.findall(r'<a id="booth-([^"]+)" class="booth[^"]*" href="[^"]+"', page)
    assert sorted(booths) == [f"A{i:02d}" for i in range(1, 7)]
    assert page.count("<text ") == 6 and 'role="group"' in page
    assert "@page{size:A3 landscape" in page
    code = booth_of(db, world, "Bapenda Jawa Timur")
    page = client.get(f"/{SLUG}/exhibitors/floor-plan?highlight=SAMSAT").get_data(as_text=True)
    assert re.findall(r'<a id="booth-([^"]+)" class="booth highlighted"', page) == [code]
    assert f"Found at booth: {code}" in page
    page = client.get(f"/{SLUG}/exhibitors/floor-plan?highlight=tidak+ada&paper=a4").get_data(
        as_text=True
    )
    assert 'class="booth highlighted"' not in page and "@page{size:A4 landscape" in page
    svg = client.get(f"/{SLUG}/exhibitors/floor-plan.svg")
    assert svg.mimetype == "image/svg+xml"
    assert svg.get_data(as_text=True).startswith("<?xml")


def test_floor_plan_escapes_agency_names(
    app: Flask, client: FlaskClient, db: Session, world: World
) -> None:
    add_innovation(db, world.event, "Inovasi", "Dinas <script>x</script>")
    hall(app, db, world, 5)
    page = client.get(f"/{SLUG}/exhibitors/floor-plan").get_data(as_text=True)
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page


def test_floor_plan_queries_do_not_grow_with_booths(
    app: Flask, client: FlaskClient, db: Session, world: World
) -> None:
    hall(app, db, world, 4)
    client.get(f"/{SLUG}/exhibitors/floor-plan")
    with counting(app) as few:
        client.get(f"/{SLUG}/exhibitors/floor-plan?highlight=samsat")
    with app.test_request_context():
        for i in range(40):
            services.add_booth(
                db,
                world.event,
                services.BoothSpec(f"B{i:02d}", "B", (i % 10) * 4, 8 + (i // 10) * 4, 3, 3),
                floor=FLOOR,
            )
    db.commit()
    with counting(app) as many:
        client.get(f"/{SLUG}/exhibitors/floor-plan?highlight=samsat")
    assert len(many) == len(few)


def test_agency_page(app: Flask, client: FlaskClient, db: Session, world: World) -> None:
    hall(app, db, world)
    bapenda = world.organizations["Bapenda Jawa Timur"].id
    page = client.get(f"/{SLUG}/exhibitors/agencies/{bapenda}").get_data(as_text=True)
    assert "Samsat Keliling Digital" in page and "Draft Rahasia" not in page
    assert client.get(f"/{SLUG}/exhibitors/agencies/999999").status_code == 404


def test_pages_are_404_when_plugin_is_off(client: FlaskClient, make: Any, world: World) -> None:
    make.event("tanpa-2026", plugins=["voting"])
    innovation = world.innovations["Samsat Keliling Digital"]
    for path in ("floor-plan", "floor-plan.svg", f"innovations/{innovation.id}", "my", "manage/"):
        assert client.get(f"/tanpa-2026/exhibitors/{path}").status_code == 404, path


def test_private_catalogue_hides_floor_plan_and_innovations(
    client: FlaskClient, db: Session, world: World
) -> None:
    row = next(p for p in world.event.plugins if p.name == "exhibitors")
    row.settings = {**row.settings, "catalogue_public": False}
    db.commit()
    innovation = world.innovations["Samsat Keliling Digital"]
    assert client.get(f"/{SLUG}/exhibitors/floor-plan").status_code == 404
    assert client.get(f"/{SLUG}/exhibitors/innovations/{innovation.id}").status_code == 404


def test_innovation_document_is_served(
    app: Flask, client: FlaskClient, db: Session, world: World
) -> None:
    from pathlib import Path

    from core.models import Upload

    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "proposal.pdf").write_bytes(b"%PDF-1.4 test")
    upload = Upload(
        filename="proposal.pdf",
        content_type="application/pdf",
        size=13,
        sha256="0" * 64,
        storage_path=str(folder / "proposal.pdf"),
    )
    outside = Upload(
        filename="passwd",
        content_type="text/plain",
        size=1,
        sha256="0" * 64,
        storage_path="/etc/passwd",
    )
    db.add_all([upload, outside])
    db.flush()
    innovation = world.innovations["Samsat Keliling Digital"]
    other = world.innovations["Air Bersih Desa"]
    db.get(type(innovation), innovation.id).document_upload_id = upload.id
    db.get(type(other), other.id).document_upload_id = outside.id
    db.commit()
    client.post("/lang/en")
    page = client.get(f"/{SLUG}/exhibitors/innovations/{innovation.id}").get_data(as_text=True)
    assert "proposal.pdf" in page
    response = client.get(f"/{SLUG}/exhibitors/innovations/{innovation.id}/document")
    assert response.status_code == 200 and response.data == b"%PDF-1.4 test"
    assert "attachment" in response.headers["Content-Disposition"]
    # A stored path outside the upload folder is never served.
    assert client.get(f"/{SLUG}/exhibitors/innovations/{other.id}/document").status_code == 404


def test_catalogue_filters_are_folded_until_used(client: FlaskClient, world: World) -> None:
    page = client.get(f"/{SLUG}/exhibitors/").get_data(as_text=True)
    folded = re.search(r'<details class="catalogue-filters wide"\s*>', page)
    assert folded is not None  # closed: the first phone screen shows the search and results
    assert page.index('id="q"') < page.index("<details") < page.index('id="category"')
    assert 'id="region"' in page and 'id="organization"' in page  # all filters still there
    filtered = client.get(f"/{SLUG}/exhibitors/?region=Surabaya").get_data(as_text=True)
    assert re.search(r'<details class="catalogue-filters wide"\s+open>', filtered)
    assert 'data-active-filters="1"' in filtered
