"""Core's WTForms forms (accounts, event settings, console actions)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from core.models import EVENT_STATUSES


class SignInForm(FlaskForm):
    """Sign in with e-mail and password."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in"))
    next = HiddenField()


class SignUpForm(FlaskForm):
    """Create an account."""

    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=8, max=1000)])
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(), EqualTo("password", _l("Passwords do not match."))],
    )


class ForgotPasswordForm(FlaskForm):
    """Ask for a password-reset link."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])


class VerifyEmailForm(FlaskForm):
    """Confirm an e-mail from the mailed link with the password chosen at sign-up."""

    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)])


class ResendVerificationForm(FlaskForm):
    """Ask for a new e-mail confirmation link."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])


class SetPasswordForm(FlaskForm):
    """Choose a password (reset link or invitation)."""

    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=8, max=1000)]
    )
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(), EqualTo("password", _l("Passwords do not match."))],
    )


class EventForm(FlaskForm):
    """An event's editable settings; the end may not come before the start."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=250)])
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(1900, 2200)])
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=250)])
    starts_on = DateField(_l("First day"), validators=[InputRequired()])
    ends_on = DateField(_l("Last day"), validators=[InputRequired()])
    timezone = SelectField(
        _l("Time zone"),
        choices=[
            ("Asia/Jakarta", "WIB — Asia/Jakarta"),
            ("Asia/Makassar", "WITA — Asia/Makassar"),
            ("Asia/Jayapura", "WIT — Asia/Jayapura"),
            ("UTC", "UTC"),
        ],
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])

    def validate_ends_on(self, field: DateField) -> None:
        """The last day may not come before the first."""
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The event cannot end before it starts."))


class NewEventForm(EventForm):
    """A new event: its settings plus the address (slug)."""

    slug = StringField(
        _l("Address (slug)"),
        validators=[DataRequired(), Length(max=64)],
        description=_l("Lowercase letters, digits and dashes, e.g. jatim-2027."),
    )


class CloneEventForm(FlaskForm):
    """Next year's copy of an event: address, name, year and dates."""

    slug = StringField(_l("Address (slug)"), validators=[DataRequired(), Length(max=64)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=250)])
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(1900, 2200)])
    starts_on = DateField(_l("First day"), validators=[InputRequired()])
    ends_on = DateField(_l("Last day"), validators=[InputRequired()])

    def validate_ends_on(self, field: DateField) -> None:
        """The last day may not come before the first."""
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The event cannot end before it starts."))


class StatusForm(FlaskForm):
    """Publish, archive or return an event to draft."""

    status = SelectField(_l("Status"), choices=[(s, s) for s in EVENT_STATUSES])


class PluginToggleForm(FlaskForm):
    """Switch one plugin on (``enabled=1``) or off for an event."""

    plugin = HiddenField(validators=[DataRequired()])
    enabled = HiddenField(validators=[DataRequired()])


class AppointForm(FlaskForm):
    """Appoint an organizer or judge by e-mail, with a judge's conflicts."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    name = StringField(_l("Name (for new accounts)"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), choices=[("organizer", _l("Organizer")), ("judge", _l("Judge"))])
    conflicts = SelectMultipleField(
        _l("Conflicts of interest (agencies)"),
        coerce=int,
        choices=[],
        validators=[Optional()],
        description=_l(
            "Judges only: the agencies this judge may not score. Type a name or short name "
            "(Bapenda, Dinkes) to jump to it; hold Ctrl (or Cmd) to choose several."
        ),
        render_kw={"size": 8},
    )


class PassesForm(FlaskForm):
    """Issue a number of visitor passes."""

    count = IntegerField(_l("Number of passes"), validators=[InputRequired(), NumberRange(1, 2000)])


class EmptyForm(FlaskForm):
    """A form with only the CSRF token (buttons that post)."""


class ClaimDecisionForm(FlaskForm):
    """Confirm or refuse a claim to join an agency (the button pressed names the status)."""

    status = HiddenField(validators=[InputRequired(), AnyOf(("confirmed", "refused"))])


class OrganizationNamesForm(FlaskForm):
    """An agency's short name and the other names it is searched by (one per line)."""

    short_name = StringField(_l("Short name"), validators=[Optional(), Length(max=80)])
    aliases = TextAreaField(_l("Other names (one per line)"), validators=[Optional()])


class PluginSettingsForm(FlaskForm):
    """Base for a plugin's settings form: field names match the plugin's settings keys.

    Override :meth:`from_settings` / :meth:`to_settings` where a field's shape differs from
    the JSON value (a list edited as lines of text, a datetime in the event's zone).
    """

    @classmethod
    def from_settings(cls, settings: dict[str, object], event: object) -> dict[str, object]:
        """Form data for the current settings of ``event``."""
        return dict(settings)

    def to_settings(self, event: object) -> dict[str, object]:
        """The settings the submitted form describes (validated again by the plugin's model)."""
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


class ProfileForm(FlaskForm):
    """The account page's name and language."""

    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    locale = SelectField(_l("Language"), choices=[])


class ChangePasswordForm(FlaskForm):
    """Change the password: the current one, then the new one twice."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=8, max=1000)]
    )
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[DataRequired(), EqualTo("new_password", _l("Passwords do not match."))],
    )


class EraseAccountForm(FlaskForm):
    """Erase one's account: the password and a ticked confirmation."""

    password = PasswordField(_l("Password"), validators=[DataRequired()])
    confirm = BooleanField(
        _l("I understand that my account and my personal data are erased for good."),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )


class PrivacyNoticeForm(FlaskForm):
    """The organizer edits the event's privacy notice (purposes one per line)."""

    controller = StringField(
        _l("Who controls the data (organizer, agency)"),
        validators=[DataRequired(), Length(max=250)],
    )
    contact_email = EmailField(
        _l("Contact e-mail for questions and requests"),
        validators=[DataRequired(), Length(max=254)],
    )
    purposes = TextAreaField(
        _l("Purposes (one per line)"), validators=[DataRequired(), Length(max=6000)]
    )
    retention_days = IntegerField(
        _l("Keep visitors' data for (days after the event)"),
        validators=[DataRequired(), NumberRange(min=1, max=3650)],
    )
    notice = TextAreaField(_l("Notice"), validators=[Optional(), Length(max=20000)])


class ErasePersonForm(FlaskForm):
    """An organizer erases a person of the event on their request."""

    email = EmailField(_l("The person's e-mail"), validators=[DataRequired(), Length(max=254)])
    confirm = BooleanField(
        _l("The person asked for it; erase their data for good."),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )
