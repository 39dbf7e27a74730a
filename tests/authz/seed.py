"""One app per database backend with two events and somebody of every kind, for the matrix.

Event A (``SLUG_A``, published, all four plugins) has some of everything: approved
registrations of agencies P and Q (each with its own member), booths, a zone, rooms, a
track, a session with a speaker and an availability window, a judge with an assignment,
voting stages, visitor passes (one held by the visitor persona), uploads (a registration
document, a logo, a speaker photo).  Event B (``SLUG_B``) is organized by somebody else.
A third event (``SLUG_DRAFT``) is a draft with all plugins, organized by A's organizer.

Everything is created through the services or the JSON API as the site admin would, so
the seed follows the same rules as real data.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select

from core import create_app
from core.db import get_db
from core.models import Membership, OrganizationClaim, VisitorPass
from core.services import accounts, events, memberships, passes, plugin_settings, roles
from tests.conftest import PASSWORD, TEST_SECRET

SLUG_A = "acara-a"
SLUG_B = "acara-b"
SLUG_DRAFT = "acara-draf"
PLUGINS = ["exhibitors", "registration", "symposium", "voting"]
# Persona name → e-mail of its account (``anonymous`` has none).
EMAILS = {
    "visitor": "pengunjung@example.id",
    "exhibitor_other": "anggota.q@example.id",
    "judge": "juri@example.id",
    "organizer_other": "panitia.b@example.id",
    "organizer": "panitia.a@example.id",
    "admin": "admin@example.id",
}
PERSONAS = ("anonymous", *EMAILS)
MEMBER_P = "anggota.p@example.id"
OPEN_WINDOW = {"opens_at": "2001-01-01T00:00:00+07:00", "closes_at": "2999-01-01T00:00:00+07:00"}


@dataclass
class Seed:
    """The seeded app and the ids and codes that fill URL parameters."""

    app: Flask
    backend: str
    values: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    counter: int = 0

    def admin_api(self, method: str, path: str, body: Any, *statuses: int) -> Any:
        """Call event A's API as the site admin (``path`` after the event); the JSON answer."""
        response = self.app.test_client().open(
            f"/api/v1/events/{SLUG_A}/{path}".rstrip("/"),
            method=method,
            json=body,
            headers=self.tokens["admin"],
        )
        return _ok(response, *(statuses or (200, 201)))

    def add_member_of_p(self, email: str) -> int:
        """A new verified account made a member of agency P; its user id."""
        session = get_db(self.app).new_session()
        try:
            user = accounts.create_user(
                session, email=email, name="Anggota", password=PASSWORD, verified=True
            )
            memberships.grant(session, self.values["organization_id"], user.id)
            session.commit()
            return user.id
        finally:
            session.close()

    def appoint(self, email: str, role: str = "judge") -> int:
        """Appoint ``email`` in event A through the service; the role's id."""
        session = get_db(self.app).new_session()
        try:
            with self.app.test_request_context():
                made, _created = roles.appoint(
                    session, events.get_event(session, SLUG_A), email=email, role=role
                )
                session.commit()
                return made.id
        finally:
            session.close()

    def client(self, persona: str) -> FlaskClient:
        """A fresh test client signed in as ``persona`` (a copy of its session cookie)."""
        client = self.app.test_client()
        cookie = self.cookies.get(persona)
        if cookie is not None:
            client.set_cookie(self.app.config["SESSION_COOKIE_NAME"], cookie, domain="gelar.test")
        return client

    def sign_in(self, persona: str) -> FlaskClient:
        """A client with a new session of its own (for requests that end the session)."""
        client = self.app.test_client()
        if persona != "anonymous":
            response = client.post(
                "/auth/login", data={"email": EMAILS[persona], "password": PASSWORD}
            )
            assert response.status_code == 302, (persona, response.status_code)
        return client

    def renew(self, persona: str) -> None:
        """A new session cookie and API token for ``persona`` (after a route ended theirs)."""
        if persona == "anonymous":
            return
        signed_in = self.sign_in(persona)
        cookie = signed_in.get_cookie(self.app.config["SESSION_COOKIE_NAME"], domain="gelar.test")
        assert cookie is not None, persona
        self.cookies[persona] = cookie.value
        session = get_db(self.app).new_session()
        try:
            user = accounts.find_user(session, EMAILS[persona])
            assert user is not None
            raw, _expires = accounts.issue_api_token(session, user, ttl_hours=24)
            session.commit()
        finally:
            session.close()
        self.tokens[persona] = {"Authorization": f"Bearer {raw}"}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _ok(response: Any, *statuses: int) -> Any:
    assert response.status_code in (statuses or (200, 201)), (
        response.request.path,
        response.status_code,
        response.get_data(as_text=True)[:500],
    )
    return response.get_json(silent=True)


