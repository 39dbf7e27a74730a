"""Exhibitor profiles (members and organizers only, 403 otherwise), logos, "my booth", cloning."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import Upload
from core.services import cloning
from core.services.errors import Forbidden, ValidationFailed
from plugins.exhibitors import profiles, services
from plugins.exhibitors.models import Booth, ExhibitorProfile, Zone
from tests.plugins.exhibitors.conftest import SLUG, World


def png_bytes(width: int = 40, height: int = 20) -> bytes:
    """A real PNG image of the given size."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (11, 93, 75)).save(out, format="PNG")
    return out.getvalue()


PNG = png_bytes()


def profile_url(world: World, agency: str) -> str:
    """The profile editor of ``agency``."""
    return f"/{SLUG}/exhibitors/agencies/{world.organizations[agency].id}/edit"


def profile_count(db: Session) -> int:
    """Stored profiles."""
    db.expire_all()
    found = db.scalar(select(func.count()).select_from(ExhibitorProfile)) or 0
    db.rollback()
    return found


def test_service_permission_and_validation(app: Flask, db: Session, world: World) -> None:
    bapenda = world.organizations["Bapenda Jawa Timur"].id
    unair = world.organizations["Universitas Airlangga"].id
    with app.test_request_context():
        profiles.check_can_edit(db, world.exhibitor, bapenda, is_organizer=False)
        profiles.check_can_edit(db, world.organizer, unair, is_organizer=True)
        with pytest.raises(Forbidden):
            profiles.check_can_edit(db, world.exhibitor, unair, is_organizer=False)
        with pytest.raises(Forbidden):
            profiles.check_can_edit(db, None, unair, is_organizer=False)
        bad = profiles.ProfileData(website="javascript:alert(1)", social_links={"x": "ftp://a"})
        with pytest.raises(ValidationFailed) as refused:
            profiles.save_profile(db, world.event, bapenda, bad)
        assert set(refused.value.fields) == {"website", "x"}
    assert profile_count(db) == 0


def test_member_edits_own_profile(exhibitor_client: FlaskClient, db: Session, world: World) -> None:
    url = profile_url(world, "Bapenda Jawa Timur")
    bapenda = world.organizations["Bapenda Jawa Timur"].id
    assert exhibitor_client.get(url).status_code == 200
    response = exhibitor_client.post(
        url,
        data={
            "description": "Kami <b>melayani</b>",
            "website": "https://bapenda.jatimprov.go.id",
            "instagram": "https://instagram.com/bapendajatim",
            "staff_on_duty": "Budi\n\nSiti\n",
        },
    )
    assert response.status_code == 302
    db.expire_all()
    profile = db.scalar(select(ExhibitorProfile))
    assert profile is not None and profile.staff_on_duty == ["Budi", "Siti"]
    assert profile.social_links == {"instagram": "https://instagram.com/bapendajatim"}
    db.rollback()
    page = exhibitor_client.get(f"/{SLUG}/exhibitors/agencies/{bapenda}").get_data(as_text=True)
    assert "Kami &lt;b&gt;melayani&lt;/b&gt;" in page and "Budi" in page


def test_other_agency_profile_is_403(
    exhibitor_client: FlaskClient, db: Session, world: World
) -> None:
    url = profile_url(world, "Universitas Airlangga")
    assert exhibitor_client.get(url).status_code == 403
    assert exhibitor_client.post(url, data={"description": "hijacked"}).status_code == 403
    assert profile_count(db) == 0


def test_anonymous_is_sent_to_sign_in(client: FlaskClient, world: World) -> None:
    response = client.get(profile_url(world, "Bapenda Jawa Timur"))
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_organizer_edits_any_profile(
    organizer_client: FlaskClient, db: Session, world: World
) -> None:
    url = profile_url(world, "Universitas Airlangga")
    assert organizer_client.post(url, data={"description": "Kampus"}).status_code == 302
    bad = organizer_client.post(url, data={"website": "not a url"})
    assert bad.status_code == 422
    db.expire_all()
    profile = db.scalar(select(ExhibitorProfile))
    assert profile is not None and profile.description == "Kampus"
    db.rollback()


def test_logo_checked_by_content(exhibitor_client: FlaskClient, db: Session, world: World) -> None:
    url = profile_url(world, "Bapenda Jawa Timur")
    bapenda = world.organizations["Bapenda Jawa Timur"].id
    fake = {"logo": (io.BytesIO(b"<svg onload=alert(1)>"), "logo.png")}
    assert (
        exhibitor_client.post(url, data=fake, content_type="multipart/form-data").status_code == 422
    )
    assert profile_count(db) == 0
    good = {"logo": (io.BytesIO(PNG), "logo.png"), "description": "Logo baru"}
    assert (
        exhibitor_client.post(url, data=good, content_type="multipart/form-data").status_code == 302
    )
    bapenda = world.organizations["Bapenda Jawa Timur"].id
    logo = exhibitor_client.get(f"/{SLUG}/exhibitors/logos/{bapenda}")
    assert logo.status_code == 200 and logo.mimetype == "image/png"
    assert Image.open(io.BytesIO(logo.data)).size == (40, 20)
    assert exhibitor_client.get(f"/{SLUG}/exhibitors/logos/999999").status_code == 404
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Upload)) == 1
    db.rollback()


