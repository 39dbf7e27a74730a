"""The voting plugin's skeleton: judging page, nav item, panels and settings, on vs off."""

from __future__ import annotations

from typing import Any, ClassVar

from flask.testing import FlaskClient

from core.services import roles
from tests.core.plugins.helpers import ORGANIZER, stat
from tests.core.plugins.skeleton import ON, PluginSkeletonContract

VALID_FORM = {
    "scoring_open": "y",
    "method": "raw",
    "public_voting_opens_at": "2026-12-10T09:00",
    "public_voting_closes_at": "2026-12-11T15:00",
    "public_weight": "0.25",
}


class TestVotingSkeleton(PluginSkeletonContract):
    name = "voting"
    page_texts: ClassVar[list[str]] = [
        "How innovations are judged",
        "Fast",
        "Transparent",
        "No public vote is scheduled.",
    ]
    defaults: ClassVar[dict[str, Any]] = {
        "scoring_open": False,
        "results_published": False,
        "method": "normalized",
        "public_voting_opens_at": None,
        "public_voting_closes_at": None,
        "public_weight": 0.0,
    }
    valid_put: ClassVar[dict[str, Any]] = {
        "scoring_open": True,
        "method": "raw",
        "public_weight": 0.25,
        "public_voting_opens_at": "2026-12-10T09:00:00+07:00",
    }
    valid_read_back: ClassVar[dict[str, Any]] = valid_put
    invalid_puts: ClassVar[list[tuple[dict[str, Any], str]]] = [
        ({"method": "median"}, "method"),
        ({"public_weight": 1.5}, "public_weight"),
        ({"public_weight": -0.1}, "public_weight"),
        ({"scoring_open": "sometimes"}, "scoring_open"),
        (
            {
                "public_voting_opens_at": "2026-12-10T10:00:00+07:00",
                "public_voting_closes_at": "2026-12-10T09:00:00+07:00",
            },
            "public_voting_closes_at",
        ),
        ({"public_voting_closes_at": "2026-12-10 evening"}, "public_voting_closes_at"),
    ]
    form_valid: ClassVar[dict[str, Any]] = VALID_FORM
    form_saved: ClassVar[dict[str, Any]] = {
        "scoring_open": True,
        "results_published": False,
        "method": "raw",
        "public_voting_opens_at": "2026-12-10T09:00:00+07:00",
        "public_voting_closes_at": "2026-12-11T15:00:00+07:00",
        "public_weight": 0.25,
    }
    form_invalid: ClassVar[list[tuple[dict[str, Any], str]]] = [
        ({**VALID_FORM, "method": "median"}, "method"),
        ({**VALID_FORM, "public_weight": "2"}, "public_weight"),
        ({**VALID_FORM, "public_voting_closes_at": "2026-12-10T08:00"}, "public_voting_closes_at"),
    ]

    def test_dashboard_shows_judges_and_scoring_state(
        self, organizer: FlaskClient, db: Any, events: Any, api_token: Any
    ) -> None:
        page = organizer.get(f"/{ON}/manage/").get_data(as_text=True)
        assert stat(page, "voting", "judges") == "0"
        assert 'data-stat="scoring" data-state="closed"' in page
        event = db.merge(events[ON])
        roles.appoint(db, event, email="judge1@example.id", role="judge", name="Judge One")
        roles.appoint(db, event, email="judge2@example.id", role="judge", name="Judge Two")
        db.commit()
        organizer.put(
            f"/api/v1/events/{ON}/plugins/voting/settings",
            json={"scoring_open": True},
            headers=api_token(ORGANIZER),
        )
        page = organizer.get(f"/{ON}/manage/").get_data(as_text=True)
        assert stat(page, "voting", "judges") == "2"
        assert 'data-stat="scoring" data-state="open"' in page
        assert 'data-stat="results" data-state="hidden"' in page

    def test_page_shows_the_public_vote_and_its_weight(
        self, visitor: FlaskClient, api_token: Any
    ) -> None:
        visitor.put(
            f"/api/v1/events/{ON}/plugins/voting/settings",
            json={
                "public_voting_opens_at": "2001-01-01T00:00:00Z",
                "public_voting_closes_at": "2001-01-02T00:00:00Z",
                "public_weight": 0.3,
            },
            headers=api_token(ORGANIZER),
        )
        page = visitor.get(f"/{ON}/voting/").get_data(as_text=True)
        assert "The public vote closed" in page
        assert "It counts for 30% of the final score." in page
