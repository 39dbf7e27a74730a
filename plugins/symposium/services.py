"""Symposium logic with no Flask request in it: the programme's days and hours."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from plugins.symposium.settings import SymposiumSettings


def programme_days(event: Any) -> list[date]:
    """Every day of ``event``, first to last."""
    span = (event.ends_on - event.starts_on).days
    return [event.starts_on + timedelta(days=offset) for offset in range(span + 1)]


def programme_minutes_per_day(settings: SymposiumSettings) -> int:
    """Minutes between ``day_starts`` and ``day_ends``."""
    starts = datetime.strptime(settings.day_starts, "%H:%M")
    ends = datetime.strptime(settings.day_ends, "%H:%M")
    return int((ends - starts).total_seconds() // 60)
