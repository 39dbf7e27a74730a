"""Innovations imported into one event (API.md, "Bulk (national scale)"): all rows or none.

Every row is checked first; any invalid row → 422 naming ``items.<row>.<field>`` and nothing
is stored.  Agencies are matched by name and region (any letter case) or created; a match
only links the event's innovation to the agency: it never changes the agency (kind, name,
region stay as they are) and grants nobody anything (see ``docs/security.md``, "Agencies and
membership").  An innovation of *this* event with the same agency and title (any letter
case) is updated (summary, category); the others are created, accepted.  A fixed number of
statements whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import Session

from core.db import utcnow
from core.i18n import N_
from core.models import Event, Innovation, Organization
from core.services import audit
from core.services.errors import ValidationFailed

MAX_ROWS = 5000
ORGANIZATION_KINDS = ("government", "bumd", "university", "private")


@dataclass
class InnovationRow:
    """One row: the innovation and its agency."""

    title: str
    organization_name: str
    summary: str = ""
    category: str = ""
    organization_kind: str = "government"
    organization_region: str = ""
    # CETTAR values (the console's CSV); ``None`` leaves an updated innovation's as they are.
    cettar: list[str] | None = None


@dataclass
class ImportCounts:
    """How many innovations were created and updated, and how many agencies were created."""

    created: int = 0
    updated: int = 0
    organizations_created: int = 0
    innovation_ids: list[int] = field(default_factory=list)


def check_rows(rows: list[InnovationRow]) -> dict[str, list[str]]:
    """Per-row problems of (stripped) rows, keyed ``items.<row>.<field>`` (messages: ``N_``)."""
    fields: dict[str, list[str]] = {}
    seen: set[tuple[str, str, str]] = set()
    for n, row in enumerate(rows):
        prefix = f"items.{n}"
        if not row.title or len(row.title) > 250:
            fields[f"{prefix}.title"] = [N_("A title of 1 to 250 characters is needed.")]
        if len(row.summary) > 20000:
            fields[f"{prefix}.summary"] = [N_("At most 20000 characters.")]
        if len(row.category) > 80:
            fields[f"{prefix}.category"] = [N_("At most 80 characters.")]
        if not row.organization_name or len(row.organization_name) > 250:
            fields[f"{prefix}.organization.name"] = [
                N_("An agency name of 1 to 250 characters is needed.")
            ]
        if len(row.organization_region) > 120:
            fields[f"{prefix}.organization.region"] = [N_("At most 120 characters.")]
        if row.organization_kind not in ORGANIZATION_KINDS:
            fields[f"{prefix}.organization.kind"] = [
                N_("Choose government, bumd, university or private.")
            ]
        key = (
            row.organization_name.casefold(),
            row.organization_region.casefold(),
            row.title.casefold(),
        )
        if row.title and key in seen:
            fields.setdefault(f"{prefix}.title", []).append(
                N_("The same innovation of the same agency is already in the request.")
            )
        seen.add(key)
    return fields


def import_innovations(
    session: Session, event: Event, rows: list[InnovationRow], *, actor_id: int | None = None
) -> ImportCounts:
    """Create or update the event's innovations from ``rows`` (all of them or none)."""
    if len(rows) > MAX_ROWS:
        raise ValidationFailed(
            N_("At most 5,000 rows a request."), fields={"items": [N_("At most 5,000 rows.")]}
        )
    if not rows:
        raise ValidationFailed(
            N_("The import has no rows."), fields={"items": [N_("The import has no rows.")]}
        )
    rows = [
        InnovationRow(
            title=r.title.strip(),
            organization_name=r.organization_name.strip(),
            summary=r.summary.strip(),
            category=r.category.strip(),
            organization_kind=r.organization_kind.strip() or "government",
            organization_region=r.organization_region.strip(),
            cettar=r.cettar,
        )
        for r in rows
    ]
    fields = check_rows(rows)
    if fields:
        raise ValidationFailed(N_("Some rows are invalid; nothing was imported."), fields=fields)

    def agency_key(name: str, region: str) -> tuple[str, str]:
        return (name.casefold(), region.casefold())

    agencies: dict[tuple[str, str], int] = {}
    names = {r.organization_name for r in rows}
    lowered = {name.lower() for name in names}
    for org_id, name, region in session.execute(
        select(Organization.id, Organization.name, Organization.region)
        .where(or_(Organization.name.in_(names), func.lower(Organization.name).in_(lowered)))
        .order_by(Organization.id)
    ):
        agencies.setdefault(agency_key(name, region), org_id)
    counts = ImportCounts()
    new_agencies: dict[tuple[str, str], dict[str, str]] = {}
    for r in rows:
        key = agency_key(r.organization_name, r.organization_region)
        if key not in agencies and key not in new_agencies:
            new_agencies[key] = {
                "name": r.organization_name,
                "region": r.organization_region,
                "kind": r.organization_kind,
            }
    if new_agencies:
        created = session.execute(
            insert(Organization).returning(
                Organization.id,
                Organization.name,
                Organization.region,
                sort_by_parameter_order=True,
            ),
            [{**values, "created_at": utcnow()} for values in new_agencies.values()],
        ).all()
        for org_id, name, region in created:
            agencies[agency_key(name, region)] = org_id
        counts.organizations_created = len(created)

    existing: dict[tuple[int, str], int] = {}
    org_ids = set(agencies.values())
    for innovation_id, org_id, title in session.execute(
        select(Innovation.id, Innovation.organization_id, Innovation.title)
        .where(Innovation.event_id == event.id, Innovation.organization_id.in_(org_ids))
        .order_by(Innovation.id)
    ):
        existing.setdefault((org_id, title.casefold()), innovation_id)

    stamp = utcnow()
    inserts: list[dict[str, object]] = []
    updates: list[dict[str, object]] = []
    for r in rows:
        org_id = agencies[agency_key(r.organization_name, r.organization_region)]
        found = existing.get((org_id, r.title.casefold()))
        if found is None:
            inserts.append(
                {
                    "event_id": event.id,
                    "organization_id": org_id,
                    "title": r.title,
                    "summary": r.summary,
                    "category": r.category,
                    "cettar": list(r.cettar or []),
                    "status": "accepted",
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
        else:
            change: dict[str, object] = {
                "id": found,
                "summary": r.summary,
                "category": r.category,
                "updated_at": stamp,
            }
            if r.cettar is not None:
                change["cettar"] = list(r.cettar)
            updates.append(change)
            counts.innovation_ids.append(found)
    if inserts:
        ids = session.scalars(
            insert(Innovation).returning(Innovation.id, sort_by_parameter_order=True), inserts
        ).all()
        counts.innovation_ids.extend(ids)
    for with_cettar in (True, False):
        batch = [u for u in updates if ("cettar" in u) is with_cettar]
        if batch:
            session.execute(update(Innovation), batch)
    session.expire_all()
    counts.created, counts.updated = len(inserts), len(updates)
    audit.record(
        session,
        "innovations.imported",
        event_id=event.id,
        user_id=actor_id,
        created=counts.created,
        updated=counts.updated,
        organizations_created=counts.organizations_created,
    )
    return counts


__all__ = ["ImportCounts", "InnovationRow", "import_innovations"]
