"""Server-rendered SVG geometry for the judging-confidence pages (no scripts, no styles).

Pure functions: the templates draw what these compute (coordinates in SVG user units).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plugins.voting.confidence import Calibration
from plugins.voting.results import Results

WIDTH = 640
ROW = 22
LEFT = 40
RIGHT = 20
TOP = 24
WINDOW = 12


def _x(value: float, low: float, high: float) -> float:
    span = (high - low) or 1.0
    return round(LEFT + (value - low) / span * (WIDTH - LEFT - RIGHT), 1)


@dataclass
class IntervalRow:
    """One innovation's score and interval as a row of the plot."""

    y: float
    rank: int | None
    title: str
    score: float
    low: float
    high: float
    x: float
    x_low: float
    x_high: float
    close_call: bool
    above: bool


def interval_plot(results: Results, top: int) -> dict[str, Any] | None:
    """Rows around the cut-off after place ``top`` (:data:`WINDOW` each side) and axes.

    ``results`` must be marked by :func:`plugins.voting.confidence.mark_close_calls`.
    ``None`` when nothing is scored.
    """
    scored = [i for i in results.items if i.final_score is not None and i.interval is not None]
    if not scored:
        return None
    start = max(0, top - WINDOW)
    shown = scored[start : top + WINDOW]
    weight = 1.0 - results.public_weight
    lows, highs, rows = [], [], []
    for item in shown:
        official = item.normalized_score if results.method == "normalized" else item.raw_score
        assert item.interval is not None and item.final_score is not None
        official = item.final_score if official is None else official
        lows.append(item.final_score - weight * (official - item.interval[0]))
        highs.append(item.final_score + weight * (item.interval[1] - official))
    step = 5 if max(highs) - min(lows) <= 35 else 10
    axis_low = max(0.0, (min(lows) // step) * step)
    axis_high = min(100.0, (max(highs) // step + 1) * step)
    for n, item in enumerate(shown):
        assert item.final_score is not None
        rows.append(
            IntervalRow(
                y=TOP + n * ROW,
                rank=item.rank,
                title=item.title,
                score=round(item.final_score, 2),
                low=round(lows[n], 2),
                high=round(highs[n], 2),
                x=_x(item.final_score, axis_low, axis_high),
                x_low=_x(lows[n], axis_low, axis_high),
                x_high=_x(highs[n], axis_low, axis_high),
                close_call="close_call" in item.flags,
                above=start + n < top,
            )
        )
    ticks = [
        {"value": v, "x": _x(v, axis_low, axis_high)}
        for v in range(int(axis_low), int(axis_high) + 1, step)
    ]
    boundary = results.boundary
    return {
        "width": WIDTH,
        "height": TOP + len(rows) * ROW + 10,
        "rows": rows,
        "ticks": ticks,
        "axis_y": TOP + len(rows) * ROW - ROW / 2 + 4,
        "boundary": None if boundary is None else round(boundary, 2),
        "boundary_x": None if boundary is None else _x(boundary, axis_low, axis_high),
        "cut_y": TOP + (top - start) * ROW - ROW / 2 if boundary is not None else None,
    }


PANELS = (
    ("leniency", -30.0, 30.0, 0.0),
    ("scale", 0.0, 2.5, 1.0),
    ("agreement", -1.0, 1.0, 0.0),
)
PANEL_WIDTH = 180
PANEL_GAP = 20


def calibration_plot(calibration: Calibration) -> dict[str, Any] | None:
    """Three dot panels (leniency, scale, agreement) with a row per judge; ``None`` if empty."""
    if not calibration.judges:
        return None
    panels = []
    for n, (name, low, high, reference) in enumerate(PANELS):
        left = LEFT + n * (PANEL_WIDTH + PANEL_GAP)

        def x(value: float, left: float = left, low: float = low, high: float = high) -> float:
            clamped = min(high, max(low, value))
            return round(left + (clamped - low) / (high - low) * PANEL_WIDTH, 1)

        panels.append(
            {
                "name": name,
                "left": left,
                "right": left + PANEL_WIDTH,
                "low": low,
                "high": high,
                "reference_x": x(reference),
                "dots": [
                    {
                        "y": TOP + r * ROW,
                        "x": None if getattr(c, name) is None else x(getattr(c, name)),
                        "value": getattr(c, name),
                        "flagged": c.flagged,
                    }
                    for r, c in enumerate(calibration.judges)
                ],
            }
        )
    return {
        "width": LEFT + 3 * PANEL_WIDTH + 2 * PANEL_GAP + RIGHT,
        "height": TOP + len(calibration.judges) * ROW + 10,
        "panels": panels,
        "rows": [TOP + r * ROW for r in range(len(calibration.judges))],
    }