def test_my_booth_portal(
    app: Flask, exhibitor_client: FlaskClient, db: Session, world: World
) -> None:
    page = exhibitor_client.get(f"/{SLUG}/exhibitors/my").get_data(as_text=True)
    assert "Bapenda Jawa Timur" in page and "No booth assigned yet." in page
    assert "Samsat Keliling Digital" in page and "Draft Rahasia" not in page
    assert "Universitas Airlangga" not in page
    with app.test_request_context():
        services.add_booth(
            db, world.event, services.BoothSpec("A01", "A", 0, 0, 3, 3), floor=(60, 40)
        )
        services.assign_booth(db, world.event, "A01", world.organizations["Bapenda Jawa Timur"].id)
    db.commit()
    page = exhibitor_client.get(f"/{SLUG}/exhibitors/my").get_data(as_text=True)
    assert "Booth A01" in page and 'class="booth highlighted"' in page


def test_my_booth_needs_sign_in(client: FlaskClient, world: World) -> None:
    assert client.get(f"/{SLUG}/exhibitors/my").status_code == 302


def test_clone_copies_layout_without_holders(
    app: Flask, db: Session, world: World, registry: Any
) -> None:
    with app.test_request_context():
        services.save_zone(db, world.event, "G", preferred_kind="government")
        services.add_booth(
            db, world.event, services.BoothSpec("G01", "G", 0, 0, 3, 3), floor=(60, 40)
        )
        services.assign_booth(db, world.event, "G01", world.organizations["Bapenda Jawa Timur"].id)
        db.commit()
        from datetime import date

        clone = cloning.clone_event(
            db,
            registry,
            world.event,
            slug="expo-2027",
            name="Expo 2027",
            year=2027,
            starts_on=date(2027, 12, 10),
            ends_on=date(2027, 12, 11),
        )
        db.commit()
    booths = db.scalars(select(Booth).where(Booth.event_id == clone.id)).all()
    assert [(b.code, b.organization_id) for b in booths] == [("G01", None)]
    assert db.scalar(select(Zone.preferred_kind).where(Zone.event_id == clone.id)) == "government"


def test_large_logo_is_scaled_and_broken_images_refused(
    exhibitor_client: FlaskClient, db: Session, world: World
) -> None:
    url = profile_url(world, "Bapenda Jawa Timur")
    bapenda = world.organizations["Bapenda Jawa Timur"].id
    broken = {"logo": (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), "logo.png")}
    response = exhibitor_client.post(url, data=broken, content_type="multipart/form-data")
    assert response.status_code == 422  # right magic bytes, but not an image
    big = {"logo": (io.BytesIO(png_bytes(2000, 1000)), "big.png")}
    response = exhibitor_client.post(url, data=big, content_type="multipart/form-data")
    assert response.status_code == 302
    logo = exhibitor_client.get(f"/{SLUG}/exhibitors/logos/{bapenda}")
    assert Image.open(io.BytesIO(logo.data)).size == (512, 256)
    db.rollback()


def test_a_replaced_logo_is_deleted_after_the_commit(
    app: Any, exhibitor_client: FlaskClient, db: Session, world: World
) -> None:
    url = profile_url(world, "Bapenda Jawa Timur")
    bapenda = world.organizations["Bapenda Jawa Timur"].id
    folder = Path(app.config["UPLOAD_FOLDER"]) / "exhibitors"

    def stored() -> list[Path]:
        return sorted(folder.iterdir()) if folder.exists() else []

    first = {"logo": (io.BytesIO(png_bytes(30, 30)), "a.png")}
    response = exhibitor_client.post(url, data=first, content_type="multipart/form-data")
    assert response.status_code == 302
    before = stored()
    assert len(before) == 1 and re.fullmatch(r"[0-9a-f]{32}\.png", before[0].name)
    second = {"logo": (io.BytesIO(png_bytes(50, 50)), "b.png")}
    response = exhibitor_client.post(url, data=second, content_type="multipart/form-data")
    assert response.status_code == 302
    after = stored()
    assert len(after) == 1 and after != before
    logo = exhibitor_client.get(f"/{SLUG}/exhibitors/logos/{bapenda}")
    assert Image.open(io.BytesIO(logo.data)).size == (50, 50)
    assert logo.headers["X-Content-Type-Options"] == "nosniff"
    assert logo.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Upload)) == 1
    db.rollback()
