"""Registration settings per event: the window, quotas, categories, terms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator
from wtforms import DateTimeLocalField, IntegerField, TextAreaField
from wtforms.validators import NumberRange, Optional, ValidationError

from core.forms import PluginSettingsForm
from core.plugin_helpers import from_event_local, to_event_local

DEFAULT_CATEGORIES = [
    "Administrasi & Perizinan",
    "Kesehatan",
    "Pendidikan",
    "Ekonomi & UMKM",
    "Infrastruktur",
    "Lingkungan Hidup",
    "Perlindungan Sosial",
    "Tata Kelola & Transparansi",
]


class RegistrationSettings(BaseModel):
    """Validated settings (the API's JSON and the console form both end here)."""

    model_config = ConfigDict(extra="forbid")

    opens_at: AwareDatetime | None = None
    closes_at: AwareDatetime | None = None
    exhibitor_quota: int | None = Field(default=None, ge=1, le=100000)
    max_innovations_per_organization: int = Field(default=3, ge=1, le=100)
    categories: list[str] = Field(default_factory=lambda: list(DEFAULT_CATEGORIES), min_length=1)
    terms: str = Field(default="", max_length=20000)

    @model_validator(mode="after")
    def _window_ordered(self) -> RegistrationSettings:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValueError("closes_at must be after opens_at")
        cleaned = [c.strip() for c in self.categories if c.strip()]
        if len(set(cleaned)) != len(cleaned) or not cleaned:
            raise ValueError("categories must be distinct and non-empty")
        self.categories = cleaned
        return self

    def window_state(self, now: datetime) -> str:
        """``not_scheduled``, ``upcoming``, ``open`` or ``closed`` at ``now``."""
        if self.opens_at is None:
            return "not_scheduled"
        if now < self.opens_at:
            return "upcoming"
        if self.closes_at is not None and now >= self.closes_at:
            return "closed"
        return "open"


class RegistrationSettingsForm(PluginSettingsForm):
    opens_at = DateTimeLocalField(_l("Registration opens"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    closes_at = DateTimeLocalField(_l("Registration closes"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    exhibitor_quota = IntegerField(
        _l("Exhibitor quota (empty: no limit)"), validators=[Optional(), NumberRange(min=1)]
    )
    max_innovations_per_organization = IntegerField(
        _l("Innovations per organization"), validators=[NumberRange(min=1, max=100)]
    )
    categories = TextAreaField(_l("Categories (one per line)"))
    terms = TextAreaField(_l("Terms exhibitors accept"), validators=[Optional()])

    def validate_closes_at(self, field: DateTimeLocalField) -> None:
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("Registration must close after it opens."))

    def validate_categories(self, field: TextAreaField) -> None:
        if not _lines(field.data):
            raise ValidationError(_l("Give at least one category."))

    @classmethod
    def from_settings(cls, settings: dict[str, Any], event: Any) -> dict[str, Any]:
        return {
            **settings,
            "opens_at": to_event_local(settings.get("opens_at"), event.timezone),
            "closes_at": to_event_local(settings.get("closes_at"), event.timezone),
            "categories": "\n".join(settings.get("categories") or []),
        }

    def to_settings(self, event: Any) -> dict[str, Any]:
        return {
            "opens_at": from_event_local(self.opens_at.data, event.timezone),
            "closes_at": from_event_local(self.closes_at.data, event.timezone),
            "exhibitor_quota": self.exhibitor_quota.data,
            "max_innovations_per_organization": self.max_innovations_per_organization.data,
            "categories": _lines(self.categories.data),
            "terms": self.terms.data or "",
        }


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
