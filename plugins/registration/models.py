"""Registration tables: an organization's registration for an event and its innovations.

Decisions written down here:

* Innovations live in core's ``innovations`` table (status draft → submitted → accepted /
  rejected / withdrawn) so the exhibitors and voting plugins see them without importing
  this plugin; ``registration_innovations`` links them to the registration.
* One live registration per organization and event: a partial unique index over
  (event, organization) for every status except ``draft`` and ``withdrawn`` (abandoned
  drafts never block a real registration; a withdrawn agency may register again).
* The exhibitor quota is enforced by locking the event's ``event_plugins`` row of this
  plugin (``SELECT … FOR UPDATE``; SQLite's write transactions are serialised by
  ``BEGIN IMMEDIATE``) and counting approved registrations under that lock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, sql_in, utcnow
from core.models import Innovation, Organization

REGISTRATION_STATUSES = ("draft", "pending", "approved", "rejected", "waitlisted", "withdrawn")
DECISION_STATUSES = ("approved", "rejected", "waitlisted")
# Statuses that hold the organization's one place per event (see the partial unique index).
LIVE_STATUSES = ("pending", "approved", "rejected", "waitlisted")
_LIVE_WHERE = text(sql_in("status", LIVE_STATUSES))


class Registration(Base):
    """An organization's registration for one event, filled in by its contact person."""

    __tablename__ = "registration_registrations"
    __table_args__ = (
        CheckConstraint(sql_in("status", REGISTRATION_STATUSES), name="status_known"),
        Index(
            "ix_registration_registrations_one_live_per_organization",
            "event_id",
            "organization_id",
            unique=True,
            sqlite_where=_LIVE_WHERE,
            postgresql_where=_LIVE_WHERE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    contact_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Whether this registration created its agency (rather than naming an existing one):
    # only then may approval make the contact a member without anyone's confirmation.
    created_organization: Mapped[bool] = mapped_column(default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    reason: Mapped[str] = mapped_column(default="")
    notes: Mapped[str] = mapped_column(default="")
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    terms_accepted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None]
    offered_at: Mapped[datetime | None]

    organization: Mapped[Organization] = relationship()
    links: Mapped[list[RegistrationInnovation]] = relationship(
        back_populates="registration",
        cascade="all, delete-orphan",
        order_by="RegistrationInnovation.position",
    )

    @property
    def innovations(self) -> list[Innovation]:
        """The registration's innovations in the order the exhibitor gave them."""
        return [link.innovation for link in self.links]

    @property
    def innovation_ids(self) -> list[int]:
        """Ids of the registration's innovations (for ``on_registration_decided``)."""
        return [link.innovation_id for link in self.links]


class RegistrationInnovation(Base):
    """Links a registration to one of its innovations (a core ``innovations`` row)."""

    __tablename__ = "registration_innovations"
    __table_args__ = (UniqueConstraint("innovation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey(
            "registration_registrations.id",
            ondelete="CASCADE",
            name="fk_registration_innovations_registration_id",  # the default is > 63 chars
        ),
        index=True,
    )
    innovation_id: Mapped[int] = mapped_column(ForeignKey("innovations.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)

    registration: Mapped[Registration] = relationship(back_populates="links")
    innovation: Mapped[Innovation] = relationship()


class RegistrationDocument(Base):
    """A labelled document a registration uploaded for an eligibility rule (issue 15).

    ``key`` is one of the event's ``eligibility.required_documents``; one upload per key.
    """

    __tablename__ = "registration_documents"
    __table_args__ = (UniqueConstraint("registration_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey(
            "registration_registrations.id",
            ondelete="CASCADE",
            name="fk_registration_documents_registration_id",
        ),
        index=True,
    )
    key: Mapped[str] = mapped_column(String(40))
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
