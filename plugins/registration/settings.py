"""Registration settings per event: the window, quotas, categories, terms."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Literal

from flask_babel import lazy_gettext as _l
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from wtforms import DateTimeLocalField, IntegerField, TextAreaField
from wtforms.validators import NumberRange, Optional, ValidationError

from core.forms import PluginSettingsForm
from core.plugin_helpers import from_event_local, to_event_local
from plugins.registration.eligibility import Eligibility

MAX_CATEGORY_LENGTH = 80  # innovations.category is a String(80)
QUESTION_KINDS = ("text", "choice", "yesno")
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


class Question(BaseModel):
    """An extra question the organizer asks every registering agency."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")
    label: str = Field(min_length=1, max_length=300)
    kind: Literal["text", "choice", "yesno"] = "text"
    choices: list[str] = Field(default_factory=list, max_length=30)
    required: bool = False

    @field_validator("choices")
    @classmethod
    def _choices_clean(cls, value: list[str], info: ValidationInfo) -> list[str]:
        cleaned = [c.strip()[:200] for c in value if c.strip()]
        if len(set(cleaned)) != len(cleaned):
            raise ValueError("choices must be distinct")
        return cleaned


def question_id(label: str) -> str:
    """A stable id for a question: it changes only when the question's text changes."""
    return "q_" + hashlib.sha1(label.strip().encode()).hexdigest()[:10]


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
    questions: list[Question] = Field(default_factory=list, max_length=30)
    eligibility: Eligibility = Field(default_factory=Eligibility)

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

    @field_validator("questions")
    @classmethod
    def _questions_clean(cls, value: list[Question]) -> list[Question]:
        ids = [q.id for q in value]
        if len(set(ids)) != len(ids):
            raise ValueError("question ids must be distinct")
        for question in value:
            if question.kind == "choice" and len(question.choices) < 2:
                raise ValueError("a choice question needs at least two choices")
        return value

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
    questions = TextAreaField(
        _l("Extra questions (one per line)"),
        validators=[Optional()],
        description=_l(
            'Write "text: question", "yesno: question" or "choice: question = first, '
            'second". Start the line with * when an answer is required.'
        ),
    )

    min_months_in_operation = IntegerField(
        _l("Minimum months in operation (empty: no rule)"),
        validators=[Optional(), NumberRange(min=1, max=600)],
    )
    exclude_awarded_within_years = IntegerField(
        _l("Exclude innovations awarded in the last N years (empty: no rule)"),
        validators=[Optional(), NumberRange(min=1, max=50)],
    )
    required_documents = TextAreaField(
        _l("Required documents (one per line)"),
        validators=[Optional()],
        description=_l('Write "key: label", e.g. "sk: Decree of the head of the agency".'),
    )

    def validate_required_documents(self, field: TextAreaField) -> None:
        try:
            parse_documents(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def validate_closes_at(self, field: DateTimeLocalField) -> None:
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("Registration must close after it opens."))

    def validate_categories(self, field: TextAreaField) -> None:
        if not _lines(field.data):
            raise ValidationError(_l("Give at least one category."))

    def validate_questions(self, field: TextAreaField) -> None:
        try:
            parse_questions(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    @classmethod
    def from_settings(cls, settings: dict[str, Any], event: Any) -> dict[str, Any]:
        return {
            **settings,
            "opens_at": to_event_local(settings.get("opens_at"), event.timezone),
            "closes_at": to_event_local(settings.get("closes_at"), event.timezone),
            "categories": "\n".join(settings.get("categories") or []),
            "questions": format_questions(settings.get("questions") or []),
            **_eligibility_initial(settings.get("eligibility") or {}),
        }

    def to_settings(self, event: Any) -> dict[str, Any]:
        return {
            "opens_at": from_event_local(self.opens_at.data, event.timezone),
            "closes_at": from_event_local(self.closes_at.data, event.timezone),
            "exhibitor_quota": self.exhibitor_quota.data,
            "max_innovations_per_organization": self.max_innovations_per_organization.data,
            "categories": _lines(self.categories.data),
            "terms": self.terms.data or "",
            "questions": parse_questions(self.questions.data),
            "eligibility": {
                "min_months_in_operation": self.min_months_in_operation.data,
                "exclude_awarded_within_years": self.exclude_awarded_within_years.data,
                "required_documents": parse_documents(self.required_documents.data),
            },
        }


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def parse_questions(text: str | None) -> list[dict[str, Any]]:
    """Questions from the console's one-per-line notation; ``ValueError`` names a bad line.

    ``text: Budget?``, ``yesno: Need electricity?``, ``choice: Booth size? = small, large``;
    a leading ``*`` makes the answer required.
    """
    questions: list[dict[str, Any]] = []
    for number, line in enumerate(_lines(text), start=1):
        required = line.startswith("*")
        kind, sep, rest = line.lstrip("*").partition(":")
        kind = kind.strip().lower()
        if not sep or kind not in QUESTION_KINDS or not rest.strip():
            raise ValueError(str(_l("Line %(number)d: write kind: question.", number=number)))
        label, choices_text = rest, ""
        if kind == "choice":
            label, _eq, choices_text = rest.partition("=")
        choices = [c.strip() for c in choices_text.split(",") if c.strip()]
        if kind == "choice" and len(set(choices)) < 2:
            raise ValueError(
                str(_l("Line %(number)d: give at least two different choices.", number=number))
            )
        label = label.strip()[:300]
        if not label:
            raise ValueError(str(_l("Line %(number)d: write kind: question.", number=number)))
        questions.append(
            {
                "id": question_id(label),
                "label": label,
                "kind": kind,
                "choices": list(dict.fromkeys(choices)),
                "required": required,
            }
        )
    if len({q["id"] for q in questions}) != len(questions):
        raise ValueError(str(_l("Each question may appear only once.")))
    return questions


def format_questions(questions: list[dict[str, Any]]) -> str:
    """The console notation of stored questions (the inverse of :func:`parse_questions`)."""
    lines = []
    for question in questions:
        line = f"{'*' if question.get('required') else ''}{question['kind']}: {question['label']}"
        if question["kind"] == "choice":
            line += " = " + ", ".join(question.get("choices") or [])
        lines.append(line)
    return "\n".join(lines)


def _eligibility_initial(eligibility: dict[str, Any]) -> dict[str, Any]:
    return {
        "min_months_in_operation": eligibility.get("min_months_in_operation"),
        "exclude_awarded_within_years": eligibility.get("exclude_awarded_within_years"),
        "required_documents": "\n".join(
            f"{d['key']}: {d['label']}" for d in eligibility.get("required_documents") or []
        ),
    }


def parse_documents(text: str | None) -> list[dict[str, str]]:
    """Required documents from the console's ``key: label`` lines; ``ValueError`` if bad."""
    documents: list[dict[str, str]] = []
    for number, line in enumerate(_lines(text), start=1):
        key, sep, label = line.partition(":")
        key = key.strip().lower()
        if not sep or not label.strip() or not key.replace("_", "").isalnum() or len(key) > 40:
            raise ValueError(str(_l("Line %(number)d: write key: label.", number=number)))
        if not key.isascii():
            raise ValueError(str(_l("Line %(number)d: write key: label.", number=number)))
        documents.append({"key": key, "label": label.strip()[:200]})
    if len({d["key"] for d in documents}) != len(documents):
        raise ValueError(str(_l("Each document key may appear only once.")))
    return documents
