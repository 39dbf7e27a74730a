"""Console and portal forms of the exhibitors plugin."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional


class ZoneForm(FlaskForm):
    """A zone and the agencies it prefers."""

    name = StringField(_l("Zone name"), validators=[DataRequired(), Length(max=60)])
    preferred_kind = SelectField(
        _l("Preferred kind of agency"),
        choices=[
            SelectChoice("", _l("Any")),
            SelectChoice("government", _l("Government")),
            SelectChoice("bumd", _l("Regional enterprise (BUMD)")),
            SelectChoice("university", _l("University")),
            SelectChoice("private", _l("Private")),
        ],
        validators=[Optional()],
    )
    preferred_category = StringField(
        _l("Preferred innovation category"), validators=[Optional(), Length(max=80)]
    )


class BoothForm(FlaskForm):
    """A booth on the grid (metres)."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20)])
    zone = StringField(_l("Zone"), validators=[Optional(), Length(max=60)])
    x = IntegerField(_l("X (metres from the left)"), validators=[InputRequired(), NumberRange(0)])
    y = IntegerField(_l("Y (metres from the top)"), validators=[InputRequired(), NumberRange(0)])
    width = IntegerField(_l("Width (metres)"), validators=[InputRequired(), NumberRange(1)])
    height = IntegerField(_l("Depth (metres)"), validators=[InputRequired(), NumberRange(1)])


class CsvForm(FlaskForm):
    """A CSV file to import."""

    file = FileField(_l("CSV file"), validators=[FileRequired()])


class AssignForm(FlaskForm):
    """Give a booth to an exhibitor by hand."""

    booth = SelectField(_l("Booth"), validators=[DataRequired()])
    organization = SelectField(_l("Exhibitor"), coerce=int, validators=[DataRequired()])


class SwapForm(FlaskForm):
    """Exchange the exhibitors of two booths."""

    first = SelectField(_l("First booth"), validators=[DataRequired()])
    second = SelectField(_l("Second booth"), validators=[DataRequired()])


class ProfileForm(FlaskForm):
    """An exhibitor's public profile."""

    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=300)])
    instagram = StringField(_l("Instagram"), validators=[Optional(), Length(max=300)])
    facebook = StringField(_l("Facebook"), validators=[Optional(), Length(max=300)])
    x = StringField(_l("X (Twitter)"), validators=[Optional(), Length(max=300)])
    youtube = StringField(_l("YouTube"), validators=[Optional(), Length(max=300)])
    staff_on_duty = TextAreaField(
        _l("Staff on duty (one name per line)"), validators=[Optional(), Length(max=3000)]
    )
    logo = FileField(_l("Logo (PNG or JPEG, at most 5 MB; shown at most 512 px)"))


def choices(pairs: list[tuple[object, str]]) -> list[SelectChoice]:
    """Select choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]  # type: ignore[arg-type]