def build_app(database_url: str, instance: Path) -> Flask:
    """The matrix app: CSRF off, rate limits off, English pages."""
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": TEST_SECRET,
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": "gelar.test",
            "RATELIMIT_ENABLED": False,
            "BABEL_DEFAULT_LOCALE": "en",
        }
    )


def seed(app: Flask, backend: str) -> Seed:
    """Fill the app's empty database; return what the matrix needs."""
    result = Seed(app, backend)
    values = result.values
    registry = app.extensions["gelar_plugins"]
    session = get_db(app).new_session()
    try:
        users = {
            persona: accounts.create_user(
                session,
                email=email,
                name=persona.replace("_", " ").title(),
                password=PASSWORD,
                is_admin=persona == "admin",
                verified=True,
            )
            for persona, email in EMAILS.items()
        }
        accounts.create_user(
            session, email=MEMBER_P, name="Anggota P", password=PASSWORD, verified=True
        )
        made = {}
        for slug, status, organizer in (
            (SLUG_A, "published", "organizer"),
            (SLUG_B, "published", "organizer_other"),
            (SLUG_DRAFT, "draft", "organizer"),
        ):
            event = events.create_event(
                session,
                slug=slug,
                name=f"Acara {slug}",
                year=2099,
                venue="Surabaya",
                starts_on=date(2099, 12, 10),
                ends_on=date(2099, 12, 11),
                status=status,
            )
            plugin_settings.set_enabled_plugins(session, registry, event, PLUGINS)
            roles.appoint(session, event, email=users[organizer].email, role="organizer")
            plugin_settings.update_settings(session, registry, event, "registration", OPEN_WINDOW)
            made[slug] = event
        roles.appoint(session, made[SLUG_A], email=users["judge"].email, role="judge")
        spare, _ = roles.appoint(session, made[SLUG_A], email="cadangan@example.id", role="judge")
        values["role_id"] = spare.id
        session.commit()
    finally:
        session.close()

    result.renew("admin")
    client = app.test_client()
    admin = result.tokens["admin"]
    api = f"/api/v1/events/{SLUG_A}"

    # Registrations of agencies P and Q, approved; a third one stays pending.
    ids = {}
    for key, name, email in (
        ("p", "Dinas P", MEMBER_P),
        ("q", "Dinas Q", EMAILS["exhibitor_other"]),
        ("r", "Dinas R", "kontak.r@example.id"),
    ):
        body = {
            "organization": {"name": name, "kind": "government", "region": "Kota Surabaya"},
            "contact": {"name": f"Kontak {key.upper()}", "email": email, "phone": "0812-3456-7890"},
            "innovations": [
                {
                    "title": f"Inovasi {key.upper()}",
                    "summary": "Layanan jemput bola",
                    "category": "Kesehatan",
                }
            ],
        }
        ids[key] = _ok(client.post(f"{api}/registrations", json=body), 201)["id"]
    for key in ("p", "q"):
        _ok(
            client.post(
                f"{api}/registrations/{ids[key]}/decision",
                json={"status": "approved", "reason": ""},
                headers=admin,
            )
        )
    values["registration_id"] = ids["p"]

    session = get_db(app).new_session()
    try:
        from plugins.registration.models import Registration

        orgs = {}
        for key in ("p", "q"):
            registration = session.get(Registration, ids[key])
            orgs[key] = registration.organization_id
            member = EMAILS["exhibitor_other"] if key == "q" else MEMBER_P
            user = accounts.find_user(session, member)
            has = session.scalar(
                select(Membership.id).where(
                    Membership.user_id == user.id,
                    Membership.organization_id == registration.organization_id,
                )
            )
            if has is None:  # approval may wait for the agency's confirmation
                session.add(
                    Membership(
                        user_id=user.id,
                        organization_id=registration.organization_id,
                        role="contact",
                    )
                )
        with app.test_request_context():
            from plugins.registration.mails import status_token

            # The pending registration R's link: withdrawing it harms nothing else.
            values["registration_token"] = status_token(ids["r"])
        values["organization_id"] = orgs["p"]
        # A pending claim to join P (someone else's registration naming the same agency).
        claim = OrganizationClaim(
            organization_id=orgs["p"],
            email="pengaku@example.id",
            name="Pengaku",
            event_id=events.get_event(session, SLUG_A).id,
            registration_id=ids["r"],
        )
        session.add(claim)
        session.flush()
        values["claim_id"] = claim.id
        session.commit()
    finally:
        session.close()

    innovations = _ok(client.get(f"{api}/innovations", query_string={"organization": orgs["p"]}))
    values["innovation_id"] = innovations["items"][0]["id"]
    # An award of P's innovation (issue 15), for the awards page's per-award actions.
    award = {"innovation": values["innovation_id"], "title": "Top 45", "published": True}
    values["award_id"] = _ok(client.post(f"{api}/awards", json=award, headers=admin), 201)["id"]
    # A required document (issue 15), so the documents step's routes are reached; set after
    # the registrations above, which it would otherwise refuse.
    rules = {"eligibility": {"required_documents": [{"key": "sk", "label": "SK"}]}}
    _ok(client.put(f"{api}/plugins/registration/settings", json=rules, headers=admin))

    # Exhibitors: two booths, one assigned to P.
    for code, x in (("A1", 0), ("A2", 4)):
        _ok(
            client.post(
                f"{api}/booths",
                json={"code": code, "zone": "Utama", "x": x, "y": 0, "width": 3, "height": 3},
                headers=admin,
            ),
            201,
        )
    _ok(client.post(f"{api}/booths/assign", json={"strategy": "auto"}, headers=admin), 200, 409)
    values["booth_code"] = "A1"

    # Symposium: a room, a track, a placed session with a speaker, an availability window.
    room = _ok(
        client.post(f"{api}/rooms", json={"name": "Ruang 1", "capacity": 50}, headers=admin), 201
    )
    track = _ok(client.post(f"{api}/tracks", json={"name": "Kesehatan"}, headers=admin), 201)
    created = _ok(
        client.post(
            f"{api}/sessions",
            json={
                "title": "Pembukaan",
                "kind": "talk",
                "duration_minutes": 30,
                "speakers": [{"name": "Pembicara", "email": "pembicara@example.id"}],
                "room": room["id"],
                "starts_at": "2099-12-10T09:00:00+07:00",
                "signup_required": True,
                "capacity": 10,
            },
            headers=admin,
        ),
        201,
    )
    values["session_id"] = created["id"]
    values["track_id"] = track["id"]
    values["speaker_id"] = created["speakers"][0]["id"]
    window = _ok(
        client.post(
            f"{api}/speakers/{values['speaker_id']}/availability",
            json={"starts_at": "2099-12-10T08:00:00+07:00", "ends_at": "2099-12-10T12:00:00+07:00"},
            headers=admin,
        ),
        201,
    )
    values["window_id"] = window["id"]

    # Voting: the current stage, one assignment per innovation.
    stages = _ok(client.get(f"{api}/stages", headers=admin))
    values["stage_id"] = stages["items"][0]["id"]
    _ok(client.post(f"{api}/assignments/auto", json={"judges_per_innovation": 2}, headers=admin))
    assignments = _ok(client.get(f"{api}/assignments", headers=admin))
    judge_id = _user_id(app, EMAILS["judge"])
    values["assignment_id"] = next(
        a["id"]
        for a in assignments["items"]
        if a["judge"]["id"] == judge_id and a["innovation"]["id"] == values["innovation_id"]
    )
    values["spare_judge_id"] = _user_id(app, "cadangan@example.id")
    values["spare_assignment_id"] = next(
        a["id"] for a in assignments["items"] if a["judge"]["id"] == values["spare_judge_id"]
    )

    session = get_db(app).new_session()
    try:
        event_a = events.get_event(session, SLUG_A)
        issued = passes.issue_passes(session, event_a, 2)
        visitor = accounts.find_user(session, EMAILS["visitor"])
        held = session.scalar(select(VisitorPass).where(VisitorPass.code == issued[0].code))
        held.user_id = visitor.id
        held.holder_email = visitor.email
        values["pass_code"] = issued[1].code
        _uploads(app, session, event_a, values)
        session.commit()
    finally:
        session.close()

    for persona in EMAILS:
        result.renew(persona)
    return result


