"""Voting settings per event: scoring and results switches, ranking method, public vote."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from flask_babel import lazy_gettext as _l
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from wtforms import BooleanField, DateTimeLocalField, DecimalField, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from core.cettar import CETTAR
from core.forms import PluginSettingsForm
from core.plugin_helpers import from_event_local, to_event_local

# The default rubric: the East Java CETTAR values (key, Indonesian label, English label),
# from core's one definition.
CETTAR_CRITERIA = tuple((v.key, v.label_id, v.label_en) for v in CETTAR)


class VotingSettings(BaseModel):
    """Validated voting settings."""

    model_config = ConfigDict(extra="forbid")

    scoring_open: bool = False
    results_published: bool = False
    method: Literal["raw", "normalized"] = "normalized"
    public_voting_opens_at: AwareDatetime | None = None
    public_voting_closes_at: AwareDatetime | None = None
    public_weight: float = Field(default=0.0, ge=0.0, le=1.0)

    @field_validator("public_voting_closes_at")
    @classmethod
    def _window_ordered(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        opens = info.data.get("public_voting_opens_at")
        if value is not None and opens is not None and value <= opens:
            raise ValueError("public_voting_closes_at must be after public_voting_opens_at")
        return value


class VotingSettingsForm(PluginSettingsForm):
    scoring_open = BooleanField(_l("Judges may score"))
    results_published = BooleanField(_l("Results are public"))
    method = SelectField(
        _l("Official ranking"),
        choices=[
            ("normalized", _l("Normalised scores (corrects harsh and lenient judges)")),
            ("raw", _l("Raw mean")),
        ],
    )
    public_voting_opens_at = DateTimeLocalField(
        _l("Public vote opens"), validators=[Optional()], format="%Y-%m-%dT%H:%M"
    )
    public_voting_closes_at = DateTimeLocalField(
        _l("Public vote closes"), validators=[Optional()], format="%Y-%m-%dT%H:%M"
    )
    public_weight = DecimalField(
        _l("Share of the public vote in the final score (0 to 1)"),
        places=2,
        validators=[NumberRange(0, 1)],
    )

    def validate_public_voting_closes_at(self, field: DateTimeLocalField) -> None:
        opens = self.public_voting_opens_at.data
        if field.data and opens and field.data <= opens:
            raise ValidationError(_l("The vote must close after it opens."))

    @classmethod
    def from_settings(cls, settings: dict[str, Any], event: Any) -> dict[str, Any]:
        return {
            **settings,
            "public_voting_opens_at": to_event_local(
                settings.get("public_voting_opens_at"), event.timezone
            ),
            "public_voting_closes_at": to_event_local(
                settings.get("public_voting_closes_at"), event.timezone
            ),
        }

    def to_settings(self, event: Any) -> dict[str, Any]:
        return {
            "scoring_open": bool(self.scoring_open.data),
            "results_published": bool(self.results_published.data),
            "method": self.method.data,
            "public_voting_opens_at": from_event_local(
                self.public_voting_opens_at.data, event.timezone
            ),
            "public_voting_closes_at": from_event_local(
                self.public_voting_closes_at.data, event.timezone
            ),
            "public_weight": float(self.public_weight.data or 0),
        }


# What each CETTAR value asks of an innovation (shown to judges next to the scale); the
# criterion has one description field, so the default is the Indonesian one.
CETTAR_DESCRIPTIONS = {v.key: v.description_id for v in CETTAR}
