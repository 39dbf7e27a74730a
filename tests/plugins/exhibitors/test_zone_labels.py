"""The zones overview: each zone's counts line fits inside its rectangle (no overlapping labels)."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from plugins.exhibitors.models import Booth
from tests.plugins.exhibitors.conftest import SLUG, World

#: A generous average glyph width of a sans-serif font, in em.
GLYPH_EM = 0.6
ZONE = re.compile(
    r'<a class="zone"[^>]*>.*?<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)".*?'
    r'<text[^>]*>[^<]*</text>\s*<text[^>]*font-size="([\d.]+)">([^<]+)</text>',
    re.S,
)


def _square_zones(db: Session, world: World) -> None:
    """Zones A and B, each 27 m square (two corner booths), next to each other."""
    event = db.merge(world.event)
    for n, (zone, x, y) in enumerate([("A", 0, 0), ("A", 24, 24), ("B", 28, 0), ("B", 52, 24)]):
        db.add(Booth(event_id=event.id, code=f"Q{n}", zone=zone, x=x, y=y, width=3, height=3))
    db.commit()


def _labels(body: str) -> list[tuple[float, float, str]]:
    return [(float(w), float(size), text) for w, size, text in ZONE.findall(body)]


def test_zone_counts_fit_their_rectangles(
    client: FlaskClient, world: World, db: Session, monkeypatch: Any
) -> None:
    from plugins.exhibitors import views

    monkeypatch.setattr(views, "ZONED_FROM", 4)
    _square_zones(db, world)
    for url in (f"/{SLUG}/exhibitors/floor-plan", f"/{SLUG}/exhibitors/floor-plan.svg"):
        labels = _labels(client.get(url).get_data(as_text=True))
        assert [text for _, _, text in labels] == ["2 stan, 0 terisi"] * 2
        for width, size, text in labels:
            assert len(text) * GLYPH_EM * size <= width
            assert size >= 12  # still readable: shrunk, not vanished
    client.post("/lang/en")
    english = client.get(f"/{SLUG}/exhibitors/floor-plan.svg").get_data(as_text=True)
    assert "2 booths, 0 taken" in english
    for width, size, text in _labels(english):
        assert len(text) * GLYPH_EM * size <= width
