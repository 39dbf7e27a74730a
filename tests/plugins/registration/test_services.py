"""Registration services: input checks, submission, decisions, quota, wait list, effects."""

from __future__ import annotations

import threading
import types
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import hookimpl
from core.db import get_db
from core.models import Event, Innovation, Membership, User
from core.plugins import PluginInfo
from core.services import plugin_settings
from core.services.errors import Conflict, ValidationFailed
from plugins.registration import services
from plugins.registration.models import Registration
from plugins.registration.phones import InvalidPhone, normalize_phone
from plugins.registration.settings import RegistrationSettings
from tests.plugins.registration.conftest import (
    NOW,
    contact_input,
    counts,
    innovation_input,
    mails_to,
    org_input,
    set_settings,
    submit,
)

pytestmark = pytest.mark.usefixtures("ctx")


# --- phones (no database) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("62812.3456.7890", "+6281234567890"),
        ("+62 (0)812 3456 7890", "+6281234567890"),
        ("0811 234 567", "+62811234567"),
        ("(031) 123 4567", "+62311234567"),
        ("0333 424 242", "+62333424242"),
        ("021-2345-6789", "+622123456789"),
    ],
)
def test_phone_numbers_are_normalised(typed: str, stored: str) -> None:
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "12345",
        "0812",
        "+1 212 555 0100",
        "0812-3456-7890-1234",
        "08l2 3456 7890",
        "0912345678",
        "+62 812 3456 789O",
        "٠٨١٢٣٤٥٦٧٨٩٠",
    ],
)
def test_bad_phone_numbers_are_refused(typed: str) -> None:
    with pytest.raises(InvalidPhone):
        normalize_phone(typed)


# --- submission ----------------------------------------------------------------------------


def test_submit_creates_a_pending_registration_with_submitted_innovations(
    db: Session, registry: Any, event: Event
) -> None:
    registration = submit(
        db, registry, event, innovations=[innovation_input("A"), innovation_input("B")]
    )
    assert registration.status == "pending"
    assert registration.contact_phone == "+6281234567890"
    assert [i.status for i in registration.innovations] == ["submitted", "submitted"]
    assert [i.title for i in registration.innovations] == ["A", "B"]
    assert registration.innovation_ids == [i.id for i in registration.innovations]
    (mail,) = mails_to(db, "sri@dinkes.example.id")
    assert "/jatim-2026/registration/r/" in mail.body_text


@pytest.mark.parametrize(
    ("window", "state"),
    [
        ({"opens_at": "2999-01-01T00:00:00+07:00", "closes_at": None}, "upcoming"),
        (
            {"opens_at": "2001-01-01T00:00:00+07:00", "closes_at": "2001-02-01T00:00:00+07:00"},
            "closed",
        ),
        ({"opens_at": None, "closes_at": None}, "not_scheduled"),
    ],
)
def test_submit_outside_the_window_is_a_conflict(
    app: Flask, db: Session, registry: Any, event: Event, window: dict[str, Any], state: str
) -> None:
    set_settings(app, db, event, **window)
    before = counts(db)
    with pytest.raises(Conflict) as caught:
        submit(db, registry, event)
    assert caught.value.extra["window"] == state
    db.rollback()
    assert counts(db) == before


def test_second_registration_of_the_same_agency_is_a_conflict_naming_the_first(
    db: Session, registry: Any, event: Event
) -> None:
    first = submit(db, registry, event)
    before = counts(db)
    with pytest.raises(Conflict) as caught:
        # Same agency typed differently (case) is still the same agency.
        services.submit_registration(
            db,
            registry,
            db.merge(event),
            organization=org_input("DINAS KESEHATAN", "kabupaten banyuwangi"),
            contact=contact_input("other@example.id"),
            innovations=[innovation_input()],
            now=NOW,
        )
    assert caught.value.extra["registration_id"] == first.id
    db.rollback()
    assert counts(db) == before


def test_a_withdrawn_agency_may_register_again(db: Session, registry: Any, event: Event) -> None:
    first = submit(db, registry, event)
    services.withdraw(db, registry, db.merge(event), first, now=NOW)
    db.commit()
    again = submit(db, registry, event)
    assert again.id != first.id and again.organization_id == first.organization_id


def test_invalid_fields_are_all_reported_and_nothing_is_stored(
    app: Flask, db: Session, registry: Any, event: Event
) -> None:
    set_settings(app, db, event, max_innovations_per_organization=1)
    before = counts(db)
    with pytest.raises(ValidationFailed) as caught:
        services.submit_registration(
            db,
            registry,
            db.merge(event),
            organization=services.OrganizationInput(name=" ", kind="alien", region=""),
            contact=services.ContactInput(name="", email="not-an-email", phone="12345"),
            innovations=[
                services.InnovationInput(title="", category="Astrology", year_launched=1800),
                innovation_input(),
            ],
            now=NOW,
        )
    fields = caught.value.fields
    for name in (
        "organization.name",
        "organization.kind",
        "organization.region",
        "contact.name",
        "contact.email",
        "contact.phone",
        "innovations",
        "innovations.0.title",
        "innovations.0.category",
        "innovations.0.year_launched",
    ):
        assert name in fields, name
    db.rollback()
    assert counts(db) == before


