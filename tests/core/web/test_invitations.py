"""Invitation and reset links belong to their recipient: never shown to organizers, never
re-minted for an existing account, single use, superseded by a newer link, expiring."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.services import accounts
from tests.conftest import PASSWORD
from tests.core.web.conftest import link_path, mails

JUDGE = "juri@example.id"


def _appoint(client: Any, slug: str, email: str = JUDGE, role: str = "judge") -> Any:
    return client.post(f"/{slug}/manage/people", data={"email": email, "role": role})


def _set_password(client: Any, path: str, password: str) -> Any:
    return client.post(path, data={"password": password, "confirm": password})


def _two_organizers(app: Any, make: Any) -> tuple[Any, Any]:
    """Organizers of event A (jatim-2026) and event B (jateng-2026), signed in."""
    org_a = make.user("a@example.id", "Panitia A")
    org_b = make.user("b@example.id", "Panitia B")
    make.event("jatim-2026", organizer=org_a)
    make.event("jateng-2026", organizer=org_b)
    clients = []
    for email in ("a@example.id", "b@example.id"):
        c = app.test_client()
        assert c.post("/auth/login", data={"email": email, "password": PASSWORD}).status_code == 302
        clients.append(c)
    return clients[0], clients[1]


def test_event_b_appointing_a_judge_invited_by_event_a_gets_no_link(
    app: Any, make: Any, db: Session
) -> None:
    a, b = _two_organizers(app, make)
    assert _appoint(a, "jatim-2026").status_code == 302
    [invitation] = mails(db, JUDGE)
    a_link = link_path(invitation.body_text)
    assert a_link.startswith("/auth/invitation/")
    nonce = accounts.find_user(db, JUDGE).link_nonce
    db.commit()

    assert _appoint(b, "jateng-2026").status_code == 302
    notice = mails(db, JUDGE)[-1]
    assert "/auth/invitation/" not in notice.body_text
    assert "/auth/reset/" not in notice.body_text
    assert "/auth/forgot" in notice.body_text  # how to get in without a new link
    assert accounts.find_user(db, JUDGE).link_nonce == nonce  # nothing new was minted
    db.commit()
    outbox_b = b.get("/jateng-2026/manage/outbox").get_data(as_text=True)
    assert JUDGE in outbox_b and "[link hidden]" in outbox_b
    assert "/auth/invitation/" not in outbox_b and "/auth/reset/" not in outbox_b
    outbox_a = a.get("/jatim-2026/manage/outbox").get_data(as_text=True)
    assert "/auth/invitation/" not in outbox_a and "[link hidden]" in outbox_a

    # A's link, only in the judge's own mail, still works; the judge holds both roles.
    judge = app.test_client()
    assert _set_password(judge, a_link, "juri-password-1").status_code == 302
    me = judge.get("/api/v1/me").get_json()
    assert {(r["event"], r["role"]) for r in me["roles"]} == {
        ("jatim-2026", "judge"),
        ("jateng-2026", "judge"),
    }
    # B never became the judge.
    assert {r["event"] for r in b.get("/api/v1/me").get_json()["roles"]} == {"jateng-2026"}


def test_a_newer_link_kills_the_invitation(app: Any, make: Any, db: Session) -> None:
    a, _b = _two_organizers(app, make)
    _appoint(a, "jatim-2026")
    a_link = link_path(mails(db, JUDGE)[0].body_text)
    stranger = app.test_client()
    assert stranger.post("/auth/forgot", data={"email": JUDGE}).status_code == 302
    reset_link = link_path(mails(db, JUDGE)[-1].body_text)
    assert reset_link.startswith("/auth/reset/")
    judge = app.test_client()
    refused = _set_password(judge, a_link, "juri-password-1")
    assert refused.status_code == 400 and "no longer valid" in refused.get_data(as_text=True)
    assert _set_password(judge, reset_link, "juri-password-1").status_code == 302
    assert accounts.is_verified(accounts.find_user(db, JUDGE))


def test_invitation_link_expires_and_works_once(app: Any, make: Any, db: Session) -> None:
    a, _b = _two_organizers(app, make)
    _appoint(a, "jatim-2026")
    link = link_path(mails(db, JUDGE)[0].body_text)
    app.config["INVITATION_MAX_AGE"] = -1
    assert _set_password(app.test_client(), link, "juri-password-1").status_code == 400
    app.config["INVITATION_MAX_AGE"] = 3600
    assert _set_password(app.test_client(), link, "juri-password-1").status_code == 302
    assert _set_password(app.test_client(), link, "juri-password-2").status_code == 400


def test_appointing_an_unverified_account_mints_nothing_and_grants_nothing(
    app: Any, make: Any, db: Session
) -> None:
    squatter = app.test_client()
    squatter.post(
        "/auth/signup",
        data={"name": "S", "email": JUDGE, "password": PASSWORD, "confirm": PASSWORD},
    )
    a, _b = _two_organizers(app, make)
    _appoint(a, "jatim-2026")
    notice = mails(db, JUDGE)[-1]
    assert "/auth/invitation/" not in notice.body_text
    login = squatter.post("/auth/login", data={"email": JUDGE, "password": PASSWORD})
    assert "Confirm your e-mail first" in login.get_data(as_text=True)
    assert squatter.get("/api/v1/me").status_code == 401
    people = a.get("/jatim-2026/manage/people").get_data(as_text=True)
    assert JUDGE in people and "e-mail not confirmed" in people


def test_site_admin_on_development_sees_full_bodies_others_never(
    app: Any, make: Any, db: Session
) -> None:
    a, _b = _two_organizers(app, make)
    _appoint(a, "jatim-2026")
    make.user("admin@example.id", "Admin", admin=True)
    admin = app.test_client()
    admin.post("/auth/login", data={"email": "admin@example.id", "password": PASSWORD})
    assert app.config["ENV_NAME"] == "development"
    page = admin.get("/jatim-2026/manage/outbox").get_data(as_text=True)
    assert "/auth/invitation/" in page and "site admin on a development instance" in page
    assert "/auth/invitation/" not in a.get("/jatim-2026/manage/outbox").get_data(as_text=True)
    app.config["ENV_NAME"] = "staging"
    page = admin.get("/jatim-2026/manage/outbox").get_data(as_text=True)
    assert "/auth/invitation/" not in page and "[link hidden]" in page


def test_outbox_is_translated(app: Any, make: Any, db: Session) -> None:
    a, _b = _two_organizers(app, make)
    _appoint(a, "jatim-2026")
    a.post("/lang/id", data={"next": "/"})
    page = a.get("/jatim-2026/manage/outbox").get_data(as_text=True)
    assert "[tautan disembunyikan]" in page
