"""Forms of the timetable editor and the public agenda (Flask-WTF, CSRF on)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from plugins.symposium.models import SESSION_KINDS

HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class PlaceForm(FlaskForm):
    """Place or move a session: room, day and start time in the event's zone."""

    session_id = HiddenField(validators=[DataRequired()])
    room = SelectField(_l("Room"), coerce=int)
    day = SelectField(_l("Day"))
    time = StringField(
        _l("Start (HH:MM)"),
        validators=[DataRequired(), Regexp(HHMM.pattern, message=_l("Use HH:MM, 24-hour."))],
    )
    duration_minutes = IntegerField(
        _l("New duration in minutes (empty: keep)"),
        validators=[Optional(), NumberRange(1, 24 * 60)],
    )


class UnscheduleForm(FlaskForm):
    """Take a session off the timetable."""

    session_id = HiddenField(validators=[DataRequired()])


class SessionForm(FlaskForm):
    """A new session with one speaker (more speakers through the API)."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=250)])
    kind = SelectField(_l("Kind"), choices=[(k, k) for k in SESSION_KINDS])
    duration_minutes = IntegerField(
        _l("Duration (minutes)"), validators=[DataRequired(), NumberRange(1, 24 * 60)]
    )
    expected_audience = IntegerField(
        _l("Expected audience"), default=0, validators=[Optional(), NumberRange(0)]
    )
    abstract = TextAreaField(_l("Abstract"), validators=[Optional(), Length(max=20_000)])
    speaker_name = StringField(_l("Speaker"), validators=[Optional(), Length(max=200)])
    speaker_email = StringField(_l("Speaker e-mail"), validators=[Optional(), Length(max=254)])
    speaker_affiliation = StringField(
        _l("Speaker affiliation"), validators=[Optional(), Length(max=250)]
    )
    fixed = BooleanField(_l("Fixed (the automatic scheduler never moves it)"))


class RoomForm(FlaskForm):
    """A new room."""

    name = StringField(_l("Room name"), validators=[DataRequired(), Length(max=120)])
    capacity = IntegerField(_l("Seats"), validators=[DataRequired(), NumberRange(0, 100_000)])


class ActionForm(FlaskForm):
    """A button with only a CSRF token (auto-schedule, publish, star, sign up)."""

    comment = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


class SpeakerForm(FlaskForm):
    """A speaker's details (the photo as an http(s) address or an uploaded PNG/JPEG)."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    affiliation = StringField(_l("Affiliation"), validators=[Optional(), Length(max=250)])
    bio = TextAreaField(_l("Biography"), validators=[Optional(), Length(max=20_000)])
    photo_url = StringField(
        _l("Photo URL (http:// or https://)"), validators=[Optional(), Length(max=500)]
    )
    photo = FileField(
        _l("Photo (PNG or JPEG, at most 5 MB; shown at most 400 px)"),
        render_kw={"accept": "image/png,image/jpeg"},
    )


class WindowForm(FlaskForm):
    """An availability window on one programme day, in the event's zone."""

    day = SelectField(_l("Day"))
    starts = StringField(
        _l("From (HH:MM)"),
        validators=[DataRequired(), Regexp(HHMM.pattern, message=_l("Use HH:MM, 24-hour."))],
    )
    ends = StringField(
        _l("Until (HH:MM)"),
        validators=[DataRequired(), Regexp(HHMM.pattern, message=_l("Use HH:MM, 24-hour."))],
    )


class TrackForm(FlaskForm):
    """A track's name and colour."""

    name = StringField(_l("Track name"), validators=[DataRequired(), Length(max=120)])
    color = StringField(
        _l("Colour (#rrggbb)"),
        default="#1f6feb",
        validators=[
            DataRequired(),
            Regexp(r"^#[0-9a-fA-F]{6}$", message=_l("Use #rrggbb, e.g. #1f6feb.")),
        ],
    )
