"""Personal data (issue 21): notices, consents, "Data saya", erasure, retention, exports."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import JSON, String, Text, cast, func, or_, select
from sqlalchemy.orm import Session

from core.db import Base, utcnow
from core.models import (
    AuditEntry,
    Consent,
    Event,
    Innovation,
    Organization,
    OutboundMail,
    User,
    VisitorPass,
)
from core.services import accounts, audit, mail, passes, privacy
from plugins.registration.models import Registration
from plugins.symposium.models import Session as SymSession
from plugins.symposium.models import Signup, Speaker, Star
from plugins.voting.models import VotingAssignment, VotingStage, VotingVote
from plugins.voting.results import stage_results
from tests.conftest import PASSWORD
from tests.core.web.conftest import ORGANIZER_EMAIL

API = "/api/v1"
VISITOR = "sekar.ayu@example.id"
ALL_PLUGINS = ["exhibitors", "registration", "symposium", "voting"]


def _rows_mentioning(db: Session, needle: str) -> dict[str, int]:
    """Every table with rows whose text (or JSON) columns contain ``needle``, case-blind."""
    found: dict[str, int] = {}
    pattern = f"%{needle.lower()}%"
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        if not columns:
            continue
        condition = or_(*[func.lower(cast(c, Text)).like(pattern) for c in columns])
        count = db.scalar(select(func.count()).select_from(table).where(condition)) or 0
        if count:
            found[table.name] = count
    db.commit()
    return found


# --- the privacy notice ----------------------------------------------------------------------


def test_default_notice_names_the_organizer_and_a_put_raises_the_version(
    client: Any, make: Any, organizer: Any, event: Any, api_token: Any
) -> None:
    body = client.get(f"{API}/events/jatim-2026/privacy").get_json()
    assert body["version"] == 1 and body["retention_days"] == 365
    assert "Panitia" in body["controller"] and body["contact_email"] == ORGANIZER_EMAIL
    assert body["purposes"] and body["notice"]
    headers = api_token(ORGANIZER_EMAIL)
    new = {
        "controller": "Biro Organisasi Setda Provinsi Jawa Timur",
        "contact_email": "privasi@jatimprov.go.id",
        "purposes": ["Pendaftaran peserta", "Penilaian inovasi"],
        "retention_days": 180,
        "notice": "Data Anda kami jaga.",
    }
    response = client.put(f"{API}/events/jatim-2026/privacy", json=new, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["version"] == 2
    again = client.put(f"{API}/events/jatim-2026/privacy", json=new, headers=headers)
    assert again.get_json()["version"] == 2  # nothing changed, no new version
    changed = client.put(
        f"{API}/events/jatim-2026/privacy", json={**new, "retention_days": 90}, headers=headers
    )
    assert changed.get_json()["version"] == 3
    public = client.get(f"{API}/events/jatim-2026/privacy").get_json()
    assert public["controller"] == new["controller"] and public["retention_days"] == 90
    page = client.get("/jatim-2026/privacy").get_data(as_text=True)
    assert "Biro Organisasi Setda Provinsi Jawa Timur" in page and "privasi@jatimprov.go.id" in page


def test_notice_put_refuses_bad_values_and_other_people(
    client: Any, make: Any, organizer: Any, event: Any, api_token: Any
) -> None:
    headers = api_token(ORGANIZER_EMAIL)
    bad = {
        "controller": " ",
        "contact_email": "not-an-address",
        "purposes": [],
        "retention_days": 0,
        "notice": "",
    }
    response = client.put(f"{API}/events/jatim-2026/privacy", json=bad, headers=headers)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert {"purposes", "retention_days"} <= set(fields)
    # Valid by the schema, refused by the service (in the caller's language).
    blank = {**bad, "purposes": ["Pendaftaran"], "retention_days": 30}
    response = client.put(f"{API}/events/jatim-2026/privacy", json=blank, headers=headers)
    assert response.status_code == 422
    assert {"controller", "contact_email"} <= set(response.get_json()["error"]["fields"])
    missing = client.put(f"{API}/events/jatim-2026/privacy", json={}, headers=headers)
    assert missing.status_code == 422
    make.user("orang@example.id", "Orang")
    other = api_token("orang@example.id")
    good = {**bad, "controller": "X", "contact_email": "x@example.id", "purposes": ["a"]}
    good["retention_days"] = 30
    assert (
        client.put(f"{API}/events/jatim-2026/privacy", json=good, headers=other).status_code == 403
    )
    assert client.put(f"{API}/events/jatim-2026/privacy", json=good).status_code == 401
    assert client.get(f"{API}/events/nothing/privacy").status_code == 404
    make.event("draft-2026", status="draft")
    assert client.get(f"{API}/events/draft-2026/privacy").status_code == 404


def test_console_edits_the_notice_and_the_log_keeps_no_values(
    client: Any, db: Session, signed_in_organizer: Any, event: Any
) -> None:
    page = client.get("/jatim-2026/manage/privacy")
    assert page.status_code == 200
    assert 'href="/jatim-2026/manage/privacy"' in client.get("/jatim-2026/manage/").get_data(
        as_text=True
    )
    form = {
        "notice-controller": "Dinas Kominfo Jatim",
        "notice-contact_email": "dpo@kominfo.jatimprov.go.id",
        "notice-purposes": "Pendaftaran\nPenjurian",
        "notice-retention_days": "200",
        "notice-notice": "",
    }
    assert client.post("/jatim-2026/manage/privacy", data=form).status_code == 302
    notice = privacy.get_notice(db, db.merge(event))
    assert notice["version"] == 2 and notice["purposes"] == ["Pendaftaran", "Penjurian"]
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.notice_updated"))
    assert entry is not None and "dpo@" not in str(entry.detail)
    db.commit()
    bad = client.post("/jatim-2026/manage/privacy", data={**form, "notice-retention_days": "0"})
    assert bad.status_code == 422


def test_forms_link_the_notice_and_offer_unticked_consents(
    client: Any, db: Session, make: Any, organizer: Any
) -> None:
    event = make.event(
        "jatim-2026",
        plugins=ALL_PLUGINS,
        organizer=organizer,
        starts_on=date.today() + timedelta(days=10),
        ends_on=date.today() + timedelta(days=11),
    )
    page = client.get("/jatim-2026/registration/visit").get_data(as_text=True)
    assert 'href="/jatim-2026/privacy"' in page
    assert 'name="consent" value="photos"' in page and "checked" not in page.split("consents")[1]
    response = client.post(
        "/jatim-2026/registration/visit",
        data={"name": "Sekar Ayu", "email": VISITOR, "consent": ["newsletter"]},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    rows = list(db.scalars(select(Consent).where(Consent.event_id == event.id)))
    assert [(c.email, c.purpose, c.version) for c in rows] == [(VISITOR, "newsletter", 1)]
    db.commit()
    signup = client.get("/auth/signup").get_data(as_text=True)
    assert "privacy notice" in signup and "My data" in signup


# --- "Data saya" -----------------------------------------------------------------------------


def test_my_data_lists_every_section_and_downloads_as_json(
    client: Any, db: Session, make: Any, auth: Any, api_token: Any
) -> None:
    user = make.user(VISITOR, "Sekar Ayu")
    event = make.event("jatim-2026", plugins=ALL_PLUGINS)
    passes.issue_passes(db, db.merge(event), 1, holder_name="Sekar Ayu", holder_email=VISITOR)
    db.commit()
    body = client.get(f"{API}/me/data", headers=api_token(VISITOR)).get_json()
    assert set(privacy.DATA_SECTIONS) <= set(body)
    assert body["account"]["email"] == VISITOR and body["account"]["id"] == user.id
    assert [p["holder_name"] for p in body["passes"]] == ["Sekar Ayu"]
    assert client.get(f"{API}/me/data").status_code == 401
    auth.login(VISITOR)
    page = client.get("/account/data")
    assert page.status_code == 200 and "Sekar Ayu" in page.get_data(as_text=True)
    assert 'href="/account/data"' in client.get("/account/").get_data(as_text=True)
    download = client.get("/account/data.json")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.get_json()["passes"][0]["holder_email"] == VISITOR


# --- erasure -------------------------------------------------------------------------------


def test_erasure_needs_the_password(client: Any, make: Any, auth: Any, api_token: Any) -> None:
    make.user(VISITOR, "Sekar Ayu")
    headers = api_token(VISITOR)
    wrong = client.delete(f"{API}/me", json={"password": "nope-nope"}, headers=headers)
    assert wrong.status_code == 403 and wrong.get_json()["error"]["code"] == "wrong_password"
    assert client.delete(f"{API}/me", json={}, headers=headers).status_code == 422
    assert client.get(f"{API}/me", headers=headers).status_code == 200
    auth.login(VISITOR)
    unconfirmed = client.post("/account/erase", data={"erase-password": PASSWORD})
    assert unconfirmed.status_code == 422
    wrong_web = client.post(
        "/account/erase", data={"erase-password": "nope-nope", "erase-confirm": "y"}
    )
    assert wrong_web.status_code == 403
    done = client.post("/account/erase", data={"erase-password": PASSWORD, "erase-confirm": "y"})
    assert done.status_code == 302
    assert client.get("/account/").status_code == 302  # signed out
    assert client.get(f"{API}/me", headers=headers).status_code == 401  # token ended


@pytest.fixture
def demo(runner: Any, db: Session) -> Event:
    """The 2019 demo (judges with submitted sheets) plus a judge's personal traces."""
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    event = db.scalar(select(Event).where(Event.slug == "jatim-2019"))
    assert event is not None
    db.commit()
    return event


