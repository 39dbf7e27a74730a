"""Innovations: shared by registration (submits), exhibitors (shows) and voting (scores)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.cettar import CETTAR_KEYS
from core.db import Base, sql_in, utcnow
from core.models.accounts import Organization

INNOVATION_STATUSES = ("draft", "submitted", "accepted", "rejected", "withdrawn")
CETTAR_VALUES = CETTAR_KEYS  # one definition: core.cettar


class InnovationIdentity(Base):
    """An innovation across the years: one row however many editions it is entered in.

    Each ``innovations`` row is one *entry* of an identity in one event (its status, stage
    reached, rank and awards that year); an identity outlives the events it was in.
    """

    __tablename__ = "innovation_identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(250))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization] = relationship()


class Innovation(Base):
    """A public-service innovation an organization brings to one event (one entry).

    ``identity_id`` ties the entries of the same innovation across editions (at most one
    entry per identity and event); ``replicates_id`` names the identity of another agency's
    innovation this one adopted.  Rows written before identities existed, or by a bulk
    import, may have no identity yet: :func:`core.services.history.ensure_identity` gives
    one on first need.
    """

    __tablename__ = "innovations"
    __table_args__ = (
        CheckConstraint(sql_in("status", INNOVATION_STATUSES), name="status_known"),
        Index("ix_innovations_one_entry_per_event", "event_id", "identity_id", unique=True),
    )

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
    identity_id: Mapped[int | None] = mapped_column(
        ForeignKey("innovation_identities.id", ondelete="RESTRICT"), index=True
    )
    #: The day the innovation started serving (eligibility's minimum months in operation).
    launched_on: Mapped[date | None]
    replicates_id: Mapped[int | None] = mapped_column(
        ForeignKey("innovation_identities.id", ondelete="SET NULL"), index=True
    )

    organization: Mapped[Organization] = relationship()
    identity: Mapped[InnovationIdentity | None] = relationship(foreign_keys=[identity_id])


class Award(Base):
    """An award an entry received in its event ("Top 45", "Juara I", "Pilihan Publik").

    Recorded by the organizers; shown to the public once ``published``.  ``rank`` orders
    awards of the same title (1 for "Juara I"); empty when the award has no place.
    """

    __tablename__ = "innovation_awards"
    __table_args__ = (UniqueConstraint("innovation_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    rank: Mapped[int | None]
    published: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    innovation: Mapped[Innovation] = relationship()
