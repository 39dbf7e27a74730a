"""An innovation's history shows the award's place when no published results rank it."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from core.models import Award, Innovation, Organization
from core.services import history


def _awarded(db: Session, make: Any, plugins: list[str], *, published: bool = True) -> Innovation:
    """A 2019 entry with the award "Juara I" (rank 1) and no ranked results."""
    event = make.event("jatim-2019", plugins=plugins)
    agency = Organization(name="Dinas Kesehatan", region="Kabupaten Banyuwangi")
    db.add(agency)
    db.flush()
    entry = Innovation(
        event_id=event.id, organization_id=agency.id, title="Puskesmas Keliling", status="accepted"
    )
    db.add(entry)
    db.flush()
    db.add_all(
        [
            Award(
                event_id=event.id,
                innovation_id=entry.id,
                title="Top 45",
                rank=None,
                published=published,
            ),
            Award(
                event_id=event.id,
                innovation_id=entry.id,
                title="Juara I",
                rank=1,
                published=published,
            ),
        ]
    )
    db.commit()
    return entry


@pytest.mark.parametrize("plugins", [["voting"], []], ids=["voting-enabled", "voting-disabled"])
def test_award_rank_fills_in_when_results_are_not_published(
    db: Session, make: Any, client: FlaskClient, registry: Any, plugins: list[str]
) -> None:
    entry = _awarded(db, make, plugins)
    view = history.history(db, registry, entry.id)
    assert [e.rank for e in view.entries] == [1]
    body = client.get(f"/api/v1/innovations/{entry.id}/history").get_json()
    assert body["items"][0]["rank"] == 1
    assert sorted(body["items"][0]["awards"]) == ["Juara I", "Top 45"]


def test_unpublished_award_gives_no_public_rank(
    db: Session, make: Any, client: FlaskClient, registry: Any
) -> None:
    entry = _awarded(db, make, ["voting"], published=False)
    assert [e.rank for e in history.history(db, registry, entry.id).entries] == [None]
    assert [e.rank for e in history.history(db, registry, entry.id, public=False).entries] == [1]
    body = client.get(f"/api/v1/innovations/{entry.id}/history").get_json()
    assert body["items"][0]["rank"] is None and body["items"][0]["awards"] == []
