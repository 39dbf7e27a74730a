"""Organizer console: zones, booths (form and CSV), manual assign, swap, exports, imports."""

from __future__ import annotations

import io
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import Innovation, Organization
from plugins.exhibitors import services
from plugins.exhibitors.models import Booth, Zone
from tests.plugins.exhibitors.conftest import SLUG, World

MANAGE = f"/{SLUG}/exhibitors/manage"


def booth_form(code: str, x: int, y: int = 0) -> dict[str, Any]:
    """Form data of the add-booth form."""
    return {
        "booth-code": code,
        "booth-zone": "A",
        "booth-x": x,
        "booth-y": y,
        "booth-width": 3,
        "booth-height": 3,
    }


def csv_upload(text: str, field: str = "csv-file") -> dict[str, Any]:
    """Multipart data carrying ``text`` as a CSV file."""
    return {field: (io.BytesIO(text.encode()), "data.csv")}


def codes(db: Session) -> list[str]:
    """Stored booth codes."""
    db.expire_all()
    found = sorted(db.scalars(select(Booth.code)))
    db.rollback()  # release SQLite's write lock for the app's next request
    return found


def holders(db: Session) -> dict[str, int | None]:
    """Booth code → organization id."""
    db.expire_all()
    found = {b.code: b.organization_id for b in db.scalars(select(Booth))}
    db.rollback()
    return found


def test_console_needs_an_organizer(client: FlaskClient, auth: Any, world: World) -> None:
    assert client.get(f"{MANAGE}/").status_code == 302
    auth.login("staf@example.id")
    assert client.get(f"{MANAGE}/").status_code == 403
    assert client.post(f"{MANAGE}/booths", data=booth_form("A01", 0)).status_code == 403


def test_dashboard_links_the_console(organizer_client: FlaskClient) -> None:
    page = organizer_client.get(f"/{SLUG}/manage/").get_data(as_text=True)
    assert f"{MANAGE}/" in page


def test_add_booth_by_form_and_refusals(organizer_client: FlaskClient, db: Session) -> None:
    assert organizer_client.post(f"{MANAGE}/booths", data=booth_form("A01", 0)).status_code == 302
    overlap = organizer_client.post(f"{MANAGE}/booths", data=booth_form("A02", 1))
    assert overlap.status_code == 409
    assert "overlaps booth A01" in overlap.get_data(as_text=True)
    duplicate = organizer_client.post(f"{MANAGE}/booths", data=booth_form("A01", 10))
    assert duplicate.status_code == 409
    invalid = organizer_client.post(
        f"{MANAGE}/booths", data={**booth_form("A03", 10), "booth-width": "wide"}
    )
    assert invalid.status_code == 422
    assert codes(db) == ["A01"]


def test_zone_form(organizer_client: FlaskClient, db: Session) -> None:
    response = organizer_client.post(
        f"{MANAGE}/zones", data={"zone-name": "G", "zone-preferred_kind": "government"}
    )
    assert response.status_code == 302
    zone = db.scalar(select(Zone))
    assert zone is not None and zone.preferred_kind == "government"
    db.rollback()
    assert organizer_client.post(f"{MANAGE}/zones", data={"zone-name": ""}).status_code == 422


def test_csv_import_is_all_or_nothing(organizer_client: FlaskClient, db: Session) -> None:
    good = "code,zone,x,y,width,height\nA01,A,0,0,3,3\nA02,A,4,0,3,3\n"
    response = organizer_client.post(f"{MANAGE}/booths/import", data=csv_upload(good))
    assert response.status_code == 302
    assert codes(db) == ["A01", "A02"]
    overlapping = "code;zone;x;y;width;height\nB01;B;20;0;3;3\nB02;B;1;1;3;3\n"
    response = organizer_client.post(f"{MANAGE}/booths/import", data=csv_upload(overlapping))
    assert response.status_code == 409
    assert "Row 2" in response.get_data(as_text=True)
    for bad in ("code,zone\nA9,A\n", "code,zone,x,y,width,height\nA9,A,left,0,3,3\n"):
        assert (
            organizer_client.post(f"{MANAGE}/booths/import", data=csv_upload(bad)).status_code
            == 422
        )
    binary = {"csv-file": (io.BytesIO(b"\xff\xfe\x00bad"), "x.csv")}
    assert organizer_client.post(f"{MANAGE}/booths/import", data=binary).status_code == 422
    assert codes(db) == ["A01", "A02"]


