"""CSV imports (booths, innovations) and exhibitor exports (CSV, XLSX)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy.orm import Session

from core.models import CETTAR_VALUES, Event
from core.services import innovation_import
from core.services.errors import ValidationFailed
from plugins.exhibitors import search
from plugins.exhibitors.services import BoothSpec, Exhibitor

BOOTH_COLUMNS = ("code", "zone", "x", "y", "width", "height")
INNOVATION_COLUMNS = ("title", "agency", "region", "kind", "category", "summary", "cettar")
ORGANIZATION_KINDS = ("government", "bumd", "university", "private")
MAX_ROWS = 5000
EXPORT_HEADER = ("booth", "zone", "agency", "kind", "region", "innovations", "categories")


def _rows(text: str, required: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a CSV text (comma or semicolon) with lower-cased headers; 422 if unusable."""
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise ValidationFailed(
            _("The CSV file lacks the columns: %(columns)s.", columns=", ".join(missing)),
            fields={"file": [_("Missing columns: %(columns)s.", columns=", ".join(missing))]},
        )
    rows = []
    for raw in reader:
        rows.append({(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k})
        if len(rows) > MAX_ROWS:
            raise ValidationFailed(
                _("At most %(count)d rows per file.", count=MAX_ROWS),
                fields={"file": [_("Too many rows.")]},
            )
    return rows


def parse_booths(text: str) -> list[BoothSpec]:
    """Booth specs from CSV columns code, zone, x, y, width, height; 422 naming bad rows."""
    specs: list[BoothSpec] = []
    problems: list[str] = []
    for line, row in enumerate(_rows(text, BOOTH_COLUMNS), start=1):
        try:
            numbers = [int(row[c]) for c in ("x", "y", "width", "height")]
        except ValueError:
            problems.append(
                _("Row %(line)d: x, y, width and height must be whole numbers.", line=line)
            )
            continue
        specs.append(BoothSpec(row["code"], row["zone"], *numbers))
    if problems:
        raise ValidationFailed(problems[0], fields={"file": problems[:20]})
    return specs


@dataclass(frozen=True)
class ImportResult:
    """What an innovation import did: innovations added and updated, agencies created."""

    innovations: int
    organizations: int
    updated: int = 0


def import_innovations(
    session: Session, event: Event, text: str, *, actor_id: int | None = None
) -> ImportResult:
    """Innovations from CSV (title, agency, region, kind, category, summary, cettar).

    The rows go through :func:`core.services.innovation_import.import_innovations` (the
    API's import): every row is checked before anything is stored, one bad row refuses the
    whole file with 422 naming the rows; agencies are matched by name and region (never
    changed, nothing granted) or created; an innovation of this event with the same agency
    and title is updated.  ``cettar`` lists CETTAR values separated by spaces, commas or
    semicolons.
    """
    rows = _rows(text, ("title", "agency"))
    if not rows:
        message = _("The file has no rows.")
        raise ValidationFailed(message, fields={"file": [message]})
    problems: list[tuple[int, str]] = []
    parsed: list[innovation_import.InnovationRow] = []
    for line, row in enumerate(rows, start=1):
        values = row.get("cettar", "").replace(",", " ").replace(";", " ").lower().split()
        if any(v not in CETTAR_VALUES for v in values):
            problems.append((line, _("unknown CETTAR value.")))
        parsed.append(
            innovation_import.InnovationRow(
                title=row.get("title", ""),
                organization_name=row.get("agency", ""),
                summary=row.get("summary", ""),
                category=row.get("category", ""),
                organization_kind=row.get("kind") or "government",
                organization_region=row.get("region", ""),
                cettar=[v for v in CETTAR_VALUES if v in values],
            )
        )
    try:
        if problems:
            raise ValidationFailed("", fields=innovation_import.check_rows(parsed))
        counts = innovation_import.import_innovations(session, event, parsed, actor_id=actor_id)
    except ValidationFailed as exc:
        for name, messages in exc.fields.items():
            parts = name.split(".")
            line = int(parts[1]) + 1 if len(parts) > 1 and parts[1].isdigit() else 0
            problems += [(line, _(message)) for message in messages]
        named = [
            _("Row %(line)d: %(problem)s", line=line, problem=problem)
            for line, problem in sorted(problems, key=lambda p: p[0])
        ]
        raise ValidationFailed(named[0], fields={"file": named[:20]}) from None
    search.refresh_entries(session, event, counts.innovation_ids)
    return ImportResult(
        innovations=counts.created,
        organizations=counts.organizations_created,
        updated=counts.updated,
    )


def _export_rows(exhibitors: list[Exhibitor]) -> list[tuple[object, ...]]:
    return [
        (
            e.booth.code if e.booth else "",
            e.booth.zone if e.booth else "",
            e.organization.name,
            e.organization.kind,
            e.organization.region,
            e.innovations,
            "; ".join(e.categories),
        )
        for e in exhibitors
    ]


def _safe_cell(value: object) -> object:
    """Neutralise spreadsheet formulas in text cells (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def exhibitors_csv(exhibitors: list[Exhibitor]) -> str:
    """The exhibitor list with booths as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_HEADER)
    for row in _export_rows(exhibitors):
        writer.writerow([_safe_cell(v) for v in row])
    return out.getvalue()


def exhibitors_xlsx(exhibitors: list[Exhibitor]) -> bytes:
    """The exhibitor list with booths as an XLSX workbook."""
    book = Workbook()
    sheet = book.active
    sheet.title = "exhibitors"
    sheet.append(EXPORT_HEADER)
    for row in _export_rows(exhibitors):
        sheet.append([_safe_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
