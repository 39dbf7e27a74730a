"""Eligibility rules per event (registration settings ``eligibility``, issue 15).

KIPP-style rules: an innovation must have run for a minimum time (from ``launched_on``),
innovations awarded in the last N years may not enter, labelled documents are required,
and the agency's cap of innovations (``max_innovations_per_organization``) holds.

:func:`check` returns one :class:`Problem` per broken rule with its reason; submission
refuses a registration with problems (422, fields ``eligibility.<rule>``).  The organizer
sees the same check, made against the *current* rules, on each registration: when the
rules change, registrations already in are flagged, never silently rejected.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.i18n import Msg
from core.models import Event
from core.services import history
from core.services.errors import ValidationFailed
from plugins.registration.models import (
    Registration,
    RegistrationDocument,
    RegistrationInnovation,
)

RULES = (
    "min_months_in_operation",
    "exclude_awarded_within_years",
    "required_documents",
    "max_innovations_per_organization",
)


class RequiredDocument(BaseModel):
    """A document every registering agency uploads (e.g. ``sk``: "Decree of the head")."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")
    label: str = Field(min_length=1, max_length=200)


class Eligibility(BaseModel):
    """The rules; ``None``/empty switches a rule off."""

    model_config = ConfigDict(extra="forbid")

    min_months_in_operation: int | None = Field(default=None, ge=1, le=600)
    exclude_awarded_within_years: int | None = Field(default=None, ge=1, le=50)
    required_documents: list[RequiredDocument] = Field(default_factory=list, max_length=20)

    @field_validator("required_documents")
    @classmethod
    def _keys_distinct(cls, value: list[RequiredDocument]) -> list[RequiredDocument]:
        keys = [d.key for d in value]
        if len(set(keys)) != len(keys):
            raise ValueError("document keys must be distinct")
        return value


@dataclass
class Problem:
    """A broken rule and why (a :class:`Msg`, translated where it is shown)."""

    rule: str
    reason: Msg


def check(
    session: Session, event: Event, registration: Registration, settings: Any
) -> list[Problem]:
    """Every rule ``registration`` breaks under the event's current ``settings``."""
    return _Facts.gather(session, event, [registration], settings).problems(registration)


@dataclass
class _Facts:
    """What the rules need about many registrations, read in a fixed number of statements."""

    event: Event
    settings: Any
    documents: dict[int, set[str]]
    won: set[int]

    @classmethod
    def gather(
        cls, session: Session, event: Event, registrations: list[Registration], settings: Any
    ) -> _Facts:
        rules: Eligibility = settings.eligibility
        keys: dict[int, set[str]] = defaultdict(set)
        ids = [r.id for r in registrations if r.id is not None]
        if rules.required_documents and ids:
            rows = session.execute(
                select(RegistrationDocument.registration_id, RegistrationDocument.key).where(
                    RegistrationDocument.registration_id.in_(ids)
                )
            )
            for registration_id, key in rows:
                keys[registration_id].add(key)
        won: set[int] = set()
        if rules.exclude_awarded_within_years:
            identities = sorted(
                {i.identity_id for r in registrations for i in r.innovations if i.identity_id}
            )
            since = event.year - rules.exclude_awarded_within_years
            won = set(
                history.awarded_identities_since(
                    session, identities, since_year=since, before=event
                )
            )
        return cls(event, settings, keys, won)

    def problems(self, registration: Registration) -> list[Problem]:
        """The rules ``registration`` breaks (no statement of its own)."""
        rules: Eligibility = self.settings.eligibility
        cap = self.settings.max_innovations_per_organization
        innovations = registration.innovations
        problems: list[Problem] = []
        if len(innovations) > cap:
            problems.append(
                Problem(
                    "max_innovations_per_organization",
                    Msg("An agency may enter at most %(count)s innovations.", count=cap),
                )
            )
        if rules.min_months_in_operation:
            short = []
            for innovation in innovations:
                months = history.months_in_operation(innovation.launched_on, self.event.starts_on)
                if months is None or months < rules.min_months_in_operation:
                    short.append(innovation.title)
            if short:
                problems.append(
                    Problem(
                        "min_months_in_operation",
                        Msg(
                            "Innovations must have run for at least %(months)s months before "
                            "the event (give the launch date): %(titles)s.",
                            months=rules.min_months_in_operation,
                            titles=", ".join(short),
                        ),
                    )
                )
        if rules.exclude_awarded_within_years:
            since = self.event.year - rules.exclude_awarded_within_years
            titles = [i.title for i in innovations if i.identity_id in self.won]
            if titles:
                problems.append(
                    Problem(
                        "exclude_awarded_within_years",
                        Msg(
                            "Innovations awarded since %(year)s may not enter again: %(titles)s.",
                            year=since,
                            titles=", ".join(titles),
                        ),
                    )
                )
        if rules.required_documents:
            have = self.documents.get(registration.id, set())
            missing = [d.label for d in rules.required_documents if d.key not in have]
            if missing:
                problems.append(
                    Problem(
                        "required_documents",
                        Msg(
                            "Upload the required documents: %(labels)s.",
                            labels=", ".join(missing),
                        ),
                    )
                )
        return problems


def refuse_if_ineligible(
    session: Session, event: Event, registration: Registration, settings: Any
) -> None:
    """Raise a 422 :class:`ValidationFailed` naming ``eligibility.<rule>`` for each problem."""
    problems = check(session, event, registration, settings)
    if problems:
        raise ValidationFailed(
            Msg("The registration breaks the event's eligibility rules."),
            fields={f"eligibility.{p.rule}": [p.reason] for p in problems},
        )


def flagged(
    session: Session, event: Event, registrations: list[Registration], settings: Any
) -> dict[int, list[Problem]]:
    """``{registration id: problems}`` for the submitted registrations breaking a rule now.

    A fixed number of statements whatever the number of registrations, once their
    innovations are loaded (``services.list_registrations`` loads them with the list).
    """
    submitted = [r for r in registrations if r.status not in ("draft", "withdrawn")]
    facts = _Facts.gather(session, event, submitted, settings)
    found: dict[int, list[Problem]] = {}
    for registration in submitted:
        problems = facts.problems(registration)
        if problems:
            found[registration.id] = problems
    return found


def count_flagged(session: Session, event: Event, settings: Any) -> int:
    """How many of the event's submitted registrations break the current rules."""
    registrations = list(
        session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event.id,
                Registration.status.not_in(("draft", "withdrawn")),
            )
            .options(
                selectinload(Registration.links).selectinload(RegistrationInnovation.innovation)
            )
        )
    )
    return len(flagged(session, event, registrations, settings))
