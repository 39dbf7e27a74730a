"""Personal data: each event's privacy notice (versioned) and the consents people gave."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, utcnow

# Optional uses of personal data a form may ask consent for (each its own unticked box).
CONSENT_PURPOSES = ("photos", "newsletter")


class PrivacyNotice(Base):
    """An event's privacy notice as the organizer edited it (absent row: the default).

    ``version`` rises with every change; consents record the version they were given under.
    """

    __tablename__ = "privacy_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    controller: Mapped[str] = mapped_column(String(250))
    contact_email: Mapped[str] = mapped_column(String(254))
    purposes: Mapped[list[Any]] = mapped_column(default=list)
    retention_days: Mapped[int] = mapped_column(default=365)
    notice: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Consent(Base):
    """A person's consent to one optional use of their data, under a notice version.

    Identified by account (``user_id``) or, for people without one, by ``email``.
    Withdrawing sets ``withdrawn_at``; erasure deletes the row.
    """

    __tablename__ = "privacy_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(254))
    purpose: Mapped[str] = mapped_column(String(40))
    version: Mapped[int]
    given_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]
