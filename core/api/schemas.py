"""Pydantic models of the core API's request and response bodies (also the OpenAPI schemas)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Request bodies reject unknown keys so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid")


class TokenRequest(Strict):
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=1000)


class TokenResponse(BaseModel):
    token: str
    expires_at: datetime


class RoleOut(BaseModel):
    event: str
    role: str


class OrganizationOut(BaseModel):
    id: int
    name: str
    kind: str
    region: str


class MeOut(BaseModel):
    id: int
    email: str
    name: str
    is_admin: bool
    roles: list[RoleOut]
    organizations: list[OrganizationOut]


class EventOut(BaseModel):
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
    items: list[EventOut]
    total: int


class EventCreate(Strict):
    slug: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=250)
    year: int = Field(ge=1900, le=2200)
    venue: str = Field(default="", max_length=250)
    starts_on: date
    ends_on: date
    timezone: str = Field(default="Asia/Jakarta", max_length=64)
    plugins: list[str] = Field(default_factory=list)


class EventPatch(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=250)
    year: int | None = Field(default=None, ge=1900, le=2200)
    venue: str | None = Field(default=None, max_length=250)
    starts_on: date | None = None
    ends_on: date | None = None
    timezone: str | None = Field(default=None, max_length=64)
    status: Literal["draft", "published", "archived"] | None = None


class PluginsPut(Strict):
    enabled: list[str]


class PluginsOut(BaseModel):
    enabled: list[str]


class CloneRequest(Strict):
    slug: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=250)
    year: int = Field(ge=1900, le=2200)
    starts_on: date
    ends_on: date
    venue: str | None = Field(default=None, max_length=250)


class RoleCreate(Strict):
    email: str = Field(min_length=3, max_length=254)
    role: Literal["organizer", "judge"]
    name: str | None = Field(default=None, max_length=200)
    conflicts: list[int] | None = None


class RoleCreated(BaseModel):
    id: int
    event: str
    email: str
    name: str
    role: str
    conflicts: list[int]
    invited: bool


class OrganizationList(BaseModel):
    items: list[OrganizationOut]
    total: int


class PassesCreate(Strict):
    count: int = Field(ge=1, le=2000)


class PassOut(BaseModel):
    code: str


class PassList(BaseModel):
    items: list[PassOut]


class OrganizationRef(BaseModel):
    id: int
    name: str


class InnovationOut(BaseModel):
    id: int
    title: str
    summary: str
    category: str
    year_launched: int | None
    cettar: list[str]
    organization: OrganizationRef
    status: str


class InnovationList(BaseModel):
    items: list[InnovationOut]
    total: int


class ErrorBody(BaseModel):
    code: str
    message: str
    fields: dict[str, list[str]] = Field(default_factory=dict)


class ErrorOut(BaseModel):
    error: ErrorBody
