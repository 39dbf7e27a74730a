"""Symposium tables: rooms, tracks, sessions, speakers, availability, stars, versions, sign-ups.

Invariants the database keeps by itself: a room name and a track name are unique per event,
a speaker's e-mail is unique per event (``NULL`` when unknown), durations are positive,
capacities and audiences are not negative, a session is placed with both a room and a start
or with neither, availability windows end after they start, a user stars or signs up for a
session once, and version numbers are unique per event.  Double-booking is prevented by the
placement service, which locks the event's row (``FOR UPDATE``) before checking.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, sql_in, utcnow

SESSION_KINDS = ("keynote", "panel", "talk", "workshop")
SIGNUP_STATUSES = ("confirmed", "waitlisted")


class Room(Base):
    """A room of the symposium venue with its number of seats."""

    __tablename__ = "symposium_rooms"
    __table_args__ = (
        UniqueConstraint("event_id", "name"),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)


class Track(Base):
    """A theme that groups sessions (shown as a colour on the agenda)."""

    __tablename__ = "symposium_tracks"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    color: Mapped[str] = mapped_column(String(16), default="#1f6feb")


class Speaker(Base):
    """A person who speaks in one or more sessions of an event."""

    __tablename__ = "symposium_speakers"
    __table_args__ = (
        UniqueConstraint("event_id", "email"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    affiliation: Mapped[str] = mapped_column(String(250), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    photo_url: Mapped[str] = mapped_column(String(500), default="")

    availability: Mapped[list[Availability]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan", order_by="Availability.starts_at"
    )


class Availability(Base):
    """A window in which a speaker can speak; a speaker without windows is always available."""

    __tablename__ = "symposium_availability"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="window_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("symposium_speakers.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]

    speaker: Mapped[Speaker] = relationship(back_populates="availability")


class Session(Base):
    """A keynote, panel, talk or workshop; placed when it has a room and a start."""

    __tablename__ = "symposium_sessions"
    __table_args__ = (
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        CheckConstraint("expected_audience >= 0", name="audience_not_negative"),
        CheckConstraint(sql_in("kind", SESSION_KINDS), name="kind_known"),
        CheckConstraint(
            "(room_id IS NULL) = (starts_at IS NULL)",
            name="placed_fully",
        ),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        UniqueConstraint("uid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Never reused, unlike SQLite's ids: the key of iCal UIDs and of published versions.
    uid: Mapped[str] = mapped_column(String(32), default=lambda: uuid.uuid4().hex)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(250))
    kind: Mapped[str] = mapped_column(String(16), default="talk")
    abstract: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(8), default="id")
    duration_minutes: Mapped[int]
    expected_audience: Mapped[int] = mapped_column(default=0)
    track_id: Mapped[int | None] = mapped_column(
        ForeignKey("symposium_tracks.id", ondelete="SET NULL"), index=True
    )
    room_id: Mapped[int | None] = mapped_column(
        ForeignKey("symposium_rooms.id", ondelete="RESTRICT"), index=True
    )
    starts_at: Mapped[datetime | None]
    fixed: Mapped[bool] = mapped_column(default=False)
    signup_required: Mapped[bool] = mapped_column(default=False)
    capacity: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    room: Mapped[Room | None] = relationship()
    track: Mapped[Track | None] = relationship()
    links: Mapped[list[SessionSpeaker]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionSpeaker.position"
    )

    @property
    def speakers(self) -> list[Speaker]:
        """The session's speakers in billing order."""
        return [link.speaker for link in self.links]

    @property
    def ends_at(self) -> datetime | None:
        """When the session ends (``None`` while unscheduled)."""
        if self.starts_at is None:
            return None
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class SessionSpeaker(Base):
    """Links a speaker to a session (one person may speak in several sessions)."""

    __tablename__ = "symposium_session_speakers"
    __table_args__ = (UniqueConstraint("session_id", "speaker_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("symposium_sessions.id", ondelete="CASCADE"), index=True
    )
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("symposium_speakers.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)

    session: Mapped[Session] = relationship(back_populates="links")
    speaker: Mapped[Speaker] = relationship()


class Star(Base):
    """A session a signed-in user put on their personal agenda."""

    __tablename__ = "symposium_stars"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("symposium_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScheduleVersion(Base):
    """A published schedule: numbered per event, with its snapshot and what changed."""

    __tablename__ = "symposium_versions"
    __table_args__ = (
        UniqueConstraint("event_id", "number"),
        CheckConstraint("number > 0", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    comment: Mapped[str] = mapped_column(String(500), default="")
    items: Mapped[list[Any]] = mapped_column(default=list)
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)


class Signup(Base):
    """A user's seat (or place on the wait list) in a session that requires sign-up."""

    __tablename__ = "symposium_signups"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        CheckConstraint(sql_in("status", SIGNUP_STATUSES), name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("symposium_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContentStamp(Base):
    """A per-event counter raised by every change that public programme pages show.

    The public pages, the schedule JSON and the iCal feeds are cached under a key holding
    this number (see :mod:`plugins.symposium.page_cache`): reading it is the one statement a
    cached answer costs, and a change committed by any worker is seen by every worker on its
    next request.  Raised by :mod:`plugins.symposium.stamps` in the writing transaction.
    """

    __tablename__ = "symposium_content_stamps"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    counter: Mapped[int] = mapped_column(default=1)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
