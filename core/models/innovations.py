"""Innovations: shared by registration (submits), exhibitors (shows) and voting (scores)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.cettar import CETTAR_KEYS
from core.db import Base, sql_in, utcnow
from core.models.accounts import Organization

INNOVATION_STATUSES = ("draft", "submitted", "accepted", "rejected", "withdrawn")
CETTAR_VALUES = CETTAR_KEYS  # one definition: core.cettar


class Innovation(Base):
    """A public-service innovation an organization brings to one event."""

    __tablename__ = "innovations"
    __table_args__ = (CheckConstraint(sql_in("status", INNOVATION_STATUSES), name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(250))
    summary: Mapped[str] = mapped_column(default="")
    category: Mapped[str] = mapped_column(String(80), default="", index=True)
    year_launched: Mapped[int | None]
    cettar: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="submitted", index=True)
    document_upload_id: Mapped[int | None] = mapped_column(
        ForeignKey("uploads.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship()
