"""The organizer console: access, settings, status, plugins, people, clone, passes, logs."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from core.models import (
    AuditEntry,
    Event,
    EventRole,
    Innovation,
    JudgeConflict,
    Organization,
    User,
    VisitorPass,
)
from core.services import accounts, cloning, events, passes
from core.services.errors import Conflict, ValidationFailed
from tests.conftest import PASSWORD
from tests.core.web.conftest import link_path, mails, reload

CONSOLE_PAGES = [
    "/jatim-2026/manage/",
    "/jatim-2026/manage/settings",
    "/jatim-2026/manage/plugins",
    "/jatim-2026/manage/plugins/symposium/settings",
    "/jatim-2026/manage/people",
    "/jatim-2026/manage/clone",
    "/jatim-2026/manage/passes",
    "/jatim-2026/manage/passes/print",
    "/jatim-2026/manage/audit",
    "/jatim-2026/manage/outbox",
]


def count(db: Session, model: Any, *where: Any) -> int:
    """Rows of ``model`` matching ``where`` (ends the read transaction)."""
    found = db.scalar(select(func.count()).select_from(model).where(*where)) or 0
    db.commit()
    return found


def fresh_event(db: Session, slug: str = "jatim-2026") -> Event:
    """The event as stored now."""
    db.expire_all()
    found = db.scalar(select(Event).where(Event.slug == slug).options(selectinload(Event.plugins)))
    db.commit()
    return found


# --- access --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", CONSOLE_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client: Any, event: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("path", CONSOLE_PAGES)
def test_other_users_are_refused(client: Any, auth: Any, make: Any, event: Any, path: str) -> None:
    make.user("someone@example.id", "Someone")
    auth.login("someone@example.id")
    response = client.get(path)
    assert response.status_code == 403
    assert "You may not open this page" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", CONSOLE_PAGES)
def test_organizers_and_admins_get_in(
    client: Any, auth: Any, make: Any, signed_in_organizer: Any, path: str
) -> None:
    assert client.get(path).status_code == 200
    auth.logout()
    make.user("root@example.id", "Root", admin=True)
    auth.login("root@example.id")
    assert client.get(path).status_code == 200


def test_unknown_event_is_404(client: Any, signed_in_organizer: Any) -> None:
    assert client.get("/no-such-event/manage/").status_code == 404
    assert client.post("/no-such-event/manage/passes", data={"count": 3}).status_code == 404


def test_a_judge_is_not_an_organizer(
    client: Any, auth: Any, make: Any, db: Session, event: Any
) -> None:
    from core.services import roles

    roles.appoint(db, event, email="judge@example.id", role="judge", name="Judge")
    db.commit()
    accounts.set_password_from_link(accounts.find_user(db, "judge@example.id"), PASSWORD)
    db.commit()
    auth.login("judge@example.id")
    assert client.get("/jatim-2026/manage/").status_code == 403


def test_anonymous_posts_change_nothing(client: Any, event: Any, db: Session) -> None:
    response = client.post("/jatim-2026/manage/status", data={"status": "archived"})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert fresh_event(db).status == "published"


def test_organizer_of_a_draft_is_sent_to_sign_in_first(
    client: Any, make: Any, organizer: Any
) -> None:
    make.event("draft-2027", status="draft", organizer=organizer)
    response = client.get("/draft-2027/manage/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    client.post("/auth/login", data={"email": organizer.email, "password": PASSWORD})
    assert client.get("/draft-2027/manage/").status_code == 200


def test_other_users_get_404_for_a_draft(client: Any, auth: Any, make: Any, organizer: Any) -> None:
    make.event("draft-2027", status="draft", organizer=organizer)
    make.user("someone@example.id", "Someone")
    auth.login("someone@example.id")
    assert client.get("/draft-2027/manage/").status_code == 404


# --- settings and status -------------------------------------------------------------------

SETTINGS = {
    "name": "Pameran Inovasi 2026",
    "year": "2026",
    "venue": "Grand City, Surabaya",
    "starts_on": "2026-12-10",
    "ends_on": "2026-12-12",
    "timezone": "Asia/Makassar",
    "description": "Tahun ini di Surabaya.",
}


def test_settings_are_saved_and_audited(client: Any, signed_in_organizer: Any, db: Session) -> None:
    response = client.post("/jatim-2026/manage/settings", data=SETTINGS)
    assert response.status_code == 302
    saved = fresh_event(db)
    assert saved.name == "Pameran Inovasi 2026"
    assert saved.ends_on == date(2026, 12, 12)
    assert saved.timezone == "Asia/Makassar"
    assert count(db, AuditEntry, AuditEntry.action == "event.updated") == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": "2026-12-01"}, "The event cannot end before it starts."),
        ({"starts_on": "not-a-date"}, "Not a valid date value."),
        ({"name": ""}, "This field is required."),
        ({"timezone": "Mars/Olympus"}, "Not a valid choice"),
        ({"year": "20000"}, "Number must be between"),
    ],
)
def test_bad_settings_show_an_error_and_save_nothing(
    client: Any, signed_in_organizer: Any, db: Session, changes: dict[str, str], message: str
) -> None:
    response = client.post("/jatim-2026/manage/settings", data={**SETTINGS, **changes})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    saved = fresh_event(db)
    assert saved.name == "Event jatim-2026"
    assert saved.ends_on == date(2026, 12, 11)
    assert count(db, AuditEntry, AuditEntry.action == "event.updated") == 0


def test_service_refuses_end_before_start(db: Session, event: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        events.update_event(db, event, {"ends_on": date(2026, 1, 1)})
    assert "ends_on" in caught.value.fields
    db.rollback()
    assert fresh_event(db).ends_on == date(2026, 12, 11)


@pytest.mark.parametrize("status", ["archived", "draft", "published"])
def test_publish_archive_and_back_to_draft(
    client: Any, signed_in_organizer: Any, db: Session, status: str
) -> None:
    response = client.post("/jatim-2026/manage/status", data={"status": status})
    assert response.status_code == 302
    assert fresh_event(db).status == status


def test_unknown_status_changes_nothing(client: Any, signed_in_organizer: Any, db: Session) -> None:
    response = client.post(
        "/jatim-2026/manage/status", data={"status": "deleted"}, follow_redirects=True
    )
    assert "Unknown status." in response.get_data(as_text=True)
    assert fresh_event(db).status == "published"


def test_archiving_keeps_the_event_public_and_drafting_hides_it(
    client: Any, app: Any, signed_in_organizer: Any
) -> None:
    client.post("/jatim-2026/manage/status", data={"status": "draft"})
    anonymous = app.test_client()
    assert anonymous.get("/jatim-2026/").status_code == 404
    client.post("/jatim-2026/manage/status", data={"status": "archived"})
    assert anonymous.get("/jatim-2026/").status_code == 200


# --- plugins -------------------------------------------------------------------------------


def test_switchboard_lists_every_plugin_with_its_state(
    client: Any, signed_in_organizer: Any
) -> None:
    page = client.get("/jatim-2026/manage/plugins").get_data(as_text=True)
    for name in ("registration", "exhibitors", "symposium", "voting"):
        assert f'id="plugin-{name}"' in page
    on_row = page.split('id="plugin-symposium"')[1].split("</li>")[0]
    off_row = page.split('id="plugin-voting"')[1].split("</li>")[0]
    assert 'name="enabled" value="0"' in on_row
    assert 'name="enabled" value="1"' in off_row


def test_turning_a_plugin_off_hides_its_page_at_once(
    client: Any, app: Any, signed_in_organizer: Any, db: Session
) -> None:
    changes_before = count(db, AuditEntry, AuditEntry.action == "plugins.changed")
    visitor = app.test_client()
    assert visitor.get("/jatim-2026/symposium/").status_code == 200
    response = client.post(
        "/jatim-2026/manage/plugins", data={"plugin": "symposium", "enabled": "0"}
    )
    assert response.status_code == 302
    assert visitor.get("/jatim-2026/symposium/").status_code == 404
    assert client.get("/jatim-2026/symposium/").status_code == 404  # for organizers too
    assert 'data-plugin="symposium"' not in visitor.get("/jatim-2026/").get_data(as_text=True)
    client.post("/jatim-2026/manage/plugins", data={"plugin": "symposium", "enabled": "1"})
    assert visitor.get("/jatim-2026/symposium/").status_code == 200
    assert 'data-plugin="symposium"' in visitor.get("/jatim-2026/").get_data(as_text=True)
    assert count(db, AuditEntry, AuditEntry.action == "plugins.changed") == changes_before + 2


def test_turning_on_a_plugin(client: Any, signed_in_organizer: Any, db: Session) -> None:
    assert client.get("/jatim-2026/voting/").status_code == 404
    client.post("/jatim-2026/manage/plugins", data={"plugin": "voting", "enabled": "1"})
    assert fresh_event(db).enabled_plugin_names == ["exhibitors", "symposium", "voting"]
    assert client.get("/jatim-2026/voting/").status_code == 200


@pytest.mark.parametrize(
    "data", [{"plugin": "teleport", "enabled": "1"}, {"plugin": "", "enabled": "1"}, {}]
)
def test_unknown_plugin_is_422_and_changes_nothing(
    client: Any, signed_in_organizer: Any, db: Session, data: dict[str, str]
) -> None:
    response = client.post("/jatim-2026/manage/plugins", data=data)
    assert response.status_code == 422
    assert fresh_event(db).enabled_plugin_names == ["exhibitors", "symposium"]


def test_plugin_settings_form_saves_valid_values(
    client: Any, signed_in_organizer: Any, db: Session
) -> None:
    page = client.get("/jatim-2026/manage/plugins/symposium/settings").get_data(as_text=True)
    assert 'name="buffer_minutes"' in page
    response = client.post(
        "/jatim-2026/manage/plugins/symposium/settings",
        data={"day_starts": "09:00", "day_ends": "16:30", "buffer_minutes": "15"},
    )
    assert response.status_code == 302
    row = next(p for p in fresh_event(db).plugins if p.name == "symposium")
    assert row.settings["buffer_minutes"] == 15
    assert row.settings["day_ends"] == "16:30"


@pytest.mark.parametrize(
    "data",
    [
        {"day_starts": "09:00", "day_ends": "16:30", "buffer_minutes": "-5"},
        {"day_starts": "9 pagi", "day_ends": "16:30", "buffer_minutes": "10"},
        {"day_starts": "17:00", "day_ends": "09:00", "buffer_minutes": "10"},
    ],
)
def test_plugin_settings_form_refuses_bad_values(
    client: Any, signed_in_organizer: Any, db: Session, data: dict[str, str]
) -> None:
    before = next(p for p in fresh_event(db).plugins if p.name == "symposium").settings
    response = client.post("/jatim-2026/manage/plugins/symposium/settings", data=data)
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True) or "flash-error" in response.get_data(
        as_text=True
    )
    after = next(p for p in fresh_event(db).plugins if p.name == "symposium").settings
    assert after == before


def test_settings_of_a_disabled_or_unknown_plugin_are_404(
    client: Any, signed_in_organizer: Any
) -> None:
    assert client.get("/jatim-2026/manage/plugins/voting/settings").status_code == 404
    assert client.get("/jatim-2026/manage/plugins/teleport/settings").status_code == 404


# --- people --------------------------------------------------------------------------------


def test_appointing_a_new_email_invites_them(
    client: Any, app: Any, signed_in_organizer: Any, db: Session
) -> None:
    response = client.post(
        "/jatim-2026/manage/people",
        data={"email": "Juri.Baru@Example.ID", "name": "Juri Baru", "role": "judge"},
    )
    assert response.status_code == 302
    invited = accounts.find_user(db, "juri.baru@example.id")
    db.commit()
    assert invited is not None and invited.password_hash is None and invited.name == "Juri Baru"
    assert count(db, EventRole, EventRole.user_id == invited.id, EventRole.role == "judge") == 1
    [message] = mails(db, "juri.baru@example.id")
    assert message.event_id is not None
    path = link_path(message.body_text)
    assert path.startswith("/auth/invitation/")
    people = client.get("/jatim-2026/manage/people").get_data(as_text=True)
    assert "juri.baru@example.id" in people and "invited" in people

    newcomer = app.test_client()
    assert "Juri Baru" in newcomer.get(path).get_data(as_text=True)
    accepted = newcomer.post(
        path, data={"password": "juri-password-1", "confirm": "juri-password-1"}
    )
    assert accepted.status_code == 302
    assert "Sign out" in newcomer.get("/").get_data(as_text=True)
    assert reload(db, User, invited.id).password_hash.startswith("$argon2id$")
    again = app.test_client().post(
        path, data={"password": "other-password", "confirm": "other-password"}
    )
    assert again.status_code == 400


def test_appointing_an_existing_user_mails_a_notice_not_an_invitation(
    client: Any, make: Any, signed_in_organizer: Any, db: Session
) -> None:
    make.user("ani@example.id", "Ani")
    client.post("/jatim-2026/manage/people", data={"email": "ani@example.id", "role": "organizer"})
    [message] = mails(db, "ani@example.id")
    assert "/auth/invitation/" not in message.body_text
    assert "/jatim-2026/" in message.body_text


def test_judge_conflicts_are_stored(client: Any, signed_in_organizer: Any, db: Session) -> None:
    orgs = [Organization(name=f"Dinas {i}", region="Surabaya") for i in range(2)]
    orgs[1].short_name = "Dis1"
    db.add_all(orgs)
    db.commit()
    form = client.get("/jatim-2026/manage/people").get_data(as_text=True)
    assert f'<option value="{orgs[1].id}">Dinas 1 (Dis1) \u2014 Surabaya</option>' in form
    # the picker is searchable without JavaScript: a GET search narrows the options
    found = client.get("/jatim-2026/manage/people?agencies=DIS1").get_data(as_text=True)
    assert f'value="{orgs[1].id}"' in found and f'value="{orgs[0].id}"' not in found
    response = client.post(
        "/jatim-2026/manage/people",
        data={"email": "juri@example.id", "role": "judge", "conflicts": [orgs[0].id, orgs[1].id]},
    )
    assert response.status_code == 302
    assert count(db, JudgeConflict) == 2
    page = client.get("/jatim-2026/manage/people").get_data(as_text=True)
    assert "<td>Dinas 0; Dinas 1 (Dis1)</td>" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"email": "juri@example.id", "role": "judge", "conflicts": "9999"},
            "&#39;9999&#39; is not a valid choice for this field.",
        ),
        (
            {"email": "juri@example.id", "role": "judge", "conflicts": "satu, dua"},
            "Invalid choice(s): one or more data inputs could not be coerced.",
        ),
        ({"email": "not-an-email", "role": "judge"}, "Invalid email address."),
        ({"email": "juri@example.id", "role": "king"}, "Not a valid choice"),
    ],
)
def test_bad_appointments_change_nothing(
    client: Any, signed_in_organizer: Any, db: Session, data: dict[str, str], message: str
) -> None:
    response = client.post("/jatim-2026/manage/people", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert accounts.find_user(db, "juri@example.id") is None
    db.commit()
    assert count(db, EventRole) == 1
    assert mails(db) == []


def test_revoking_a_role(client: Any, signed_in_organizer: Any, db: Session) -> None:
    client.post("/jatim-2026/manage/people", data={"email": "juri@example.id", "role": "judge"})
    judge_role = db.scalar(select(EventRole).where(EventRole.role == "judge"))
    db.commit()
    response = client.post(f"/jatim-2026/manage/people/{judge_role.id}/revoke")
    assert response.status_code == 302
    assert count(db, EventRole, EventRole.role == "judge") == 0
    assert count(db, AuditEntry, AuditEntry.action == "role.revoked") == 1


def test_an_organizer_cannot_remove_themself(
    client: Any, signed_in_organizer: Any, db: Session
) -> None:
    own = db.scalar(select(EventRole).where(EventRole.user_id == signed_in_organizer.id))
    db.commit()
    response = client.post(f"/jatim-2026/manage/people/{own.id}/revoke", follow_redirects=True)
    assert "You cannot remove yourself as organizer." in response.get_data(as_text=True)
    assert count(db, EventRole) == 1


def test_revoking_a_role_of_another_event_is_404(
    client: Any, make: Any, signed_in_organizer: Any, db: Session
) -> None:
    other_organizer = make.user("lain@example.id", "Lain")
    make.event("jateng-2026", organizer=other_organizer)
    foreign = db.scalar(select(EventRole).where(EventRole.user_id == other_organizer.id))
    db.commit()
    assert client.post(f"/jatim-2026/manage/people/{foreign.id}/revoke").status_code == 404
    assert client.post("/jatim-2026/manage/people/999999/revoke").status_code == 404
    assert count(db, EventRole) == 2


# --- clone ---------------------------------------------------------------------------------

CLONE = {
    "slug": "jatim-2027",
    "name": "Event jatim-2027",
    "year": "2027",
    "starts_on": "2027-12-09",
    "ends_on": "2027-12-10",
}


def _add_participants(db: Session, event: Any) -> None:
    organization = Organization(name="Dinas Kominfo", region="Surabaya")
    db.add(organization)
    db.flush()
    db.add(
        Innovation(
            event_id=event.id,
            organization_id=organization.id,
            title="Sapa Warga",
            status="accepted",
        )
    )
    passes.issue_passes(db, event, 3)
    db.commit()


def test_clone_form_suggests_next_year(client: Any, signed_in_organizer: Any) -> None:
    page = client.get("/jatim-2026/manage/clone").get_data(as_text=True)
    assert 'value="jatim-2027"' in page
    assert 'value="2027-12-10"' in page


def test_clone_into_next_year_copies_configuration_not_participants(
    client: Any, signed_in_organizer: Any, db: Session, event: Any
) -> None:
    _add_participants(db, event)
    client.post(
        "/jatim-2026/manage/plugins/symposium/settings",
        data={"day_starts": "09:00", "day_ends": "16:30", "buffer_minutes": "25"},
    )
    response = client.post("/jatim-2026/manage/clone", data=CLONE)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/jatim-2027/manage/")
    copy = fresh_event(db, "jatim-2027")
    assert copy.status == "draft" and copy.year == 2027 and copy.cloned_from_id == event.id
    assert copy.enabled_plugin_names == ["exhibitors", "symposium"]
    symposium = next(p for p in copy.plugins if p.name == "symposium")
    assert symposium.settings["buffer_minutes"] == 25
    assert count(db, Innovation, Innovation.event_id == copy.id) == 0
    assert count(db, VisitorPass, VisitorPass.event_id == copy.id) == 0
    assert count(db, EventRole, EventRole.event_id == copy.id, EventRole.role == "organizer") == 1
    assert client.get("/jatim-2027/manage/").status_code == 200


def test_clone_with_a_taken_slug_is_a_form_error(
    client: Any, make: Any, signed_in_organizer: Any, db: Session
) -> None:
    make.event("jatim-2027")
    response = client.post("/jatim-2026/manage/clone", data={**CLONE, "name": "Copy"})
    assert response.status_code == 409
    assert "Another event uses this address." in response.get_data(as_text=True)
    assert count(db, Event) == 2
    assert count(db, Event, Event.name == "Copy") == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"slug": "Jatim 2027!"}, "lowercase letters, digits and dashes"),
        ({"slug": "admin"}, "This address is reserved."),
        ({"ends_on": "2027-01-01"}, "The event cannot end before it starts."),
    ],
)
def test_clone_with_bad_values_creates_nothing(
    client: Any, signed_in_organizer: Any, db: Session, changes: dict[str, str], message: str
) -> None:
    response = client.post("/jatim-2026/manage/clone", data={**CLONE, **changes})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(db, Event) == 1


def test_clone_service_refuses_a_taken_slug(db: Session, registry: Any, event: Any) -> None:
    with pytest.raises(Conflict):
        cloning.clone_event(
            db,
            registry,
            event,
            slug="jatim-2026",
            name="Again",
            year=2027,
            starts_on=date(2027, 1, 1),
            ends_on=date(2027, 1, 2),
        )


# --- passes --------------------------------------------------------------------------------


def test_issue_and_print_passes(client: Any, signed_in_organizer: Any, db: Session) -> None:
    response = client.post("/jatim-2026/manage/passes", data={"count": "7"})
    assert response.status_code == 302
    assert count(db, VisitorPass) == 7
    codes = list(db.scalars(select(VisitorPass.code)))
    db.commit()
    listing = client.get("/jatim-2026/manage/passes").get_data(as_text=True)
    assert all(code in listing for code in codes)
    sheet = client.get("/jatim-2026/manage/passes/print")
    assert sheet.status_code == 200
    html = sheet.get_data(as_text=True)
    assert len(re.findall(r"<svg\b", html)) == 7
    assert all(code in html for code in codes)
    assert "print.css" in html
    assert count(db, AuditEntry, AuditEntry.action == "passes.issued") == 1


@pytest.mark.parametrize("value", ["0", "-3", "2001", "lots", ""])
def test_bad_pass_counts_issue_nothing(
    client: Any, signed_in_organizer: Any, db: Session, value: str
) -> None:
    response = client.post("/jatim-2026/manage/passes", data={"count": value})
    assert response.status_code == 422
    assert count(db, VisitorPass) == 0


def test_pass_codes_are_unique_and_readable(db: Session, event: Any) -> None:
    issued = passes.issue_passes(db, event, 50)
    codes = {p.code for p in issued}
    assert len(codes) == 50
    assert all(
        re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}", c) for c in codes
    )
    some = issued[0].code
    assert passes.find_pass(db, event, some.lower().replace("-", " ")) is issued[0]


# --- audit log and outbox ------------------------------------------------------------------


def test_audit_log_shows_the_changes(client: Any, signed_in_organizer: Any) -> None:
    client.post("/jatim-2026/manage/settings", data=SETTINGS)
    client.post("/jatim-2026/manage/people", data={"email": "juri@example.id", "role": "judge"})
    client.post("/jatim-2026/manage/plugins", data={"plugin": "voting", "enabled": "1"})
    page = client.get("/jatim-2026/manage/audit").get_data(as_text=True)
    for action in ("event.updated", "role.appointed", "plugins.changed"):
        assert action in page
    assert "Panitia" in page  # who did it
    assert page.index("plugins.changed") < page.index("event.updated")  # newest first


def test_audit_log_is_per_event(
    client: Any, make: Any, signed_in_organizer: Any, organizer: Any
) -> None:
    make.event("jateng-2026", organizer=organizer)
    client.post("/jateng-2026/manage/status", data={"status": "archived"})
    assert "event.updated" in client.get("/jateng-2026/manage/audit").get_data(as_text=True)
    assert "event.updated" not in client.get("/jatim-2026/manage/audit").get_data(as_text=True)


def test_outbox_shows_logged_mail(client: Any, signed_in_organizer: Any) -> None:
    assert "No e-mail yet." in client.get("/jatim-2026/manage/outbox").get_data(as_text=True)
    client.post("/jatim-2026/manage/people", data={"email": "juri@example.id", "role": "judge"})
    page = client.get("/jatim-2026/manage/outbox").get_data(as_text=True)
    assert "juri@example.id" in page
    assert "logged" in page
    assert "/auth/invitation/" not in page  # links belong to the recipient
    assert "[link hidden]" in page


@pytest.mark.parametrize("limit", ["-5", "0", "abc", "99999"])
def test_print_sheet_survives_odd_limits(client: Any, signed_in_organizer: Any, limit: str) -> None:
    client.post("/jatim-2026/manage/passes", data={"count": "2"})
    response = client.get(f"/jatim-2026/manage/passes/print?limit={limit}")
    assert response.status_code == 200
    assert len(re.findall(r"<svg\b", response.get_data(as_text=True))) == 2


def test_outbox_shows_queued_mail_until_the_sender_runs(
    app: Any, client: Any, runner: Any, signed_in_organizer: Any, db: Session
) -> None:
    app.config["MAIL_SEND_IMMEDIATELY"] = False
    client.post("/jatim-2026/manage/people", data={"email": "juri@example.id", "role": "judge"})
    assert [m.status for m in mails(db)] == ["queued"]
    assert "badge-queued" in client.get("/jatim-2026/manage/outbox").get_data(as_text=True)
    runner.invoke(args=["mail", "send"])
    assert [m.status for m in mails(db)] == ["logged"]
    assert "badge-logged" in client.get("/jatim-2026/manage/outbox").get_data(as_text=True)
