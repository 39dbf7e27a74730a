"""The registration plugin's skeleton: page, nav item, panels and settings, on vs off."""

from __future__ import annotations

from typing import Any, ClassVar

from flask.testing import FlaskClient

from core.models import Innovation, Organization
from plugins.registration.settings import DEFAULT_CATEGORIES
from tests.core.plugins.helpers import stat
from tests.core.plugins.skeleton import ON, PluginSkeletonContract

VALID_FORM = {
    "opens_at": "2026-10-01T08:00",
    "closes_at": "2026-11-01T17:00",
    "exhibitor_quota": "90",
    "max_innovations_per_organization": "2",
    "categories": "Kesehatan\nPendidikan\n\n",
    "terms": "Bring your own banner.",
}


def _innovations(db: Any, event: Any, statuses: list[str]) -> None:
    for index, status in enumerate(statuses):
        organization = Organization(name=f"Dinas {index} ({event.slug})")
        db.add(organization)
        db.flush()
        db.add(
            Innovation(
                event_id=event.id,
                organization_id=organization.id,
                title=f"Inovasi {index}",
                category="Kesehatan",
                status=status,
            )
        )
    db.commit()


class TestRegistrationSkeleton(PluginSkeletonContract):
    name = "registration"
    page_texts: ClassVar[list[str]] = [
        "Exhibitor registration",
        "The organizers have not opened registration yet.",
        "Administrasi &amp; Perizinan",
        "innovations at most per agency",
    ]
    defaults: ClassVar[dict[str, Any]] = {
        "opens_at": None,
        "closes_at": None,
        "exhibitor_quota": None,
        "max_innovations_per_organization": 3,
        "categories": DEFAULT_CATEGORIES,
        "terms": "",
        "questions": [],
        "eligibility": {
            "min_months_in_operation": None,
            "exclude_awarded_within_years": None,
            "required_documents": [],
        },
    }
    valid_put: ClassVar[dict[str, Any]] = {
        "opens_at": "2026-10-01T08:00:00+07:00",
        "closes_at": "2026-11-01T01:00:00Z",
        "exhibitor_quota": 90,
        "categories": [" Kesehatan ", "Pendidikan"],
    }
    valid_read_back: ClassVar[dict[str, Any]] = {
        "opens_at": "2026-10-01T08:00:00+07:00",
        "closes_at": "2026-11-01T01:00:00Z",
        "exhibitor_quota": 90,
        "categories": ["Kesehatan", "Pendidikan"],
    }
    invalid_puts: ClassVar[list[tuple[dict[str, Any], str]]] = [
        (
            {"opens_at": "2026-10-01T08:00:00+07:00", "closes_at": "2026-09-01T08:00:00+07:00"},
            "closes_at",
        ),
        ({"opens_at": "2026-10-01T08:00:00"}, "opens_at"),
        ({"opens_at": "next week"}, "opens_at"),
        ({"exhibitor_quota": 0}, "exhibitor_quota"),
        ({"max_innovations_per_organization": "many"}, "max_innovations_per_organization"),
        ({"max_innovations_per_organization": None}, "max_innovations_per_organization"),
        ({"categories": []}, "categories"),
        ({"categories": ["Kesehatan", "Kesehatan"]}, "categories"),
        ({"categories": ["x" * 81]}, "categories"),
        ({"categories": "Kesehatan"}, "categories"),
    ]
    form_valid: ClassVar[dict[str, Any]] = VALID_FORM
    form_saved: ClassVar[dict[str, Any]] = {
        "opens_at": "2026-10-01T08:00:00+07:00",
        "closes_at": "2026-11-01T17:00:00+07:00",
        "exhibitor_quota": 90,
        "max_innovations_per_organization": 2,
        "categories": ["Kesehatan", "Pendidikan"],
        "terms": "Bring your own banner.",
        "questions": [],
    }
    form_invalid: ClassVar[list[tuple[dict[str, Any], str]]] = [
        ({**VALID_FORM, "closes_at": "2026-09-01T08:00"}, "closes_at"),
        ({**VALID_FORM, "opens_at": "tomorrow"}, "opens_at"),
        ({**VALID_FORM, "exhibitor_quota": "-3"}, "exhibitor_quota"),
        (
            {**VALID_FORM, "max_innovations_per_organization": "0"},
            "max_innovations_per_organization",
        ),
        ({**VALID_FORM, "categories": "  \n "}, "categories"),
        ({**VALID_FORM, "categories": "Kesehatan\nKesehatan"}, "categories"),
    ]

    def test_dashboard_counts_innovations_awaiting_review(
        self, organizer: FlaskClient, db: Any, events: Any
    ) -> None:
        _innovations(db, db.merge(events[ON]), ["submitted", "submitted", "accepted", "rejected"])
        page = organizer.get(f"/{ON}/manage/").get_data(as_text=True)
        assert stat(page, "registration", "awaiting_review") == "2"
        assert stat(page, "registration", "organizations") == "3"
        assert 'data-state="not_scheduled"' in page

    def test_dashboard_shows_the_window_state(
        self, organizer: FlaskClient, client: FlaskClient, api_token: Any, events: Any
    ) -> None:
        headers = api_token("organizer@example.id")
        url = f"/api/v1/events/{ON}/plugins/registration/settings"
        # A window long past and one far ahead: the state never depends on today's date.
        client.put(
            url,
            json={"opens_at": "2001-01-01T00:00:00Z", "closes_at": "2001-02-01T00:00:00Z"},
            headers=headers,
        )
        assert 'data-state="closed"' in organizer.get(f"/{ON}/manage/").get_data(as_text=True)
        client.put(
            url,
            json={"opens_at": "2999-01-01T00:00:00Z", "closes_at": "2999-02-01T00:00:00Z"},
            headers=headers,
        )
        assert 'data-state="upcoming"' in organizer.get(f"/{ON}/manage/").get_data(as_text=True)
        client.put(
            url,
            json={"opens_at": "2001-01-01T00:00:00Z", "closes_at": "2999-02-01T00:00:00Z"},
            headers=headers,
        )
        assert 'data-state="open"' in organizer.get(f"/{ON}/manage/").get_data(as_text=True)

    def test_page_counts_agencies_and_places_left(
        self, client: FlaskClient, db: Any, events: Any, api_token: Any
    ) -> None:
        client.put(
            f"/api/v1/events/{ON}/plugins/registration/settings",
            json={"exhibitor_quota": 10},
            headers=api_token("organizer@example.id"),
        )
        _innovations(db, db.merge(events[ON]), ["submitted", "accepted", "rejected"])
        client.post("/lang/en")
        page = client.get(f"/{ON}/registration/").get_data(as_text=True)
        assert "<strong>2</strong> agencies registered so far" in page
        # a place is taken by an approved registration, not by a registered agency
        assert "<strong>10</strong> of 10 exhibitor places left" in page
