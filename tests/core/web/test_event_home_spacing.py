"""The event page's awards panel keeps the panel grid's gap (it sat flush against the grid)."""

from __future__ import annotations

import re
from pathlib import Path

CSS = Path(__file__).resolve().parents[3] / "core" / "static" / "gelar.css"


def test_a_panel_after_the_panel_grid_is_spaced_like_the_grid() -> None:
    css = CSS.read_text(encoding="utf-8")
    gap = re.search(r"\.panels \{[^}]*gap: ([\d.]+rem)", css)
    spaced = re.search(r"\.panels \+ \.panel \{[^}]*margin-top: ([\d.]+rem)", css)
    assert gap is not None and spaced is not None
    assert spaced.group(1) == gap.group(1)
