"""Pydantic models of the core API's request and response bodies (also the OpenAPI schemas)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal
from zoneinfo import available_timezones

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field

if TYPE_CHECKING:
    from core.api.openapi import SchemaContext

MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"
    r"([Zz]|[+-][0-9]{2}:?[0-9]{2})?"
)


def _iso_date(value: Any) -> Any:
    """Only ``YYYY-MM-DD`` text is a date (not ``0``, ``"0"`` or a timestamp)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("Use a date written as YYYY-MM-DD.")


def _iso_datetime(value: Any) -> Any:
    """Only RFC 3339 text is a date-time (not a number of seconds)."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATETIME.fullmatch(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("Use a date and time written as YYYY-MM-DDTHH:MM:SS+07:00.")


# Request dates and date-times as JSON Schema's ``format`` says: text only.
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_datetime)]
# Text with at least one character that is not white space (and nothing the input gate
# refuses); documented only — the services check it and answer in the user's language.
NON_BLANK_TEXT = (
    "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]*"
    "[^\\s\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]"
    "[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]*$"
)
NON_BLANK: dict[str, Any] = {"pattern": NON_BLANK_TEXT}
# An e-mail address; ``format: email`` tells clients (and fuzzers) what the services accept.
Email = Annotated[str, Field(min_length=3, max_length=254, json_schema_extra={"format": "email"})]
# An IANA time zone name known to this server (``Asia/Jakarta``).
TimeZone = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        json_schema_extra={"enum": sorted(available_timezones())},
    ),
]
# An event's address: lowercase letters, digits and inner dashes, not a reserved word.
Slug = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$",
        json_schema_extra={
            "not": {
                "enum": ["api", "auth", "admin", "static", "lang", "health", "manage"],
            }
        },
    ),
]

# An id in a query string (``?organization=``): what ``core.api.query_int`` accepts.
ID_PARAM: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
LIMIT_PARAM: dict[str, Any] = {
    "type": "integer",
    "minimum": 1,
    "maximum": 500,
    "default": 50,
    "description": "Page size",
}
OFFSET_PARAM: dict[str, Any] = {
    "type": "integer",
    "minimum": 0,
    "maximum": MAX_ID,
    "default": 0,
    "description": "Items to skip",
}


class Strict(BaseModel):
    """Request bodies reject unknown keys so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid")


class TokenRequest(Strict):
    """Credentials exchanged for a bearer token."""

    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=1000)


class TokenResponse(BaseModel):
    """A bearer token (shown once) and when it expires."""

    token: str
    expires_at: datetime


class TokenInfo(BaseModel):
    """One of the caller's API tokens (never its secret); ``current`` marks the one in use."""

    id: int
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    current: bool


class TokenList(BaseModel):
    """The caller's unexpired API tokens, newest first."""

    items: list[TokenInfo]
    total: int


class PasswordChange(Strict):
    """The current password and the new one (at least 8 characters)."""

    current_password: str = Field(min_length=1, max_length=1000)
    new_password: str = Field(min_length=1, max_length=1000)


class PasswordChanged(BaseModel):
    """How many other sessions (browsers) and API tokens the change ended."""

    sessions_ended: int
    tokens_revoked: int


class RoleOut(BaseModel):
    """A role the user holds in an event."""

    event: str
    role: Literal["organizer", "judge"]


class OrganizationOut(BaseModel):
    """An agency or other organization (persists across editions)."""

    id: int
    name: str
    kind: str
    region: str


class MeOut(BaseModel):
    """The caller's account."""

    id: int
    email: str
    name: str
    is_admin: bool
    roles: list[RoleOut]
    organizations: list[OrganizationOut]


class EventOut(BaseModel):
    """An event; ``plugins`` lists the enabled plugins."""

    slug: str
    name: str
    year: int
    venue: str
    starts_on: date
    ends_on: date
    timezone: str
    status: Literal["draft", "published", "archived"]
    plugins: list[str]


class EventList(BaseModel):
    """A page of events."""

    items: list[EventOut]
    total: int


class EventCreate(Strict):
    """A new event (created as a draft)."""

    slug: Slug
    name: str = Field(min_length=1, max_length=250)
    year: int = Field(ge=1900, le=2200)
    venue: str = Field(default="", max_length=250)
    starts_on: IsoDate
    ends_on: IsoDate
    timezone: TimeZone = "Asia/Jakarta"
    plugins: list[str] = Field(default_factory=list, max_length=100)


def without_null_defaults(schema: dict[str, Any]) -> None:
    """Drop ``"default": null`` from properties: absent means unchanged, ``null`` is refused."""
    for prop in schema.get("properties", {}).values():
        if "default" in prop and prop["default"] is None:
            del prop["default"]


