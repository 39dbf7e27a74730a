"""Shared counters that tell every process when what it cached has changed."""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base


class StateVersion(Base):
    """A named counter, raised in the same transaction as the change it announces.

    ``events``: raised by every commit that changed an event or a plugin switch or setting;
    the lean views' event cache (:mod:`core.event_cache`) of every worker compares it.
    """

    __tablename__ = "state_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
