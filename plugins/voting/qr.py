"""Booth QR codes: one SVG per vote link, drawn once per process and then reused.

Drawing a code with segno takes a few milliseconds; a sheet of every innovation of a
national event took seconds.  The sheet is paginated (:data:`PER_PAGE` codes) and each
link's SVG is cached, so a page costs one query and string lookups once warmed.
"""

from __future__ import annotations

from functools import lru_cache

PER_PAGE = 24


@lru_cache(maxsize=8192)
def qr_svg(link: str) -> str:
    """The inline SVG (no size, 2-module border) of a QR code for ``link`` (cached)."""
    import segno

    return str(segno.make(link, error="m").svg_inline(border=2, omitsize=True))


def page_bounds(page: int, total: int) -> tuple[int, int]:
    """The 1-based page clamped to the pages there are, and the number of pages."""
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    return min(max(page, 1), pages), pages
