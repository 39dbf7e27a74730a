"""The programme's filter form: labelled fields in a row on desktop, stacked with gaps on phones.

Checked through HTTP (the markup the stylesheet relies on) and, in Chromium, by the fields'
boxes at 360 px and 1200 px (screenshots land in ``test-artifacts/``).
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from core.db import get_db
from core.models import Event
from core.services import events, plugin_settings
from plugins.symposium import services
from tests.e2e.conftest import (  # noqa: F401 - fixtures used by the tests below
    ARTIFACTS,
    LiveServer,
    live_app,
    live_database_url,
    live_server,
)
from tests.plugins.symposium.helpers import SLUG
from tests.plugins.symposium.test_browser import in_chromium

JKT = ZoneInfo("Asia/Jakarta")
LIVE_SLUG = "sym-filters"
FIELDS = ("sym-q", "sym-room", "sym-track")


def _place_two_sessions(session: Session, event: Event) -> None:
    """Rooms Hall and Studio with one placed session each (so the filter is shown)."""
    for name, hour in (("Hall", 9), ("Studio", 11)):
        room = services.create_room(session, event, name=name, capacity=100)
        services.create_session(
            session,
            event,
            services.SessionInput(title=f"Talk in {name}", duration_minutes=60),
            [services.SpeakerInput("Ani")],
            room_id=room.id,
            starts_at=datetime(2026, 12, 10, hour, tzinfo=JKT),
        )


def test_each_filter_is_a_labelled_field_of_the_filter_grid(
    client: FlaskClient, event: Event, db: Session
) -> None:
    _place_two_sessions(db, db.merge(event))
    db.commit()
    page = client.get(f"/{SLUG}/symposium/").get_data(as_text=True)
    form = page[page.index('<form method="get" class="filters sym-filters"') :]
    form = form[: form.index("</form>")]
    for control in FIELDS:
        # the label and its control share one .field box (the grid's cell)
        start = form.index('<div class="field"><label for="' + control + '">')
        assert f'id="{control}"' in form[start : form.index("</div>", start)]
    assert '<div class="field"><button type="submit" class="primary">' in form
    assert "style=" not in form  # strict CSP: the layout lives in agenda.css
    link = re.search(r'href="([^"]*/agenda[^"]*\.css)"', page)
    assert link
    rules = client.get(link.group(1)).get_data(as_text=True)
    assert ".sym-filters {" in rules and "display: grid" in rules and "min-height: 44px" in rules


@pytest.fixture(scope="module")
def seeded(live_app: Flask) -> None:  # noqa: F811 - pytest fixture injection
    """A published event with the symposium on and two placed sessions."""
    with live_app.test_request_context(), get_db(live_app).transaction() as session:
        event = events.create_event(
            session,
            slug=LIVE_SLUG,
            name="Simposium Tata Letak",
            year=2026,
            venue="Malang",
            starts_on=datetime(2026, 12, 10).date(),
            ends_on=datetime(2026, 12, 11).date(),
            status="published",
        )
        registry = live_app.extensions["gelar_plugins"]
        plugin_settings.set_enabled_plugins(session, registry, event, ["symposium"])
        _place_two_sessions(session, event)


@pytest.mark.browser
def test_filter_fields_sit_in_a_row_on_desktop_and_stack_on_phones(
    live_server: LiveServer,  # noqa: F811
    seeded: None,
) -> None:
    in_chromium(lambda new_page: check_layout(new_page, live_server), "sym-filters")


def _boxes(page: Any) -> list[dict[str, dict[str, float]]]:
    """Each field's label and control boxes, in the form's order (the button last)."""
    found = []
    for control in FIELDS:
        found.append(
            {
                "label": page.locator(f"label[for={control}]").bounding_box(),
                "control": page.locator(f"#{control}").bounding_box(),
            }
        )
    button = page.locator(".sym-filters button[type=submit]").bounding_box()
    found.append({"label": None, "control": button})
    return found


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    """Whether two boxes share any area."""
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def check_layout(new_page: Any, live_server: LiveServer) -> None:  # noqa: F811
    """At 1200 px the fields share one row; at 360 px they stack, each label above its field."""
    for width in (1200, 360):
        page = new_page(viewport={"width": width, "height": 900})
        page.goto(live_server(f"/{LIVE_SLUG}/symposium/?day=all"))
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator(".sym-filters").screenshot(path=str(ARTIFACTS / f"sym-filters-{width}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        boxes = _boxes(page)
        every = [box for field in boxes for box in field.values() if box]
        for i, a in enumerate(every):
            assert not any(_overlap(a, b) for b in every[i + 1 :]), (width, a)
        for field in boxes:
            assert field["control"]["height"] >= 44  # a touch target
            if field["label"]:
                gap = field["control"]["y"] - (field["label"]["y"] + field["label"]["height"])
                assert 0 <= gap <= 12  # the label sits just above its own field
        form = page.locator(".sym-filters").bounding_box()
        controls = [field["control"] for field in boxes]
        if width == 1200:
            bottoms = {round(c["y"] + c["height"]) for c in controls}
            assert len(bottoms) == 1, bottoms  # one row, aligned on the fields' bottom
            assert all(c["width"] < form["width"] / 2 for c in controls)  # not stretched
        else:
            for above, below in itertools.pairwise(boxes):
                top = (below["label"] or below["control"])["y"]
                assert top - (above["control"]["y"] + above["control"]["height"]) >= 8