def _user_id(app: Flask, email: str) -> int:
    session = get_db(app).new_session()
    try:
        user = accounts.find_user(session, email)
        assert user is not None, email
        return user.id
    finally:
        session.close()


def _uploads(app: Flask, session: Any, event: Any, values: dict[str, Any]) -> None:
    from plugins.exhibitors import profiles
    from plugins.registration import uploads
    from plugins.symposium import photos
    from plugins.symposium.models import Speaker

    folder = Path(app.config["UPLOAD_FOLDER"])
    document = uploads.store_document(session, folder, _png(), "dokumen.png", event_id=event.id)
    values["upload_id"] = document.id
    from core.models import Innovation

    session.get(Innovation, values["innovation_id"]).document_upload_id = document.id
    profiles.store_logo(
        session,
        event,
        values["organization_id"],
        _png(),
        "logo.png",
        upload_dir=folder / "exhibitors",
    )
    speaker = session.get(Speaker, values["speaker_id"])
    photo = photos.store_photo(session, event, speaker, _png(), "foto.png", upload_root=folder)
    values["photo_id"] = photo.id
    session.flush()


def make_seed(backend: str, database_url: str, instance: Path) -> Seed:
    """Build and seed the app for ``backend``."""
    app = build_app(database_url, instance)
    return seed(app, backend)