def _two_booths(app: Flask, db: Session, world: World) -> None:
    with app.test_request_context():
        for i in range(2):
            services.add_booth(
                db,
                world.event,
                services.BoothSpec(f"A0{i + 1}", "A", i * 4, 0, 3, 3),
                floor=(60, 40),
            )
    db.commit()


def test_manual_assign_swap_free_and_auto(
    app: Flask, organizer_client: FlaskClient, db: Session, world: World
) -> None:
    _two_booths(app, db, world)
    bapenda = world.organizations["Bapenda Jawa Timur"].id
    unair = world.organizations["Universitas Airlangga"].id
    assign = organizer_client.post(
        f"{MANAGE}/booths/assign", data={"assign-booth": "A01", "assign-organization": bapenda}
    )
    assert assign.status_code == 302
    organizer_client.post(
        f"{MANAGE}/booths/assign", data={"assign-booth": "A02", "assign-organization": unair}
    )
    taken = organizer_client.post(
        f"{MANAGE}/booths/assign", data={"assign-booth": "A01", "assign-organization": unair}
    )
    assert taken.status_code == 409
    assert (
        organizer_client.post(
            f"{MANAGE}/booths/swap", data={"swap-first": "A01", "swap-second": "A02"}
        ).status_code
        == 302
    )
    assert holders(db) == {"A01": unair, "A02": bapenda}
    assert organizer_client.post(f"{MANAGE}/booths/A02/free").status_code == 302
    refused = organizer_client.post(f"{MANAGE}/booths/auto", data={"group_by_zone": "y"})
    assert refused.status_code == 409
    assert "Without a booth" in refused.get_data(as_text=True)
    assert holders(db) == {"A01": unair, "A02": None}
    assert organizer_client.post(f"{MANAGE}/booths/A02/delete").status_code == 302
    assert organizer_client.post(f"{MANAGE}/booths/Z9/delete").status_code == 404
    assert codes(db) == ["A01"]


def test_exports(app: Flask, organizer_client: FlaskClient, db: Session, world: World) -> None:
    _two_booths(app, db, world)
    with app.test_request_context():
        services.assign_booth(db, world.event, "A01", world.organizations["Bapenda Jawa Timur"].id)
    db.commit()
    csv_text = organizer_client.get(f"{MANAGE}/exhibitors.csv").get_data(as_text=True)
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("booth,zone,agency")
    assert "A01,A,Bapenda Jawa Timur" in csv_text and len(lines) == 5
    xlsx = organizer_client.get(f"{MANAGE}/exhibitors.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "booth" and len(rows) == 5
    assert organizer_client.get(f"{MANAGE}/exhibitors.pdf").status_code == 404


def test_export_neutralises_formulas(
    organizer_client: FlaskClient, db: Session, world: World
) -> None:
    world.organizations["PDAM Delta Tirta"].name = '=HYPERLINK("http://x")'
    db.commit()
    csv_text = organizer_client.get(f"{MANAGE}/exhibitors.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv_text


def test_innovation_import(organizer_client: FlaskClient, db: Session, world: World) -> None:
    url = f"/{SLUG}/exhibitors/manage/innovations/import"
    assert organizer_client.get(url).status_code == 200
    text = (
        "title,agency,region,kind,category,summary,cettar\n"
        "Si Cantik,Diskominfo Kediri,Kediri,government,Digital,Layanan,cepat;efektif\n"
        "Samsat Malam,Bapenda Jawa Timur,Surabaya,government,Pajak,,\n"
    )
    response = organizer_client.post(url, data=csv_upload(text, "file"))
    assert response.status_code == 302
    db.expire_all()
    imported = db.scalar(select(Innovation).where(Innovation.title == "Si Cantik"))
    assert (
        imported is not None
        and imported.status == "accepted"
        and imported.cettar == ["cepat", "efektif"]
    )
    bapenda = db.scalar(
        select(func.count())
        .select_from(Organization)
        .where(Organization.name == "Bapenda Jawa Timur")
    )
    assert bapenda == 1  # matched, not duplicated
    db.rollback()
    page = organizer_client.get(f"/{SLUG}/exhibitors/?q=cantik").get_data(as_text=True)
    assert "Si Cantik" in page
    before = db.scalar(select(func.count()).select_from(Innovation))
    db.rollback()
    bad = "title,agency,cettar\nBaik,Dinas A,cepat\n,Dinas B,\nBuruk,Dinas C,lambat\n"
    response = organizer_client.post(url, data=csv_upload(bad, "file"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Row 2" in page and "Row 3" in page
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Innovation)) == before