def _results(db: Session, event: Event) -> list[Any]:
    db.expire_all()
    stage = db.scalar(select(VotingStage).where(VotingStage.event_id == event.id))
    computed = stage_results(db, db.merge(event), stage, method="mean", public_weight=0.0)
    items = [item.as_dict("mean") for item in computed.items]
    db.commit()
    return items


def _tally(db: Session, event: Event) -> list[tuple[int, int]]:
    rows = db.execute(
        select(VotingVote.innovation_id, func.count())
        .where(VotingVote.event_id == event.id)
        .group_by(VotingVote.innovation_id)
        .order_by(VotingVote.innovation_id)
    ).all()
    db.commit()
    return [(a, b) for a, b in rows]


def _traces(db: Session, event: Event, judge: User) -> None:
    """Give the judge a registration contact, a speaker entry, a star, a pass with a vote,
    a consent, a mail, an audit entry that names them."""
    event = db.merge(event)
    innovation = db.scalar(
        select(Innovation).where(Innovation.event_id == event.id, Innovation.status == "accepted")
    )
    assert innovation is not None
    db.add(
        Registration(
            event_id=event.id,
            organization_id=innovation.organization_id,
            contact_name=judge.name,
            contact_email=judge.email,
            contact_phone="+6281234567890",
            contact_user_id=judge.id,
            status="approved",
        )
    )
    speaker = db.scalar(  # a demo judge may already speak (she moderates the panels)
        select(Speaker).where(Speaker.event_id == event.id, Speaker.email == judge.email)
    )
    if speaker is None:
        speaker = Speaker(event_id=event.id, name=judge.name, email=judge.email)
        db.add(speaker)
    speaker.bio = "Guru besar"
    sym = SymSession(event_id=event.id, title="Panel inovasi", duration_minutes=30)
    db.add(sym)
    db.flush()
    db.add(Star(session_id=sym.id, user_id=judge.id))
    db.add(Signup(session_id=sym.id, user_id=judge.id, status="confirmed"))
    (visitor_pass,) = passes.issue_passes(
        db, event, 1, holder_name=judge.name, holder_email=judge.email
    )
    visitor_pass.user_id = judge.id
    db.add(
        VotingVote(
            event_id=event.id,
            pass_id=visitor_pass.id,
            innovation_id=innovation.id,
            category=innovation.category,
        )
    )
    db.add(Consent(event_id=event.id, user_id=judge.id, purpose="photos", version=1))
    mail.queue(
        db, recipient=judge.email, subject="Halo", body_text=f"Yth. {judge.name}", event_id=event.id
    )
    mail.queue(
        db,
        recipient=ORGANIZER_EMAIL,
        subject="Juri baru",
        body_text=f"{judge.name} <{judge.email}> bergabung.",
        event_id=event.id,
    )
    audit.record(db, "test.named", event_id=event.id, email=judge.email, name=judge.name)
    db.commit()


