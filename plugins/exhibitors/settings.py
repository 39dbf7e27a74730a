"""Exhibitor settings per event: the hall's size for the floor plan."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ConfigDict, Field
from wtforms import BooleanField, IntegerField
from wtforms.validators import NumberRange

from core.forms import PluginSettingsForm


class ExhibitorSettings(BaseModel):
    """Validated exhibitor settings."""

    model_config = ConfigDict(extra="forbid")

    floor_width: int = Field(default=60, ge=5, le=1000)
    floor_depth: int = Field(default=40, ge=5, le=1000)
    catalogue_public: bool = True


class ExhibitorSettingsForm(PluginSettingsForm):
    floor_width = IntegerField(_l("Floor width (metres)"), validators=[NumberRange(5, 1000)])
    floor_depth = IntegerField(_l("Floor depth (metres)"), validators=[NumberRange(5, 1000)])
    catalogue_public = BooleanField(_l("Catalogue visible to the public"))
