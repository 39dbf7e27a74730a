"""Constants and body builders shared by the symposium tests."""

from __future__ import annotations

from typing import Any

SLUG = "sym-2026"
ORGANIZER = "organizer@example.id"
API = f"/api/v1/events/{SLUG}"
# The event runs Thu 10 and Fri 11 December 2026, 08:00-17:00 Asia/Jakarta (UTC+7).
DAY1 = "2026-12-10"
DAY2 = "2026-12-11"


def at(day: str, hhmm: str) -> str:
    """An ISO start with the Jakarta offset."""
    return f"{day}T{hhmm}:00+07:00"


def session_body(title: str = "Opening keynote", **extra: Any) -> dict[str, Any]:
    """A valid session body."""
    body: dict[str, Any] = {
        "title": title,
        "kind": "talk",
        "abstract": "About public-service innovation.",
        "duration_minutes": 60,
        "speakers": [{"name": "Ani", "email": "ani@example.id", "affiliation": "Kominfo"}],
    }
    body.update(extra)
    return body