def test_erasing_a_judge_leaves_no_trace_and_keeps_the_results(
    client: Any, db: Session, demo: Event, api_token: Any, registry: Any
) -> None:
    judge = db.scalar(
        select(User)
        .join(VotingAssignment, VotingAssignment.judge_id == User.id)
        .where(VotingAssignment.submitted.is_(True))
        # not a demo speaker already: the traces below add the judge as one
        .where(User.email.notin_(select(Speaker.email).where(Speaker.event_id == demo.id)))
        .order_by(User.id)
        .limit(1)
    )
    assert judge is not None
    email, name, judge_id = judge.email, judge.name, judge.id
    db.commit()
    judge_password = "gelar-juri-2019"
    _traces(db, demo, db.get(User, judge_id))
    db.commit()
    assert set(_rows_mentioning(db, email)) >= {
        "users",
        "registration_registrations",
        "symposium_speakers",
        "visitor_passes",
        "outbound_mail",
        "audit_log",
    }
    before, tally = _results(db, demo), _tally(db, demo)
    submitted = db.scalar(
        select(func.count())
        .select_from(VotingAssignment)
        .where(VotingAssignment.judge_id == judge_id, VotingAssignment.submitted.is_(True))
    )
    db.commit()
    headers = api_token(email, judge_password)
    response = client.delete(f"{API}/me", json={"password": judge_password}, headers=headers)
    assert response.status_code == 204

    assert _rows_mentioning(db, email) == {}
    assert _rows_mentioning(db, name) == {}
    assert _results(db, demo) == before
    assert _tally(db, demo) == tally
    tombstone = db.get(User, judge_id)
    assert tombstone.email == f"erased-{judge_id}@invalid" and not tombstone.is_active
    assert tombstone.password_hash is None
    still = db.scalar(
        select(func.count())
        .select_from(VotingAssignment)
        .where(VotingAssignment.judge_id == judge_id, VotingAssignment.submitted.is_(True))
    )
    registration = db.scalar(select(Registration).where(Registration.event_id == demo.id))
    assert registration is not None and registration.contact_email == ""
    assert registration.contact_phone == "" and registration.organization_id
    assert db.scalar(select(func.count()).select_from(Star)) == 0
    db.commit()
    assert still == submitted
    assert client.get(f"{API}/me", headers=headers).status_code == 401

    # The address signs up again as a new account that sees none of the old data.
    fresh = accounts.create_user(db, email=email, name="Baru", password=PASSWORD, verified=True)
    fresh_id = fresh.id
    db.commit()
    assert fresh_id != judge_id
    body = client.get(f"{API}/me/data", headers=api_token(email)).get_json()
    for section in ("roles", "registrations", "passes", "votes", "agenda", "assignments"):
        assert body[section] == [], section


