"""Voting adds a "vote" action to an innovation's page while the public vote is open."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.db import utcnow
from core.models import Innovation, Organization
from core.plugin_helpers import innovation_actions
from core.services import plugin_settings


def _innovation(db: Any, event: Any) -> Innovation:
    organization = Organization(name="Dinas Kominfo Kota Malang", region="Kota Malang")
    db.add(organization)
    db.flush()
    innovation = Innovation(
        event_id=event.id, organization_id=organization.id, title="Ngalam Smart", status="accepted"
    )
    db.add(innovation)
    db.flush()
    return innovation


def _open_vote(db: Any, registry: Any, event: Any, *, opens_in: timedelta) -> None:
    now = utcnow()
    plugin_settings.update_settings(
        db,
        registry,
        event,
        "voting",
        {
            "public_voting_opens_at": (now + opens_in).isoformat(),
            "public_voting_closes_at": (now + opens_in + timedelta(hours=8)).isoformat(),
        },
    )


def test_vote_action_while_the_public_vote_is_open(app, db, make, registry):
    event = db.merge(make.event("vote-2026", plugins=["voting"]))
    innovation = _innovation(db, event)
    _open_vote(db, registry, event, opens_in=-timedelta(hours=1))
    with app.test_request_context():
        actions = innovation_actions(registry, db, event, innovation)
    assert [a.plugin for a in actions] == ["voting"]
    assert f"/vote-2026/voting/vote/{innovation.id}" in str(actions[0].html)


def test_no_vote_action_before_the_vote_opens(app, db, make, registry):
    event = db.merge(make.event("vote-2026", plugins=["voting"]))
    innovation = _innovation(db, event)
    _open_vote(db, registry, event, opens_in=timedelta(hours=1))
    with app.test_request_context():
        assert innovation_actions(registry, db, event, innovation) == []


def test_no_vote_action_when_voting_is_off(app, db, make, registry):
    event = db.merge(make.event("vote-2026", plugins=["voting"]))
    innovation = _innovation(db, event)
    _open_vote(db, registry, event, opens_in=-timedelta(hours=1))
    plugin_settings.set_plugin_enabled(db, registry, event, "voting", False)
    with app.test_request_context():
        assert innovation_actions(registry, db, event, innovation) == []


def test_the_catalogue_page_shows_the_vote_button(client, db, make, registry):
    event = db.merge(make.event("vote-2026", plugins=["exhibitors", "voting"]))
    innovation = _innovation(db, event)
    _open_vote(db, registry, event, opens_in=-timedelta(hours=1))
    db.commit()
    page = client.get(f"/vote-2026/exhibitors/innovations/{innovation.id}")
    assert page.status_code == 200
    assert f'href="/vote-2026/voting/vote/{innovation.id}"' in page.get_data(as_text=True)
    plugin_settings.set_plugin_enabled(db, registry, db.merge(event), "voting", False)
    db.commit()
    page = client.get(f"/vote-2026/exhibitors/innovations/{innovation.id}")
    assert "/voting/vote/" not in page.get_data(as_text=True)
