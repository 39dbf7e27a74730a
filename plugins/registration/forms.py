"""Forms of the registration pages: the exhibitor's steps, the organizers' review, visitors."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from core import cettar

KIND_LABELS = {
    "government": _l("Government agency (OPD)"),
    "bumd": _l("Regional state-owned enterprise (BUMD)"),
    "university": _l("University"),
    "private": _l("Private firm or community"),
}
CETTAR_LABELS = cettar.lazy_labels()  # one definition: core.cettar
DECISION_LABELS = {
    "approved": _l("Approve"),
    "waitlisted": _l("Wait-list"),
    "rejected": _l("Reject"),
}


def _choices(labels: dict[str, Any]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes (one value each) instead of a multiple select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OrganizationForm(FlaskForm):
    """Step 1: the agency (an existing one is matched by name and regency/city)."""

    name = StringField(
        _l("Agency name"),
        validators=[DataRequired(), Length(max=250)],
        description=_l("Pick your agency from the suggestions when it took part before."),
        render_kw={"list": "known-organizations", "autocomplete": "organization"},
    )
    kind = SelectField(_l("Kind of agency"), choices=_choices(KIND_LABELS))
    region = StringField(
        _l("Regency or city"),
        validators=[DataRequired(), Length(max=120)],
        render_kw={"placeholder": "Kabupaten Banyuwangi"},
    )


class ContactForm(FlaskForm):
    """Step 2: the contact person."""

    name = StringField(
        _l("Contact person"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Email(), Length(max=254)],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )
    phone = TelField(
        _l("Phone (WhatsApp)"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("An Indonesian number, e.g. 0812-3456-7890."),
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )


class InnovationEntryForm(Form):
    """One innovation of step 3 (an entry left blank is ignored)."""

    title = StringField(_l("Title of the innovation"), validators=[Optional(), Length(max=250)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=5000)])
    category = SelectField(_l("Category"), choices=[], validate_choice=False)
    year_launched = IntegerField(
        _l("Year launched"),
        validators=[Optional(), NumberRange(1945, 2100)],
        render_kw={"inputmode": "numeric"},
    )
    cettar = MultiCheckboxField(
        _l("CETTAR values it serves"),
        choices=_choices(CETTAR_LABELS),
        validate_choice=False,
        render_kw={"class": "chips"},
    )
    launched_on = DateField(_l("Date launched (when it started serving)"), validators=[Optional()])
    previous = HiddenField()
    replicates = HiddenField()
    document = FileField(
        _l("Document (PDF or image, at most 10 MB)"),
        render_kw={"accept": "application/pdf,image/png,image/jpeg,image/gif,image/webp"},
    )

    def is_blank(self) -> bool:
        """Whether nothing was typed into this entry."""
        document = self.document.data
        return (
            not (self.title.data or "").strip()
            and not (self.summary.data or "").strip()
            and not self.year_launched.data
            and not getattr(document, "filename", None)
        )


def innovations_form_class(count: int) -> type[FlaskForm]:
    """Step 3's form with ``count`` innovation entries (the event's maximum)."""
    fields: dict[str, Any] = {
        f"innovation_{index}": FormField(InnovationEntryForm, label=_l("Innovation"))
        for index in range(count)
    }
    return type("InnovationsForm", (FlaskForm,), fields)


def review_form_class(questions: list[Any], with_terms: bool) -> type[FlaskForm]:
    """Step 4's form: the organizer's extra questions and the terms checkbox."""
    fields: dict[str, Any] = {}
    for question in questions:
        validators = [DataRequired()] if question.required else [Optional()]
        if question.kind == "text":
            fields[question.id] = TextAreaField(
                question.label, validators=[*validators, Length(max=2000)]
            )
        elif question.kind == "choice":
            fields[question.id] = RadioField(
                question.label,
                choices=[SelectChoice(c, c) for c in question.choices],
                validators=validators,
                validate_choice=True,
            )
        else:
            fields[question.id] = RadioField(
                question.label,
                choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                validators=validators,
            )
    if with_terms:
        fields["terms_accepted"] = BooleanField(
            _l("I accept the terms above."), validators=[DataRequired()]
        )
    return type("ReviewForm", (FlaskForm,), fields)


class DecisionForm(FlaskForm):
    """The organizers' decision on one registration."""

    status = SelectField(_l("Decision"), choices=_choices(DECISION_LABELS))
    reason = TextAreaField(
        _l("Reason (sent to the contact)"), validators=[Optional(), Length(max=5000)]
    )


class BulkDecisionForm(FlaskForm):
    """One decision for the registrations ticked in the list."""

    ids = SelectMultipleField(_l("Registrations"), coerce=int, choices=[], validate_choice=False)
    status = SelectField(_l("Decision"), choices=_choices(DECISION_LABELS))
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=5000)])


class NotesForm(FlaskForm):
    """Internal notes of the organizers."""

    notes = TextAreaField(_l("Notes (only organizers see them)"), validators=[Length(max=20000)])


class VisitorForm(FlaskForm):
    """A visitor's sign-up for a pass."""

    name = StringField(
        _l("Your name"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Email(), Length(max=254)],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )


class CheckInForm(FlaskForm):
    """The check-in desk: a scanned or typed pass code."""

    code = StringField(
        _l("Pass code"),
        validators=[DataRequired(), Length(max=40)],
        render_kw={"autofocus": True, "autocomplete": "off", "autocapitalize": "characters"},
    )
