"""Symposium settings per event: the programme's day and the speakers' buffer."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, NumberRange, Regexp

from core.forms import PluginSettingsForm

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class SymposiumSettings(BaseModel):
    """Validated symposium settings; times are ``HH:MM`` in the event's zone."""

    model_config = ConfigDict(extra="forbid")

    day_starts: str = "08:00"
    day_ends: str = "17:00"
    buffer_minutes: int = Field(default=10, ge=0, le=240)

    @field_validator("day_starts", "day_ends")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not _HHMM.match(value):
            raise ValueError("use HH:MM, 24-hour")
        return value

    @field_validator("day_ends")
    @classmethod
    def _ordered(cls, value: str, info: ValidationInfo) -> str:
        starts = info.data.get("day_starts")
        if starts is not None and value <= starts:
            raise ValueError("day_ends must be after day_starts")
        return value


class SymposiumSettingsForm(PluginSettingsForm):
    day_starts = StringField(
        _l("Programme starts (HH:MM)"), validators=[DataRequired(), Regexp(_HHMM.pattern)]
    )
    day_ends = StringField(
        _l("Programme ends (HH:MM)"), validators=[DataRequired(), Regexp(_HHMM.pattern)]
    )
    buffer_minutes = IntegerField(
        _l("Speaker buffer between sessions (minutes)"), validators=[NumberRange(0, 240)]
    )