class EventPatch(Strict):
    """A partial update of an event; absent keys keep their values (``null`` is refused).

    The fields default to ``None`` only to tell "absent" (defaults are not validated); an
    explicit ``null`` fails validation like any other wrong type.
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra=without_null_defaults)

    name: Annotated[str, Field(min_length=1, max_length=250)] = None  # type: ignore[assignment]
    year: Annotated[int, Field(ge=1900, le=2200)] = None  # type: ignore[assignment]
    venue: Annotated[str, Field(max_length=250)] = None  # type: ignore[assignment]
    starts_on: IsoDate = None  # type: ignore[assignment]
    ends_on: IsoDate = None  # type: ignore[assignment]
    timezone: TimeZone = None  # type: ignore[assignment]
    description: Annotated[str, Field(max_length=20000)] = None  # type: ignore[assignment]
    status: Literal["draft", "published", "archived"] = None  # type: ignore[assignment]


class PluginsPut(Strict):
    """The complete list of plugins to enable."""

    enabled: list[str] = Field(max_length=100)


class PluginsOut(BaseModel):
    """The plugins now enabled."""

    enabled: list[str]


class CloneRequest(Strict):
    """The new edition's identity and dates (the venue defaults to the source's)."""

    slug: Slug
    name: str = Field(min_length=1, max_length=250)
    year: int = Field(ge=1900, le=2200)
    starts_on: IsoDate
    ends_on: IsoDate
    venue: str | None = Field(default=None, max_length=250)


class RoleCreate(Strict):
    """Appoint someone by e-mail; judges may declare conflicting organizations."""

    email: Email
    role: Literal["organizer", "judge"]
    name: str | None = Field(default=None, max_length=200)
    conflicts: list[Id] | None = Field(default=None, max_length=1000)


class RoleCreated(BaseModel):
    """The appointed role; ``invited`` tells whether a new account was created."""

    id: int
    event: str
    email: str
    name: str
    role: Literal["organizer", "judge"]
    conflicts: list[int]
    invited: bool


class OrganizationList(BaseModel):
    """A page of organizations."""

    items: list[OrganizationOut]
    total: int


class PassesCreate(Strict):
    """How many visitor passes to issue."""

    count: int = Field(ge=1, le=2000)


class ImportOrganizationIn(Strict):
    """The agency of an imported innovation (matched by name and region, or created)."""

    name: str = Field(min_length=1, max_length=250, json_schema_extra=NON_BLANK)
    kind: Literal["government", "bumd", "university", "private"] = "government"
    region: str = Field(default="", max_length=120)


class ImportInnovationIn(Strict):
    """One imported innovation."""

    title: str = Field(min_length=1, max_length=250, json_schema_extra=NON_BLANK)
    summary: str = Field(default="", max_length=20000)
    category: str = Field(default="", max_length=80)
    organization: ImportOrganizationIn


class InnovationsImportIn(Strict):
    """Innovations to create or update (at most 5,000; all of them or none)."""

    items: list[ImportInnovationIn] = Field(min_length=1, max_length=5000)


class InnovationsImportOut(BaseModel):
    """How many innovations were created and updated."""

    created: int
    updated: int


class PassOut(BaseModel):
    """A visitor pass code."""

    code: str


class PassList(BaseModel):
    """The passes just issued."""

    items: list[PassOut]


class OrganizationRef(BaseModel):
    """An organization, by id and name."""

    id: int
    name: str


class InnovationOut(BaseModel):
    """An accepted innovation."""

    id: int
    title: str
    summary: str
    category: str
    year_launched: int | None
    cettar: list[str]
    organization: OrganizationRef
    status: str


class InnovationList(BaseModel):
    """A page of innovations."""

    items: list[InnovationOut]
    total: int


class ErrorBody(BaseModel):
    """What went wrong: a machine code, a human message, and per-field problems."""

    code: str
    message: str
    fields: dict[str, list[str]] = Field(default_factory=dict)


class ErrorOut(BaseModel):
    """Every error answer of the API."""

    error: ErrorBody


def plugin_settings_schema(context: SchemaContext) -> dict[str, Any]:
    """JSON schema of any installed plugin's settings (one alternative per plugin)."""
    alternatives = [
        context.ref(info.settings_model)
        for _name, info in sorted(context.app.extensions["gelar_plugins"].infos.items())
        if info.settings_model is not None
    ]
    if not alternatives:
        return {"type": "object"}
    return {
        "description": "The settings of the plugin named in the path (keys per API.md).",
        "anyOf": alternatives,
    }


def plugins_put_schema(context: SchemaContext) -> dict[str, Any]:
    """JSON schema of :class:`PluginsPut`, naming the installed plugins."""
    names = sorted(context.app.extensions["gelar_plugins"].infos)
    return {
        "title": "PluginsPut",
        "description": PluginsPut.__doc__,
        "type": "object",
        "properties": {
            "enabled": {"type": "array", "items": {"enum": names}, "maxItems": 100},
        },
        "required": ["enabled"],
        "additionalProperties": False,
    }


def event_create_schema(context: SchemaContext) -> dict[str, Any]:
    """JSON schema of :class:`EventCreate`, its ``plugins`` naming the installed plugins."""
    ref = context.ref(EventCreate)
    names = sorted(context.app.extensions["gelar_plugins"].infos)
    context.components["EventCreate"]["properties"]["plugins"]["items"] = {"enum": names}
    return ref