def test_html_in_text_is_stored_as_typed(db: Session, registry: Any, event: Event) -> None:
    registration = submit(
        db,
        registry,
        event,
        name="<script>alert(1)</script>",
        innovations=[innovation_input("<b>Bold</b> & co")],
    )
    assert registration.organization.name == "<script>alert(1)</script>"
    assert registration.innovations[0].title == "<b>Bold</b> & co"


def test_terms_and_required_questions_must_be_answered(
    app: Flask, db: Session, registry: Any, event: Event
) -> None:
    question = {"id": "q_power", "label": "Electricity?", "kind": "yesno", "required": True}
    choice = {"id": "q_size", "label": "Booth", "kind": "choice", "choices": ["S", "L"]}
    set_settings(app, db, event, terms="Be nice.", questions=[question, choice])
    with pytest.raises(ValidationFailed) as caught:
        submit(db, registry, event, answers={"q_size": "XL"})
    assert set(caught.value.fields) == {"terms_accepted", "answers.q_power", "answers.q_size"}
    db.rollback()
    registration = submit(
        db,
        registry,
        event,
        answers={"q_power": "yes", "q_size": "L", "junk": 1},
        terms_accepted=True,
    )
    assert registration.answers == {"q_power": True, "q_size": "L"}


# --- drafts --------------------------------------------------------------------------------


def test_draft_steps_then_submit(db: Session, registry: Any, event: Event) -> None:
    target = db.merge(event)
    draft = services.start_draft(db, target, org_input(), now=NOW)
    db.commit()
    assert draft.status == "draft"
    with pytest.raises(ValidationFailed) as caught:
        services.submit_draft(db, registry, target, draft, now=NOW)
    assert {"contact.name", "innovations"} <= set(caught.value.fields)
    db.rollback()
    services.update_contact(db, target, draft, contact_input(), now=NOW)
    services.replace_innovations(
        db, target, draft, [innovation_input("One"), innovation_input("Two")], now=NOW
    )
    db.commit()
    assert [i.status for i in draft.innovations] == ["draft", "draft"]
    kept_id = draft.innovations[0].id
    services.replace_innovations(db, target, draft, [innovation_input("Only")], now=NOW)
    db.commit()
    assert [(i.id, i.title) for i in draft.innovations] == [(kept_id, "Only")]
    services.submit_draft(db, registry, target, draft, now=NOW)
    db.commit()
    assert draft.status == "pending" and draft.innovations[0].status == "submitted"
    # Edit while pending: the innovations stay submitted.
    services.replace_innovations(
        db, target, draft, [innovation_input("Only"), innovation_input("New")], now=NOW
    )
    db.commit()
    assert [i.status for i in draft.innovations] == ["submitted", "submitted"]


def test_drafts_do_not_block_and_cannot_be_decided(
    db: Session, registry: Any, event: Event
) -> None:
    target = db.merge(event)
    draft = services.start_draft(db, target, org_input(), now=NOW)
    db.commit()
    submit(db, registry, event)  # the same agency, by someone else: drafts never block
    with pytest.raises(Conflict):
        services.decide(db, registry, target, draft, "approved", "", actor_id=None, now=NOW)


def test_more_innovations_than_allowed_are_refused(
    app: Flask, db: Session, registry: Any, event: Event
) -> None:
    set_settings(app, db, event, max_innovations_per_organization=2)
    before = counts(db)
    with pytest.raises(ValidationFailed) as caught:
        submit(db, registry, event, innovations=[innovation_input(str(n)) for n in range(3)])
    assert "innovations" in caught.value.fields
    db.rollback()
    assert counts(db) == before


# --- decisions -----------------------------------------------------------------------------