def test_erasure_works_with_the_plugins_switched_off(
    client: Any, db: Session, make: Any, api_token: Any
) -> None:
    user = make.user(VISITOR, "Sekar Ayu")
    event = make.event("jatim-2026", plugins=[])
    organization = Organization(name="Dinas Kominfo", region="Surabaya")
    db.add(organization)
    db.flush()
    db.add(
        Registration(
            event_id=event.id,
            organization_id=organization.id,
            contact_name="Sekar Ayu",
            contact_email=VISITOR,
            contact_user_id=user.id,
            notes=f"Called Sekar Ayu at {VISITOR.upper()} about the booth.",
        )
    )
    db.commit()
    headers = api_token(VISITOR)
    assert client.get(f"{API}/me/data", headers=headers).get_json()["registrations"]
    assert (
        client.delete(f"{API}/me", json={"password": PASSWORD}, headers=headers).status_code == 204
    )
    assert _rows_mentioning(db, VISITOR) == {}
    assert _rows_mentioning(db, "Sekar Ayu") == {}
    notes = db.scalar(select(Registration.notes))
    assert notes == "Called [dihapus] at [dihapus] about the booth."
    db.commit()


def test_an_organizer_erases_a_visitor_but_not_a_judge(
    client: Any, db: Session, signed_in_organizer: Any, event: Any, make: Any
) -> None:
    target = db.merge(event)
    passes.issue_passes(db, target, 1, holder_name="Sekar Ayu", holder_email=VISITOR)
    judge = make.user("juri@example.id", "Juri")
    from core.services import roles

    roles.appoint(db, db.merge(event), email=judge.email, role="judge")
    db.commit()
    refused = client.post(
        "/jatim-2026/manage/privacy/erase",
        data={"erase-email": "juri@example.id", "erase-confirm": "y"},
    )
    assert refused.status_code == 409
    done = client.post(
        "/jatim-2026/manage/privacy/erase", data={"erase-email": VISITOR, "erase-confirm": "y"}
    )
    assert done.status_code == 302
    assert _rows_mentioning(db, VISITOR) == {}
    assert _rows_mentioning(db, "Sekar Ayu") == {}
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.person_erased"))
    assert entry is not None and entry.detail == {"account_erased": False, "passes": 1}
    db.commit()


