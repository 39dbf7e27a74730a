"""Registrations as CSV and XLSX: one row per registration, innovations and answers included.

Cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) are
prefixed with an apostrophe, so a hostile agency name cannot execute anything.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook

from plugins.registration.models import Registration

BASE_COLUMNS = (
    "id",
    "status",
    "organization",
    "kind",
    "region",
    "contact_name",
    "contact_email",
    "contact_phone",
    "innovations",
    "categories",
    "submitted_at",
    "decided_at",
    "reason",
    "notes",
)
CONTACT_COLUMNS = ("contact_name", "contact_email", "contact_phone")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def registration_rows(
    registrations: Iterable[Registration], questions: list[Any], *, contacts: bool = True
) -> list[list[Any]]:
    """A header row and one row per registration (answers in the questions' order).

    ``contacts=False`` leaves out the contact person's name, e-mail and phone.
    """
    header = [*BASE_COLUMNS, *(q.label for q in questions)]
    rows: list[list[Any]] = [header]
    for registration in registrations:
        innovations = registration.innovations
        answers = registration.answers or {}
        row: list[Any] = [
            registration.id,
            registration.status,
            registration.organization.name,
            registration.organization.kind,
            registration.organization.region,
            registration.contact_name,
            registration.contact_email,
            registration.contact_phone,
            "; ".join(i.title for i in innovations),
            "; ".join(i.category for i in innovations),
            registration.submitted_at.isoformat() if registration.submitted_at else "",
            registration.decided_at.isoformat() if registration.decided_at else "",
            registration.reason,
            registration.notes,
        ]
        for question in questions:
            value = answers.get(question.id, "")
            row.append(
                {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
            )
        rows.append([_safe(cell) for cell in row])
    if not contacts:
        drop = {header.index(column) for column in CONTACT_COLUMNS}
        rows = [[cell for i, cell in enumerate(row) if i not in drop] for row in rows]
    return rows


def to_csv(rows: list[list[Any]]) -> str:
    """The rows as CSV text (with a BOM so spreadsheet programs read UTF-8)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def to_xlsx(rows: list[list[Any]], title: str) -> bytes:
    """The rows as an XLSX workbook with one sheet (written streaming: write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
