"""Registration settings per event: the window, quotas, categories, terms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from wtforms import DateTimeLocalField, IntegerField, TextAreaField
from wtforms.validators import NumberRange, Optional, ValidationError

from core.forms import PluginSettingsForm
from core.plugin_helpers import from_event_local, to_event_local

MAX_CATEGORY_LENGTH = 80  # innovations.category is a String(80)
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
    categories: list[str] = Field(
        default_factory=lambda: list(DEFAULT_CATEGORIES), min_length=1, max_length=50
    )
    terms: str = Field(default="", max_length=20000)

    @field_validator("closes_at")
    @classmethod
    def _window_ordered(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        opens = info.data.get("opens_at")
        if value is not None and opens is not None and value <= opens:
            raise ValueError("closes_at must be after opens_at")
        return value

    @field_validator("categories")
    @classmethod
    def _categories_clean(cls, value: list[str]) -> list[str]:
        cleaned = [c.strip() for c in value if c.strip()]
        if not cleaned:
            raise ValueError("give at least one category")
        if len(set(cleaned)) != len(cleaned):
            raise ValueError("categories must be distinct")
        if any(len(c) > MAX_CATEGORY_LENGTH for c in cleaned):
            raise ValueError(f"a category has at most {MAX_CATEGORY_LENGTH} characters")
        return cleaned

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
    opens_at = DateTimeLocalField(
        _l("Registration opens"), validators=[Optional()], format="%Y-%m-%dT%H:%M"
    )
    closes_at = DateTimeLocalField(
        _l("Registration closes"), validators=[Optional()], format="%Y-%m-%dT%H:%M"
    )
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
