"""Booths placed in bulk (API.md, "Bulk (national scale)"; the console's CSV import).

Every row is checked first: invalid values → 422, a code already used (in the event or
earlier in the request) or a booth overlapping another (placed or imported) → 409; both name
``items.<row>.<field>`` and nothing is stored.  Overlaps are found with a sweep over the
rectangles sorted by x, and the booths are written with one multi-row insert, so the number
of statements does not grow with the rows.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.models import Event
from core.services import audit
from core.services.errors import Conflict, ValidationFailed
from plugins.exhibitors.models import Booth
from plugins.exhibitors.services import BoothSpec, _validate_spec, lock_event

MAX_ROWS = 5000


def _overlaps(rects: list[tuple[int, int, int, int, str, int | None]]) -> dict[int, str]:
    """Row index → code of a booth it overlaps, for rows (index not None) that overlap.

    ``rects`` are ``(x, y, width, height, code, row)``; ``row`` is None for stored booths.
    """
    found: dict[int, str] = {}
    active: list[tuple[int, int, int, int, str, int | None]] = []
    for rect in sorted(rects, key=lambda r: (r[0], r[5] is not None, r[5] or 0)):
        x, y, _width, height, code, row = rect
        active = [a for a in active if a[0] + a[2] > x]
        for other in active:
            if other[1] < y + height and y < other[1] + other[3]:
                if row is not None and row not in found:
                    found[row] = other[4]
                elif row is None and other[5] is not None and other[5] not in found:
                    found[other[5]] = code
        active.append(rect)
    return found


def import_booths(
    session: Session,
    event: Event,
    specs: list[BoothSpec],
    *,
    floor: tuple[int, int],
    actor_id: int | None = None,
) -> int:
    """Place every booth of ``specs`` or none; returns how many were created.

    ``floor`` is the hall's (width, depth) in metres.  Runs with the event row locked.
    """
    if len(specs) > MAX_ROWS:
        raise ValidationFailed(
            _("At most 5,000 rows a request."), fields={"items": [_("At most 5,000 rows.")]}
        )
    if not specs:
        raise ValidationFailed(
            _("The import has no rows."), fields={"items": [_("The import has no rows.")]}
        )
    specs = [BoothSpec(s.code.strip(), s.zone.strip(), s.x, s.y, s.width, s.height) for s in specs]
    fields: dict[str, list[str]] = {}
    for n, spec in enumerate(specs):
        for name, problems in _validate_spec(spec, floor).items():
            fields[f"items.{n}.{name}"] = [
                _("Row %(line)d: %(problem)s", line=n + 1, problem=p) for p in problems
            ]
    if fields:
        raise ValidationFailed(_("Some rows are invalid; nothing was imported."), fields=fields)
    lock_event(session, event)
    stored = session.execute(
        select(Booth.code, Booth.x, Booth.y, Booth.width, Booth.height).where(
            Booth.event_id == event.id
        )
    ).all()
    codes = {code for code, *_rest in stored}
    seen: set[str] = set()
    for n, spec in enumerate(specs):
        if spec.code in codes or spec.code in seen:
            fields[f"items.{n}.code"] = [
                _("Row %(line)d: booth code %(code)s is already taken.", line=n + 1, code=spec.code)
            ]
        seen.add(spec.code)
    rects = [(x, y, w, h, code, None) for code, x, y, w, h in stored]
    rects += [(s.x, s.y, s.width, s.height, s.code, n) for n, s in enumerate(specs)]
    for n, other in _overlaps(rects).items():
        fields.setdefault(f"items.{n}.code", []).append(
            _("Row %(line)d: the booth overlaps booth %(code)s.", line=n + 1, code=other)
        )
    if fields:
        raise Conflict(
            _("Some booths clash with others; nothing was imported."),
            fields=dict(sorted(fields.items(), key=lambda kv: int(kv[0].split(".")[1]))),
        )
    stamp = utcnow()
    session.execute(
        insert(Booth),
        [
            {
                "event_id": event.id,
                "code": s.code,
                "zone": s.zone,
                "x": s.x,
                "y": s.y,
                "width": s.width,
                "height": s.height,
                "assigned_manually": False,
                "created_at": stamp,
            }
            for s in specs
        ],
    )
    audit.record(
        session, "exhibitors.booths_imported", event_id=event.id, user_id=actor_id, count=len(specs)
    )
    return len(specs)
