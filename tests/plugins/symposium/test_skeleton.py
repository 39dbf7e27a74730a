"""The symposium plugin's skeleton: programme page, nav item, panels and settings, on vs off."""

from __future__ import annotations

from typing import Any, ClassVar

from flask.testing import FlaskClient

from tests.core.plugins.helpers import stat
from tests.core.plugins.skeleton import ON, PluginSkeletonContract

VALID_FORM = {"day_starts": "09:00", "day_ends": "16:30", "buffer_minutes": "15"}


class TestSymposiumSkeleton(PluginSkeletonContract):
    name = "symposium"
    page_texts: ClassVar[list[str]] = [
        "Symposium",
        "Programme days",
        "08:00\u201317:00",
        "Thu 10 December 2026",
        "Fri 11 December 2026",
    ]
    defaults: ClassVar[dict[str, Any]] = {
        "day_starts": "08:00",
        "day_ends": "17:00",
        "buffer_minutes": 10,
    }
    valid_put: ClassVar[dict[str, Any]] = {"day_starts": "09:00", "buffer_minutes": 15}
    valid_read_back: ClassVar[dict[str, Any]] = {"day_starts": "09:00", "buffer_minutes": 15}
    invalid_puts: ClassVar[list[tuple[dict[str, Any], str]]] = [
        ({"day_starts": "25:00"}, "day_starts"),
        ({"day_starts": "9:00"}, "day_starts"),
        ({"day_starts": "18:00"}, "day_ends"),
        ({"day_ends": "07:00"}, "day_ends"),
        ({"buffer_minutes": -1}, "buffer_minutes"),
        ({"buffer_minutes": 241}, "buffer_minutes"),
    ]
    form_valid: ClassVar[dict[str, Any]] = VALID_FORM
    form_saved: ClassVar[dict[str, Any]] = {
        "day_starts": "09:00",
        "day_ends": "16:30",
        "buffer_minutes": 15,
    }
    form_invalid: ClassVar[list[tuple[dict[str, Any], str]]] = [
        ({**VALID_FORM, "day_starts": "9am"}, "day_starts"),
        ({**VALID_FORM, "buffer_minutes": "500"}, "buffer_minutes"),
        ({**VALID_FORM, "day_ends": "08:00"}, "day_ends"),
    ]

    def test_dashboard_shows_programme_days_and_hours(self, organizer: FlaskClient) -> None:
        page = organizer.get(f"/{ON}/manage/").get_data(as_text=True)
        assert stat(page, "symposium", "days") == "2"
        assert stat(page, "symposium", "hours") == "9"
        assert stat(page, "symposium", "buffer") == "10"

    def test_page_follows_the_settings(
        self, visitor: FlaskClient, api_token: Any, events: Any
    ) -> None:
        visitor.put(
            f"/api/v1/events/{ON}/plugins/symposium/settings",
            json={"day_starts": "09:30", "day_ends": "15:00"},
            headers=api_token("organizer@example.id"),
        )
        page = visitor.get(f"/{ON}/symposium/").get_data(as_text=True)
        assert "09:30\u201315:00" in page
        assert "<strong>5.5</strong> hours of programme a day" in page
