"""Events (one per year), per-event roles, judge conflicts and enabled plugins."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, sql_in, utcnow

if TYPE_CHECKING:
    from core.models.accounts import Organization

EVENT_STATUSES = ("draft", "published", "archived")
EVENT_ROLES = ("organizer", "judge")


class Event(Base):
    """One edition of an exhibition/symposium/competition, addressed by its slug."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="dates_ordered"),
        CheckConstraint(sql_in("status", EVENT_STATUSES), name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(250))
    year: Mapped[int]
    venue: Mapped[str] = mapped_column(String(250), default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Jakarta")
    status: Mapped[str] = mapped_column(String(16), default="draft")
    description: Mapped[str] = mapped_column(default="")
    cloned_from_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plugins: Mapped[list[EventPlugin]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventPlugin.name"
    )

    @property
    def enabled_plugin_names(self) -> list[str]:
        """Names of the plugins switched on for this event, sorted."""
        return sorted(p.name for p in self.plugins if p.enabled)


class EventRole(Base):
    """A user's role in one event: organizer or judge."""

    __tablename__ = "event_roles"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", "role"),
        CheckConstraint(sql_in("role", EVENT_ROLES), name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[Any] = relationship("User")
    event: Mapped[Event] = relationship()
    conflicts: Mapped[list[JudgeConflict]] = relationship(
        back_populates="event_role", cascade="all, delete-orphan"
    )


class JudgeConflict(Base):
    """An organization a judge declared a conflict of interest with, for one event."""

    __tablename__ = "judge_conflicts"
    __table_args__ = (UniqueConstraint("event_role_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_role_id: Mapped[int] = mapped_column(
        ForeignKey("event_roles.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))

    event_role: Mapped[EventRole] = relationship(back_populates="conflicts")
    organization: Mapped[Organization] = relationship()


class EventPlugin(Base):
    """A plugin's switch and settings for one event (absent row = never enabled)."""

    __tablename__ = "event_plugins"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(default=True)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship(back_populates="plugins")
