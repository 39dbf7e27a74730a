"""Exhibitor tables: zones and booths of the floor plan, exhibitor profiles, search entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, utcnow
from core.models import Organization


class Zone(Base):
    """A named area of the hall; may prefer agencies of one kind or one category."""

    __tablename__ = "exhibitors_zones"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    preferred_kind: Mapped[str | None] = mapped_column(String(40))
    preferred_category: Mapped[str | None] = mapped_column(String(80))


class Booth(Base):
    """A rectangle on the floor grid (metres), optionally given to one organization."""

    __tablename__ = "exhibitors_booths"
    __table_args__ = (
        UniqueConstraint("event_id", "code"),
        UniqueConstraint("event_id", "organization_id"),
        CheckConstraint("x >= 0 AND y >= 0", name="position_not_negative"),
        CheckConstraint("width > 0 AND height > 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    zone: Mapped[str] = mapped_column(String(60), default="")
    x: Mapped[int]
    y: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    assigned_manually: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization | None] = relationship()


class ExhibitorProfile(Base):
    """What an organization tells visitors about itself at one event."""

    __tablename__ = "exhibitors_profiles"
    __table_args__ = (UniqueConstraint("event_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(default="")
    website: Mapped[str | None] = mapped_column(String(300))
    social_links: Mapped[dict[str, Any]] = mapped_column(default=dict)
    staff_on_duty: Mapped[list[Any]] = mapped_column(default=list)
    logo_upload_id: Mapped[int | None] = mapped_column(
        ForeignKey("uploads.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SearchEntry(Base):
    """An innovation's text folded for search (lower case, no accents), one row each.

    ``source_updated_at`` and ``agency`` tell whether the entry is stale: the innovation
    changed, or its organization was renamed.
    """

    __tablename__ = "exhibitors_search_entries"

    innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(default="")
    agency: Mapped[str] = mapped_column(default="")
    body: Mapped[str] = mapped_column(default="")
    cettar: Mapped[str] = mapped_column(String(120), default="")
    agency_source: Mapped[str] = mapped_column(String(250), default="")
    source_updated_at: Mapped[datetime]