# --- retention -------------------------------------------------------------------------------


def test_purge_erases_visitors_of_events_past_retention(
    runner: Any, db: Session, make: Any
) -> None:
    old = make.event(
        "jatim-2020", starts_on=date(2020, 12, 1), ends_on=date(2020, 12, 2), plugins=ALL_PLUGINS
    )
    recent = make.event("jatim-2099", starts_on=date(2099, 12, 1), ends_on=date(2099, 12, 2))
    passes.issue_passes(db, db.merge(old), 2, holder_name="Sekar Ayu", holder_email=VISITOR)
    passes.issue_passes(db, db.merge(recent), 1, holder_name="Budi", holder_email="b@example.id")
    db.commit()
    dry = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "jatim-2020" in dry.output and "would erase 2 visitor(s)" in dry.output
    assert "jatim-2099" not in dry.output
    assert _rows_mentioning(db, VISITOR)
    done = runner.invoke(args=["privacy", "purge", "--event", "jatim-2020"])
    assert done.exit_code == 0 and "erased 2 visitor(s)" in done.output
    assert _rows_mentioning(db, VISITOR) == {}
    assert _rows_mentioning(db, "b@example.id") == {"visitor_passes": 1}
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.purged"))
    assert entry is not None and entry.detail == {"visitors": 2}
    assert db.scalar(select(func.count()).select_from(VisitorPass)) == 3  # passes stay
    db.commit()
    again = runner.invoke(args=["privacy", "purge"])
    assert "erased 0 visitor(s) in all" in again.output


def test_retention_days_decide_when_an_event_is_due(db: Session, make: Any) -> None:
    event = make.event("jatim-2025", starts_on=date(2025, 1, 1), ends_on=date(2025, 1, 2))
    target = db.merge(event)
    assert privacy.due_events(db, date(2025, 12, 31)) == []
    assert [e.slug for e in privacy.due_events(db, date(2026, 1, 3))] == ["jatim-2025"]
    privacy.update_notice(
        db,
        target,
        {**privacy.get_notice(db, target), "retention_days": 30, "contact_email": "a@b.id"},
        actor_id=None,
    )
    assert [e.slug for e in privacy.due_events(db, date(2025, 2, 2))] == ["jatim-2025"]
    db.commit()


# --- exports -------------------------------------------------------------------------------


def test_registration_export_is_audited_and_can_leave_contacts_out(
    client: Any, db: Session, make: Any, organizer: Any, auth: Any
) -> None:
    event = make.event("jatim-2026", plugins=["registration"], organizer=organizer)
    organization = Organization(name="Dinas Kominfo", region="Surabaya")
    db.add(organization)
    db.flush()
    db.add(
        Registration(
            event_id=event.id,
            organization_id=organization.id,
            contact_name="Sekar Ayu",
            contact_email=VISITOR,
            contact_phone="+628123",
            status="pending",
            submitted_at=utcnow(),
        )
    )
    db.commit()
    auth.login(ORGANIZER_EMAIL)
    listing = client.get("/jatim-2026/registration/manage/").get_data(as_text=True)
    assert "personal data" in listing and "contacts=0" in listing
    full = client.get("/jatim-2026/registration/manage/export.csv").get_data(as_text=True)
    assert VISITOR in full and "contact_email" in full
    bare = client.get("/jatim-2026/registration/manage/export.csv?contacts=0")
    text = bare.get_data(as_text=True)
    assert bare.status_code == 200 and VISITOR not in text and "contact_email" not in text
    assert "Dinas Kominfo" in text
    entries = list(
        db.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "privacy.exported")
            .order_by(AuditEntry.id)
        )
    )
    assert [(e.detail["export"], e.detail["personal_data"]) for e in entries] == [
        ("registrations.csv", True),
        ("registrations.csv (no contacts)", False),
    ]
    assert all(e.user_id == organizer.id for e in entries)
    db.commit()
    make.event("other-2026", plugins=[], organizer=organizer)
    assert client.get("/other-2026/registration/manage/export.csv").status_code == 404


