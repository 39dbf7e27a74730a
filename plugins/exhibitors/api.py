"""The Exhibitors section of API.md: exhibitors, booths, booth creation and assignment."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask import jsonify
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ConfigDict, Field

from core.api import (
    ApiBlueprint,
    api_event,
    endpoint,
    organizer_event,
    page,
    pagination,
    parse_body,
    require_user,
)
from core.api.schemas import LIMIT_PARAM, OFFSET_PARAM
from core.db import get_session
from core.plugin_helpers import stored_settings
from core.web import commit
from plugins.exhibitors import booth_import, services
from plugins.exhibitors.models import Booth
from plugins.exhibitors.settings import ExhibitorSettings

bp = ApiBlueprint("exhibitors_api", __name__, url_prefix="/api/v1/events/<event>")

Coordinate = Annotated[int, Field(ge=0, le=services.MAX_COORDINATE)]
Size = Annotated[int, Field(ge=1, le=services.MAX_COORDINATE)]


class BoothIn(BaseModel):
    """A booth to place on the floor grid (metres)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")
    zone: str = Field(default="", max_length=60)
    x: Coordinate
    y: Coordinate
    width: Size
    height: Size


class BoothsImportIn(BaseModel):
    """Booths to place (at most 5,000; all of them or none)."""

    model_config = ConfigDict(extra="forbid")

    items: list[BoothIn] = Field(min_length=1, max_length=5000)


class BoothsImportOut(BaseModel):
    """How many booths were placed."""

    created: int


class OrganizationRef(BaseModel):
    """An organization's id and name."""

    id: int
    name: str


class BoothOut(BaseModel):
    """A booth and who holds it."""

    code: str
    zone: str
    x: int
    y: int
    width: int
    height: int
    organization: OrganizationRef | None
    assigned_manually: bool


class BoothList(BaseModel):
    """Booths by code."""

    items: list[BoothOut]
    total: int


class ExhibitorOut(BaseModel):
    """An approved exhibitor and its booth code (``null`` without one)."""

    id: int
    name: str
    kind: str
    region: str
    innovations: int
    categories: list[str]
    booth: str | None


class ExhibitorList(BaseModel):
    """Approved exhibitors by name."""

    items: list[ExhibitorOut]
    total: int


class AssignIn(BaseModel):
    """How to assign booths: ``auto``; ``group_by_zone`` honours zone preferences."""

    model_config = ConfigDict(extra="forbid")

    strategy: Literal["auto"]
    group_by_zone: bool = True


class AssignOut(BaseModel):
    """Booths given: organization id and booth code of each newly placed exhibitor."""

    placed: list[dict[str, Any]]
    total: int


def booth_json(booth: Booth) -> dict[str, Any]:
    """The API representation of a booth."""
    organization = booth.organization
    return {
        "code": booth.code,
        "zone": booth.zone,
        "x": booth.x,
        "y": booth.y,
        "width": booth.width,
        "height": booth.height,
        "organization": {"id": organization.id, "name": organization.name}
        if organization
        else None,
        "assigned_manually": booth.assigned_manually,
    }


def floor(event: Any) -> tuple[int, int]:
    """The hall's (width, depth) in metres from the plugin settings."""
    settings = stored_settings(event, "exhibitors", ExhibitorSettings)
    return settings.floor_width, settings.floor_depth  # type: ignore[attr-defined]


@bp.get("/exhibitors")
@endpoint(
    summary="Approved exhibitors with booth codes",
    tags=["Exhibitors"],
    response=ExhibitorList,
    errors=(404, 422),
    query={"limit": LIMIT_PARAM, "offset": OFFSET_PARAM},
)
def list_exhibitors(event: str) -> ResponseReturnValue:
    """Organizations with accepted innovations in the event, by name."""
    target = api_event(event)
    limit, offset = pagination()
    session = get_session()
    exhibitors = services.list_exhibitors(session, target, limit=limit, offset=offset)
    items = [
        {
            "id": e.organization.id,
            "name": e.organization.name,
            "kind": e.organization.kind,
            "region": e.organization.region,
            "innovations": e.innovations,
            "categories": e.categories,
            "booth": e.booth.code if e.booth else None,
        }
        for e in exhibitors
    ]
    return jsonify(page(items, services.count_exhibitors(session, target)))


@bp.get("/booths")
@endpoint(
    summary="Booths of the floor plan",
    tags=["Exhibitors"],
    response=BoothList,
    errors=(404, 422),
    query={"limit": LIMIT_PARAM, "offset": OFFSET_PARAM},
)
def list_booths(event: str) -> ResponseReturnValue:
    """Every booth by code with its position, size and holder."""
    target = api_event(event)
    limit, offset = pagination()
    session = get_session()
    booths = services.list_booths(session, target, limit=limit, offset=offset)
    total = services.count_booths(session, target)
    return jsonify(page([booth_json(b) for b in booths], total))


@bp.post("/booths")
@endpoint(
    summary="Place a booth",
    tags=["Exhibitors"],
    body=BoothIn,
    response=BoothOut,
    status=201,
    errors=(400, 401, 403, 404, 409, 413, 422),
    auth=True,
)
def create_booth(event: str) -> ResponseReturnValue:
    """409 naming the other booth on a duplicate code or an overlap; 422 off the floor."""
    target = organizer_event(event)
    data = parse_body(BoothIn)
    booth = services.add_booth(
        get_session(),
        target,
        services.BoothSpec(data.code, data.zone, data.x, data.y, data.width, data.height),
        floor=floor(target),
        actor_id=require_user().id,
    )
    commit()
    return jsonify(booth_json(booth)), 201


@bp.post("/booths/import")
@endpoint(
    summary="Place many booths at once (all rows or none)",
    tags=["Exhibitors"],
    body=BoothsImportIn,
    response=BoothsImportOut,
    errors=(400, 401, 403, 404, 409, 413, 422),
    auth=True,
)
def import_booths(event: str) -> ResponseReturnValue:
    """422 naming ``items.<row>.<field>`` (values, off the floor); 409 on a taken code or an
    overlap, naming ``items.<row>.code``."""
    target = organizer_event(event)
    data = parse_body(BoothsImportIn)
    created = booth_import.import_booths(
        get_session(),
        target,
        [services.BoothSpec(b.code, b.zone, b.x, b.y, b.width, b.height) for b in data.items],
        floor=floor(target),
        actor_id=require_user().id,
    )
    commit()
    return jsonify({"created": created})


@bp.post("/booths/assign")
@endpoint(
    summary="Assign booths automatically",
    tags=["Exhibitors"],
    body=AssignIn,
    response=AssignOut,
    errors=(400, 401, 403, 404, 409, 413, 422),
    auth=True,
)
def assign_booths(event: str) -> ResponseReturnValue:
    """Every approved exhibitor without a booth gets one, or 409 ``unassigned`` and no change."""
    target = organizer_event(event)
    data = parse_body(AssignIn)
    result = services.auto_assign(
        get_session(), target, group_by_zone=data.group_by_zone, actor_id=require_user().id
    )
    commit()
    placed = [
        {"organization": organization_id, "booth": code}
        for organization_id, code in sorted(result.placed.items(), key=lambda kv: kv[1])
    ]
    return jsonify({"placed": placed, "total": len(placed)})