class Spy:
    """A throwaway plugin recording ``on_registration_decided`` calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, list[int], str]] = []
        spy = self

        def on_registration_decided(
            event: Any, registration: Any, status: str, session: Any
        ) -> None:
            spy.calls.append(
                (registration.organization_id, list(registration.innovation_ids), status)
            )

        self.module = types.ModuleType("registration_spy_plugin")
        self.module.plugin_info = PluginInfo(  # type: ignore[attr-defined]
            name="spy", title={"en": "Spy"}, description={"en": "spy"}
        )
        self.module.on_registration_decided = hookimpl(on_registration_decided)  # type: ignore[attr-defined]


def test_approval_accepts_innovations_grants_an_account_and_fires_the_hook(
    db: Session, registry: Any, event: Event
) -> None:
    spy = Spy()
    registry.register(spy.module, name="spy")
    target = db.merge(event)
    plugin_settings.set_enabled_plugins(db, registry, target, ["registration", "spy"])
    db.commit()
    registration = submit(db, registry, event)
    services.decide(
        db, registry, target, registration, "approved", "Welcome", actor_id=None, now=NOW
    )
    db.commit()
    db.expire_all()
    assert registration.status == "approved" and registration.reason == "Welcome"
    assert [i.status for i in registration.innovations] == ["accepted"]
    user = db.scalar(select(User).where(User.email == "sri@dinkes.example.id"))
    assert user is not None and user.password_hash is None
    assert db.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.organization_id == registration.organization_id,
        )
    )
    assert spy.calls == [(registration.organization_id, registration.innovation_ids, "approved")]
    decided = mails_to(db, "sri@dinkes.example.id")[-1]
    assert "/auth/invitation/" in decided.body_text and "Welcome" in decided.body_text


def test_the_hook_does_not_reach_plugins_off_for_the_event(
    db: Session, registry: Any, event: Event
) -> None:
    spy = Spy()
    registry.register(spy.module, name="spy")
    registration = submit(db, registry, event)
    services.decide(
        db, registry, db.merge(event), registration, "rejected", "", actor_id=None, now=NOW
    )
    assert spy.calls == []


def test_reject_and_waitlist_set_innovation_statuses(
    db: Session, registry: Any, event: Event
) -> None:
    target = db.merge(event)
    first = submit(db, registry, event, "A")
    second = submit(db, registry, event, "B")
    services.decide(db, registry, target, first, "rejected", "Late", actor_id=None, now=NOW)
    services.decide(db, registry, target, second, "waitlisted", "", actor_id=None, now=NOW)
    db.commit()
    assert first.innovations[0].status == "rejected"
    assert second.innovations[0].status == "submitted"
    assert db.scalar(select(User).where(User.email == "sri@dinkes.example.id")) is None


def test_unknown_decision_is_refused(db: Session, registry: Any, event: Event) -> None:
    registration = submit(db, registry, event)
    with pytest.raises(ValidationFailed):
        services.decide(
            db, registry, db.merge(event), registration, "maybe", "", actor_id=None, now=NOW
        )


def test_approving_past_the_quota_is_a_conflict(
    app: Flask, db: Session, registry: Any, event: Event
) -> None:
    set_settings(app, db, event, exhibitor_quota=1)
    target = db.merge(event)
    first = submit(db, registry, event, "A")
    second = submit(db, registry, event, "B")
    services.decide(db, registry, target, first, "approved", "", actor_id=None, now=NOW)
    db.commit()
    with pytest.raises(Conflict):
        services.decide(db, registry, target, second, "approved", "", actor_id=None, now=NOW)
    db.rollback()
    # Re-approving the one already approved is no new place.
    services.decide(db, registry, target, first, "approved", "again", actor_id=None, now=NOW)
    db.commit()
    assert services.approved_count(db, target) == 1


def test_bulk_decisions_report_refusals(
    app: Flask, db: Session, registry: Any, event: Event
) -> None:
    set_settings(app, db, event, exhibitor_quota=2)
    ids = [submit(db, registry, event, name).id for name in ("A", "B", "C")]
    result = services.decide_many(
        db, registry, db.merge(event), [*ids, 999999], "approved", "", actor_id=None, now=NOW
    )
    db.commit()
    assert result.decided == ids[:2]
    assert set(result.refused) == {ids[2], 999999}


def test_quota_race_exactly_one_of_two_concurrent_approvals_wins(
    app: Flask, db: Session, registry: Any, event: Event, backend: str
) -> None:
    """Both organizers load the registration, then approve the last place at once.

    On SQLite a write session's first statement takes the write lock (BEGIN IMMEDIATE), so
    there both threads start together instead of meeting after loading.
    """
    set_settings(app, db, event, exhibitor_quota=2)
    target = db.merge(event)
    taken = submit(db, registry, event, "Taken")
    services.decide(db, registry, target, taken, "approved", "", actor_id=None, now=NOW)
    db.commit()
    ids = [submit(db, registry, event, name).id for name in ("Left", "Right")]
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def approve(registration_id: int) -> None:
        with app.app_context():
            session = get_db(app).new_session()
            try:
                if backend == "sqlite":
                    barrier.wait(timeout=10)
                own_event = session.get(Event, target.id)
                registration = services.get_registration(session, own_event, registration_id)
                if backend != "sqlite":
                    barrier.wait(timeout=10)
                services.decide(
                    session,
                    registry,
                    own_event,
                    registration,
                    "approved",
                    "",
                    actor_id=None,
                    now=NOW,
                )
                session.commit()
                outcomes[registration_id] = "approved"
            except Conflict:
                session.rollback()
                outcomes[registration_id] = "conflict"
            finally:
                session.close()

    threads = [threading.Thread(target=approve, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["approved", "conflict"]
    db.expire_all()
    assert services.approved_count(db, target) == 2


# --- withdrawal and the wait list -----------------------------------------------------------


def test_withdrawing_an_approved_place_offers_it_to_the_first_waitlisted(
    app: Flask, db: Session, registry: Any, event: Event
) -> None:
    set_settings(app, db, event, exhibitor_quota=1)
    target = db.merge(event)
    approved = submit(db, registry, event, "A")
    first_waiting = submit(db, registry, event, "B", contact=contact_input("b@example.id"))
    second_waiting = submit(db, registry, event, "C", contact=contact_input("c@example.id"))
    services.decide(db, registry, target, approved, "approved", "", actor_id=None, now=NOW)
    for waiting in (first_waiting, second_waiting):
        services.decide(db, registry, target, waiting, "waitlisted", "", actor_id=None, now=NOW)
    db.commit()

    offered = services.withdraw(db, registry, target, approved, now=NOW)
    db.commit()
    assert offered is not None and offered.id == first_waiting.id
    assert approved.status == "withdrawn" and approved.innovations[0].status == "withdrawn"
    assert first_waiting.offered_at is not None and second_waiting.offered_at is None
    assert "/jatim-2026/registration/r/" in mails_to(db, "b@example.id")[-1].body_text
    assert mails_to(db, "c@example.id")[-1].subject != mails_to(db, "b@example.id")[-1].subject

    with pytest.raises(Conflict):
        services.accept_offer(db, registry, target, second_waiting, now=NOW)
    services.accept_offer(db, registry, target, first_waiting, now=NOW)
    db.commit()
    assert first_waiting.status == "approved"
    assert first_waiting.innovations[0].status == "accepted"


def test_withdrawing_a_pending_registration_offers_nothing(
    db: Session, registry: Any, event: Event
) -> None:
    pending = submit(db, registry, event, "A")
    waiting = submit(db, registry, event, "B")
    services.decide(
        db, registry, db.merge(event), waiting, "waitlisted", "", actor_id=None, now=NOW
    )
    assert services.withdraw(db, registry, db.merge(event), pending, now=NOW) is None
    with pytest.raises(Conflict):
        services.withdraw(db, registry, db.merge(event), pending, now=NOW)


# --- settings -------------------------------------------------------------------------------


def test_question_notation_round_trips(app: Flask) -> None:
    from plugins.registration.settings import format_questions, parse_questions

    text = "*yesno: Need electricity?\ntext: Budget\nchoice: Booth size? = small, large"
    questions = parse_questions(text)
    assert [(q["kind"], q["required"]) for q in questions] == [
        ("yesno", True),
        ("text", False),
        ("choice", False),
    ]
    assert questions[2]["choices"] == ["small", "large"]
    assert (
        format_questions(questions)
        == "*yesno: Need electricity?\ntext: Budget\nchoice: Booth size? = small, large"
    )
    RegistrationSettings.model_validate({"questions": questions})
    for bad in ("essay: Why?", "choice: Size = one", "text:", "text: A\ntext: A"):
        with app.test_request_context(), pytest.raises(ValueError):
            parse_questions(bad)


def test_innovations_listed_for_the_event(db: Session, registry: Any, event: Event) -> None:
    registration = submit(db, registry, event)
    innovation = db.get(Innovation, registration.innovation_ids[0])
    assert innovation is not None and innovation.event_id == event.id
    assert db.scalar(select(Registration.status)) == "pending"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n....", "image/png"),
        (b"\xff\xd8\xff\xe0JFIF", "image/jpeg"),
        (b"GIF89a....", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"PK\x03\x04 a docx renamed .pdf", None),
        (b"<html><script>", None),
    ],
)
def test_documents_are_recognised_by_content(data: bytes, kind: str | None) -> None:
    from plugins.registration.uploads import sniff_document

    found = sniff_document(data)
    assert (found[0] if found else None) == kind


def test_stored_documents_get_an_upload_row(app: Flask, db: Session, event: Event) -> None:
    from core.models import Upload
    from plugins.registration.uploads import store_document

    upload = store_document(
        db, app.config["UPLOAD_FOLDER"], b"%PDF-1.4 x", "../../etc/passwd.pdf", event_id=event.id
    )
    db.commit()
    assert upload.filename == "passwd.pdf" and upload.size == 10
    assert upload.storage_path.startswith("registration/") and ".." not in upload.storage_path
    stored = db.get(Upload, upload.id)
    assert stored is not None and len(stored.sha256) == 64