def test_outbox_and_mails_are_scrubbed_not_only_the_recipient(db: Session, make: Any) -> None:
    user = make.user(VISITOR, "Sekar Ayu")
    mail.queue(
        db,
        recipient="other@example.id",
        subject="Info",
        body_text=f"Sekar Ayu ({VISITOR}) mendaftar.",
    )
    db.commit()
    privacy.erase_user(db, _NoPlugins(), db.merge(user), actor_id=None)
    db.commit()
    body = db.scalar(select(OutboundMail.body_text))
    assert VISITOR not in body and "Sekar Ayu" not in body and "mendaftar" in body
    db.commit()


class _NoPlugins:
    """A registry stand-in without plugins (service-level erasure)."""

    def call_all(self, hook: str, **kwargs: Any) -> list[Any]:
        return []


def test_erasing_a_speaker_scrubs_published_schedule_versions(
    db: Session, make: Any, registry: Any
) -> None:
    from plugins.symposium.models import ScheduleVersion

    user = make.user(VISITOR, "Sekar Ayu Prameswari")
    event = make.event("jatim-2026", plugins=["symposium"])
    speaker = Speaker(event_id=event.id, name="Sekar Ayu Prameswari", email=VISITOR, bio="Bio")
    db.add(speaker)
    db.flush()
    db.add(
        ScheduleVersion(
            event_id=event.id,
            number=1,
            items=[{"title": "Panel", "speakers": [{"id": speaker.id, "name": speaker.name}]}],
            changes={"added": ["Panel (Sekar Ayu Prameswari)"]},
        )
    )
    db.commit()
    privacy.erase_user(db, registry, db.merge(user), actor_id=None)
    db.commit()
    assert _rows_mentioning(db, "Sekar Ayu Prameswari") == {}
    version = db.scalar(select(ScheduleVersion))
    assert version.items[0]["speakers"][0] == {"id": speaker.id, "name": "[dihapus]"}
    db.commit()


def test_a_consent_can_be_withdrawn_on_my_data(
    client: Any, db: Session, make: Any, auth: Any
) -> None:
    user = make.user(VISITOR, "Sekar Ayu")
    event = make.event("jatim-2026", plugins=["symposium"])
    (consent,) = privacy.record_consents(
        db, db.merge(event), ["photos", "photos", "unknown"], user=db.merge(user)
    )
    db.commit()
    auth.login(VISITOR)
    page = client.get("/account/data").get_data(as_text=True)
    assert f"/account/consents/{consent.id}/withdraw" in page
    assert client.post(f"/account/consents/{consent.id}/withdraw").status_code == 302
    db.expire_all()
    assert db.get(Consent, consent.id).withdrawn_at is not None
    db.commit()
    other = make.user("orang@example.id", "Orang")
    (theirs,) = privacy.record_consents(db, db.merge(event), ["newsletter"], user=db.merge(other))
    db.commit()
    client.post(f"/account/consents/{theirs.id}/withdraw")
    db.expire_all()
    assert db.get(Consent, theirs.id).withdrawn_at is None  # not the caller's
    db.commit()


def test_the_last_site_admin_cannot_erase_their_account(
    client: Any, make: Any, api_token: Any
) -> None:
    make.user("root@example.id", "Root", admin=True)
    headers = api_token("root@example.id")
    refused = client.delete(f"{API}/me", json={"password": PASSWORD}, headers=headers)
    assert refused.status_code == 409 and "password" in refused.get_json()["error"]["fields"]
    make.user("root2@example.id", "Root Dua", admin=True)
    assert (
        client.delete(f"{API}/me", json={"password": PASSWORD}, headers=headers).status_code == 204
    )
