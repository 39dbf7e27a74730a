"""The exhibitors plugin's skeleton: catalogue page, nav item, panels and settings, on vs off."""

from __future__ import annotations

from typing import Any, ClassVar

from flask.testing import FlaskClient

from core.models import Innovation, Organization
from tests.core.plugins.helpers import ORGANIZER, stat
from tests.core.plugins.skeleton import ON, PluginSkeletonContract

VALID_FORM = {"floor_width": "80", "floor_depth": "50", "catalogue_public": "y"}


def _innovations(db: Any, event: Any, rows: list[tuple[str, str, str]]) -> None:
    """Add (title, category, status) innovations, each from its own agency."""
    for index, (title, category, status) in enumerate(rows):
        organization = Organization(name=f"Pemerintah Kabupaten {index} ({event.slug})")
        db.add(organization)
        db.flush()
        db.add(
            Innovation(
                event_id=event.id,
                organization_id=organization.id,
                title=title,
                category=category,
                status=status,
            )
        )
    db.commit()


class TestExhibitorsSkeleton(PluginSkeletonContract):
    name = "exhibitors"
    page_texts: ClassVar[list[str]] = [
        "Innovation catalogue",
        "Search innovations or agencies",
        "No innovation matches your search.",
    ]
    defaults: ClassVar[dict[str, Any]] = {
        "floor_width": 60,
        "floor_depth": 40,
        "catalogue_public": True,
    }
    valid_put: ClassVar[dict[str, Any]] = {"floor_width": 80, "catalogue_public": False}
    valid_read_back: ClassVar[dict[str, Any]] = {"floor_width": 80, "catalogue_public": False}
    invalid_puts: ClassVar[list[tuple[dict[str, Any], str]]] = [
        ({"floor_width": 2}, "floor_width"),
        ({"floor_depth": 5000}, "floor_depth"),
        ({"floor_depth": "deep"}, "floor_depth"),
        ({"catalogue_public": "perhaps"}, "catalogue_public"),
    ]
    form_valid: ClassVar[dict[str, Any]] = VALID_FORM
    form_saved: ClassVar[dict[str, Any]] = {
        "floor_width": 80,
        "floor_depth": 50,
        "catalogue_public": True,
    }
    form_invalid: ClassVar[list[tuple[dict[str, Any], str]]] = [
        ({**VALID_FORM, "floor_width": "3"}, "floor_width"),
        ({**VALID_FORM, "floor_depth": "abc"}, "floor_depth"),
        ({**VALID_FORM, "floor_depth": ""}, "floor_depth"),
    ]

    def test_catalogue_lists_only_accepted_innovations(
        self, visitor: FlaskClient, db: Any, events: Any
    ) -> None:
        _innovations(
            db,
            db.merge(events[ON]),
            [
                ("Samsat Keliling Digital", "Administrasi & Perizinan", "accepted"),
                ("Puskesmas Tanpa Antre", "Kesehatan", "accepted"),
                ("Draft Inovasi Rahasia", "Kesehatan", "submitted"),
            ],
        )
        page = visitor.get(f"/{ON}/exhibitors/").get_data(as_text=True)
        assert "Samsat Keliling Digital" in page and "Puskesmas Tanpa Antre" in page
        assert "Draft Inovasi Rahasia" not in page
        assert "2 innovations" in page
        page = visitor.get(f"/{ON}/exhibitors/?category=Kesehatan").get_data(as_text=True)
        assert "Puskesmas Tanpa Antre" in page and "Samsat Keliling Digital" not in page

    def test_dashboard_counts_the_catalogue(
        self, organizer: FlaskClient, db: Any, events: Any
    ) -> None:
        _innovations(
            db,
            db.merge(events[ON]),
            [
                ("A", "Kesehatan", "accepted"),
                ("B", "Pendidikan", "accepted"),
                ("C", "Kesehatan", "submitted"),
                ("D", "Kesehatan", "rejected"),
            ],
        )
        page = organizer.get(f"/{ON}/manage/").get_data(as_text=True)
        assert stat(page, "exhibitors", "accepted") == "2"
        assert stat(page, "exhibitors", "organizations") == "3"
        assert stat(page, "exhibitors", "categories") == "2"

    def test_private_catalogue_is_for_organizers_only(
        self, client: FlaskClient, api_token: Any, auth: Any, events: Any
    ) -> None:
        response = client.put(
            f"/api/v1/events/{ON}/plugins/exhibitors/settings",
            json={"catalogue_public": False},
            headers=api_token(ORGANIZER),
        )
        assert response.status_code == 200
        assert client.get(f"/{ON}/exhibitors/").status_code == 404
        auth.login(ORGANIZER)
        assert client.get(f"/{ON}/exhibitors/").status_code == 200
