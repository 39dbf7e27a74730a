"""The registration pages: the exhibitor's steps, status page, review console, visitors."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Event, Innovation, Upload, VisitorPass
from plugins.registration.models import Registration
from tests.plugins.registration.conftest import (
    OFF_SLUG,
    SLUG,
    body,
    counts,
    mails_to,
    set_settings,
)

BASE = f"/{SLUG}/registration"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (11, 93, 75)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()

AGENCY = {"name": "Dinas Kominfo", "kind": "government", "region": "Kota Surabaya"}
CONTACT = {"name": "Agus", "email": "agus@kominfo.example.id", "phone": "0812 1111 2222"}


@pytest.fixture
def visitor(client: FlaskClient, event: Event) -> FlaskClient:
    """An anonymous client reading English."""
    client.post("/lang/en")
    return client


def _status_path(response: Any) -> str:
    found = re.search(r"(/jatim-2026/registration/r/[^/]+/)", response.headers["Location"])
    assert found is not None, response.headers.get("Location")
    return found.group(1)


def _innovation(index: int, **fields: Any) -> dict[str, Any]:
    return {f"innovation_{index}-{name}": value for name, value in fields.items()}


def _start(visitor: FlaskClient) -> str:
    response = visitor.post(f"{BASE}/register", data=AGENCY)
    assert response.status_code == 302, response.get_data(as_text=True)
    return _status_path(response)


def _register(visitor: FlaskClient, titles: tuple[str, ...] = ("E-KTP Kilat",)) -> str:
    """Walk every step; return the status page's path."""
    status = _start(visitor)
    assert visitor.post(f"{status}contact", data=CONTACT).status_code == 302
    data: dict[str, Any] = {}
    for index, title in enumerate(titles):
        data |= _innovation(index, title=title, summary="Cepat", category="Kesehatan")
    assert visitor.post(f"{status}innovations", data=data).status_code == 302
    assert visitor.post(f"{status}review", data={}).status_code == 302
    return status


def test_the_steps_register_an_agency_with_two_innovations(
    visitor: FlaskClient, db: Session, event: Event
) -> None:
    status = _start(visitor)
    page = visitor.get(f"{status}contact").get_data(as_text=True)
    assert "Dinas Kominfo" in page and 'aria-current="step"' in page
    assert visitor.post(f"{status}contact", data=CONTACT).status_code == 302
    data = _innovation(0, title="Satu", category="Kesehatan", cettar=["cepat", "transparan"])
    data |= _innovation(1, title="Dua", category="Pendidikan", year_launched="2018")
    data["innovation_0-document"] = (io.BytesIO(PDF), "proposal.pdf")
    response = visitor.post(f"{status}innovations", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    review = visitor.get(f"{status}review").get_data(as_text=True)
    assert "Satu" in review and "Dua" in review
    assert visitor.post(f"{status}review", data={}).status_code == 302

    db.expire_all()
    registration = db.scalar(select(Registration))
    assert registration is not None and registration.status == "pending"
    assert registration.contact_phone == "+6281211112222"
    assert [(i.title, i.status) for i in registration.innovations] == [
        ("Satu", "submitted"),
        ("Dua", "submitted"),
    ]
    assert registration.innovations[0].cettar == ["cepat", "transparan"]
    upload = db.get(Upload, registration.innovations[0].document_upload_id)
    assert upload is not None and upload.content_type == "application/pdf"
    assert upload.filename == "proposal.pdf"
    assert "/jatim-2026/registration/r/" in mails_to(db, CONTACT["email"])[-1].body_text
    page = visitor.get(status).get_data(as_text=True)
    assert 'data-status="pending"' in page


def test_the_draft_is_saved_at_every_step(visitor: FlaskClient, db: Session, event: Event) -> None:
    status = _start(visitor)
    visitor.post(f"{status}contact", data=CONTACT)
    db.expire_all()
    draft = db.scalar(select(Registration))
    assert draft is not None and draft.status == "draft" and draft.contact_name == "Agus"
    db.commit()
    # The public page offers to continue the draft remembered in the browser.
    assert "Continue your registration" in visitor.get(f"{BASE}/").get_data(as_text=True)
    contact_page = visitor.get(f"{status}contact").get_data(as_text=True)
    assert 'value="agus@kominfo.example.id"' in contact_page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({**CONTACT, "phone": "12345"}, "phone", "Indonesian phone number"),
        ({**CONTACT, "email": "agus-at-kominfo"}, "email", "Invalid email address"),
        ({**CONTACT, "name": ""}, "name", "This field is required"),
    ],
)
def test_contact_errors_are_shown_next_to_the_field_keeping_the_rest(
    visitor: FlaskClient, db: Session, event: Event, data: dict[str, str], field: str, message: str
) -> None:
    status = _start(visitor)
    response = visitor.post(f"{status}contact", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    assert error is not None and message in error.group(1)
    for name, value in data.items():
        if name != field and value:
            assert f'value="{value}"' in page
    db.expire_all()
    assert db.scalar(select(Registration.contact_name)) == ""


@pytest.mark.parametrize(
    ("payload", "name", "message"),
    [
        (b"MZ\x90\x00 this is really an exe", "report.pdf", "Upload a PDF or an image"),
        (b"%PDF-" + b"0" * (10 * 1024 * 1024), "big.pdf", "larger than 10 MB"),
    ],
)
def test_bad_documents_are_refused_next_to_the_field(
    visitor: FlaskClient, db: Session, event: Event, payload: bytes, name: str, message: str
) -> None:
    status = _start(visitor)
    visitor.post(f"{status}contact", data=CONTACT)
    data = _innovation(0, title="Tetap diketik", summary="Ringkasan", category="Kesehatan")
    data["innovation_0-document"] = (io.BytesIO(payload), name)
    response = visitor.post(f"{status}innovations", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(rf'id="innovation_0-document-error">[^<]*{message}', page)
    assert 'value="Tetap diketik"' in page
    db.expire_all()
    assert db.scalar(select(Innovation)) is None and db.scalar(select(Upload)) is None


def test_an_image_document_is_accepted(visitor: FlaskClient, db: Session, event: Event) -> None:
    status = _start(visitor)
    data = _innovation(0, title="Foto", category="Kesehatan")
    data["innovation_0-document"] = (io.BytesIO(PNG), "poster.pdf")  # the name does not matter
    response = visitor.post(f"{status}innovations", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    db.expire_all()
    assert db.scalar(select(Upload.content_type)) == "image/png"


def test_a_broken_image_is_refused(visitor: FlaskClient, db: Session, event: Event) -> None:
    status = _start(visitor)
    data = _innovation(0, title="Foto", category="Kesehatan")
    broken = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # a PNG header and nothing of an image
    data["innovation_0-document"] = (io.BytesIO(broken), "poster.png")
    response = visitor.post(f"{status}innovations", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    db.expire_all()
    assert db.scalar(select(Upload)) is None


def test_more_innovations_than_allowed_cannot_be_typed(
    app: Flask, visitor: FlaskClient, db: Session, event: Event
) -> None:
    set_settings(app, db, event, max_innovations_per_organization=2)
    status = _start(visitor)
    page = visitor.get(f"{status}innovations").get_data(as_text=True)
    assert "innovation_1-title" in page and "innovation_2-title" not in page


def test_innovation_errors_keep_what_was_typed(
    visitor: FlaskClient, db: Session, event: Event
) -> None:
    status = _start(visitor)
    data = _innovation(0, title="Baik", category="Kesehatan")
    data |= _innovation(1, title="", summary="Judul lupa", category="Kesehatan")
    response = visitor.post(f"{status}innovations", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="innovation_1-title-error"' in page and 'value="Baik"' in page
    assert "Judul lupa" in page
    db.expire_all()
    assert db.scalar(select(Innovation)) is None


def test_closed_window_shows_a_clear_page(
    app: Flask, visitor: FlaskClient, db: Session, event: Event
) -> None:
    set_settings(app, db, event, opens_at="2999-01-01T01:00:00Z", closes_at=None)
    response = visitor.get(f"{BASE}/register")
    assert response.status_code == 409
    assert "Registration opens" in response.get_data(as_text=True)
    set_settings(app, db, event, opens_at="2001-01-01T01:00:00Z", closes_at="2001-02-01T01:00:00Z")
    response = visitor.post(f"{BASE}/register", data=AGENCY)
    assert response.status_code == 409
    assert "Registration closed" in response.get_data(as_text=True)
    assert counts(db) == (0, 0, 0)


def test_a_second_registration_of_the_agency_is_409_with_a_way_to_the_first(
    visitor: FlaskClient, db: Session, event: Event
) -> None:
    _register(visitor)
    response = visitor.post(f"{BASE}/register", data={**AGENCY, "name": "dinas kominfo"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "already registered" in page
    first = db.scalar(select(Registration.id))
    db.commit()
    resend = re.search(r'action="([^"]*/resend/\d+)"', page)
    assert resend is not None and resend.group(1).endswith(f"/resend/{first}")
    before = len(mails_to(db, CONTACT["email"]))
    visitor.post(resend.group(1))
    assert len(mails_to(db, CONTACT["email"])) == before + 1


def test_html_typed_anywhere_is_shown_escaped(
    visitor: FlaskClient, organizer: FlaskClient, db: Session, event: Event
) -> None:
    evil = "<script>alert('x')</script>"
    response = visitor.post(f"{BASE}/register", data={**AGENCY, "name": evil})
    status = _status_path(response)
    visitor.post(f"{status}contact", data={**CONTACT, "name": evil})
    visitor.post(
        f"{status}innovations",
        data=_innovation(0, title=evil, summary=evil, category="Kesehatan"),
    )
    visitor.post(f"{status}review", data={})
    for page in (
        visitor.get(status).get_data(as_text=True),
        organizer.get(f"{BASE}/manage/").get_data(as_text=True),
        organizer.get(f"{BASE}/manage/{db.scalar(select(Registration.id))}").get_data(as_text=True),
    ):
        assert evil not in page
        assert "&lt;script&gt;" in page


def test_edit_while_pending_then_withdraw(visitor: FlaskClient, db: Session, event: Event) -> None:
    status = _register(visitor)
    response = visitor.post(
        f"{status}innovations", data=_innovation(0, title="Judul baru", category="Kesehatan")
    )
    assert response.status_code == 302
    visitor.post(f"{status}review", data={})
    db.expire_all()
    registration = db.scalar(select(Registration))
    assert registration is not None and registration.innovations[0].title == "Judul baru"
    assert registration.status == "pending"
    db.commit()
    assert visitor.post(f"{status}withdraw").status_code == 302
    db.expire_all()
    assert db.scalar(select(Registration.status)) == "withdrawn"
    db.commit()
    # No more editing once withdrawn.
    assert visitor.get(f"{status}contact").status_code == 302


def test_a_forged_status_link_is_404(visitor: FlaskClient, event: Event) -> None:
    assert visitor.get(f"{BASE}/r/not-a-token/").status_code == 404
    assert visitor.get(f"{BASE}/r/1/contact").status_code == 404


def test_required_terms_and_questions_on_the_review_step(
    app: Flask, visitor: FlaskClient, db: Session, event: Event
) -> None:
    questions = [
        {"id": "q_power", "label": "Need electricity?", "kind": "yesno", "required": True},
        {"id": "q_size", "label": "Booth size", "kind": "choice", "choices": ["S", "L"]},
        {"id": "q_note", "label": "Anything else", "kind": "text"},
    ]
    set_settings(app, db, event, terms="Bring a banner.", questions=questions)
    status = _start(visitor)
    visitor.post(f"{status}contact", data=CONTACT)
    visitor.post(f"{status}innovations", data=_innovation(0, title="A", category="Kesehatan"))
    response = visitor.post(f"{status}review", data={"q_note": "Terima kasih"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="q_power-error"' in page and 'id="terms_accepted-error"' in page
    assert "Terima kasih" in page
    response = visitor.post(
        f"{status}review",
        data={"q_power": "no", "q_size": "L", "q_note": "Terima kasih", "terms_accepted": "y"},
    )
    assert response.status_code == 302
    db.expire_all()
    registration = db.scalar(select(Registration))
    assert registration is not None and registration.status == "pending"
    assert registration.answers == {"q_power": False, "q_size": "L", "q_note": "Terima kasih"}


# --- organizers ------------------------------------------------------------------------------


def _api_register(client: FlaskClient, name: str) -> int:
    response = client.post(f"/api/v1/events/{SLUG}/registrations", json=body(name))
    assert response.status_code == 201
    return int(response.get_json()["id"])


def test_review_list_counts_search_and_filters(organizer: FlaskClient, event: Event) -> None:
    ids = [_api_register(organizer, name) for name in ("Dinas Pendidikan", "RSUD Blambangan")]
    organizer.post(
        f"{BASE}/manage/{ids[1]}/decision", data={"status": "waitlisted", "reason": "Penuh"}
    )
    page = organizer.get(f"{BASE}/manage/").get_data(as_text=True)
    assert re.search(r'data-count="pending"><a[^>]*><strong>1</strong>', page)
    assert re.search(r'data-count="waitlisted"><a[^>]*><strong>1</strong>', page)
    searched = organizer.get(f"{BASE}/manage/?q=blambangan").get_data(as_text=True)
    assert f'data-registration="{ids[1]}"' in searched
    assert f'data-registration="{ids[0]}"' not in searched
    filtered = organizer.get(f"{BASE}/manage/?status=pending").get_data(as_text=True)
    assert f'data-registration="{ids[0]}"' in filtered
    assert f'data-registration="{ids[1]}"' not in filtered
    none = organizer.get(f"{BASE}/manage/?category=Pendidikan").get_data(as_text=True)
    assert "No registrations match." in none


def test_review_search_takes_like_wildcards_literally(organizer: FlaskClient, event: Event) -> None:
    ids = [_api_register(organizer, name) for name in ("Dinas 100% Digital", "RSUD_Blambangan")]
    for q, found in (("%25", [ids[0]]), ("_", [ids[1]]), ("100%25", [ids[0]]), ("%25%25", [])):
        page = organizer.get(f"{BASE}/manage/?q={q}").get_data(as_text=True)
        shown = [i for i in ids if f'data-registration="{i}"' in page]
        assert shown == found, q


def test_detail_decision_mails_the_contact_and_shows_on_the_event(
    organizer: FlaskClient, db: Session, event: Event
) -> None:
    registration_id = _api_register(organizer, "Dinas Kesehatan")
    detail = organizer.get(f"{BASE}/manage/{registration_id}").get_data(as_text=True)
    assert "Puskesmas Keliling" in detail and "+6281234567890" in detail
    response = organizer.post(
        f"{BASE}/manage/{registration_id}/decision", data={"status": "approved", "reason": "Oke"}
    )
    assert response.status_code == 302
    decided = mails_to(db, "sri@dinkes.example.id")[-1]
    assert "Oke" in decided.body_text and "/auth/invitation/" in decided.body_text
    public = organizer.get(f"/api/v1/events/{SLUG}/innovations").get_json()
    assert [i["title"] for i in public["items"]] == ["Puskesmas Keliling"]


def test_decision_past_the_quota_is_refused_on_the_page(
    app: Flask, organizer: FlaskClient, db: Session, event: Event
) -> None:
    set_settings(app, db, event, exhibitor_quota=1)
    first, second = (_api_register(organizer, name) for name in ("A", "B"))
    organizer.post(f"{BASE}/manage/{first}/decision", data={"status": "approved"})
    response = organizer.post(f"{BASE}/manage/{second}/decision", data={"status": "approved"})
    assert response.status_code == 409
    assert "exhibitor places are taken" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Registration, second).status == "pending"  # type: ignore[union-attr]


def test_bulk_decisions_and_notes(
    app: Flask, organizer: FlaskClient, db: Session, event: Event
) -> None:
    set_settings(app, db, event, exhibitor_quota=1)
    ids = [_api_register(organizer, name) for name in ("A", "B")]
    response = organizer.post(
        f"{BASE}/manage/bulk", data={"ids": [str(i) for i in ids], "status": "approved"}
    )
    assert response.status_code == 302
    page = organizer.get(f"{BASE}/manage/").get_data(as_text=True)
    assert "1 registrations decided." in page
    assert f"Registration #{ids[1]}" in page
    organizer.post(f"{BASE}/manage/{ids[1]}/notes", data={"notes": "Call <them> back"})
    detail = organizer.get(f"{BASE}/manage/{ids[1]}").get_data(as_text=True)
    assert "Call &lt;them&gt; back" in detail
    assert organizer.post(f"{BASE}/manage/bulk", data={"status": "approved"}).status_code == 302


def test_exports_carry_innovations_and_answers(
    app: Flask, organizer: FlaskClient, db: Session, event: Event
) -> None:
    set_settings(
        app,
        db,
        event,
        questions=[{"id": "q_power", "label": "Electricity?", "kind": "yesno"}],
    )
    organizer.post(
        f"/api/v1/events/{SLUG}/registrations",
        json=body('=HYPERLINK("x")', answers={"q_power": "yes"}),
    )
    response = organizer.get(f"{BASE}/manage/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header, row = rows[0], rows[1]
    assert header[-1] == "Electricity?" and row[-1] == "yes"
    assert row[header.index("innovations")] == "Puskesmas Keliling"
    assert row[header.index("organization")].startswith("'=")
    response = organizer.get(f"{BASE}/manage/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][values[0].index("innovations")] == "Puskesmas Keliling"
    assert organizer.get(f"{BASE}/manage/export.pdf").status_code == 404


def test_console_pages_need_an_organizer(
    client: FlaskClient, auth: Any, make: Any, event: Event
) -> None:
    paths = ["/manage/", "/manage/1", "/manage/export.csv", "/manage/checkin"]
    for path in paths:
        assert client.get(f"{BASE}{path}").status_code == 302  # to the sign-in page
    make.user("someone@example.id")
    auth.login("someone@example.id")
    for path in paths:
        assert client.get(f"{BASE}{path}").status_code == 403


def test_pages_are_404_when_the_plugin_is_off(organizer: FlaskClient, off_event: Event) -> None:
    for path in ("/", "/register", "/visit", "/manage/", "/manage/checkin", "/r/x/"):
        assert organizer.get(f"/{OFF_SLUG}/registration{path}").status_code == 404


# --- visitors and check-in ------------------------------------------------------------------


def test_visitor_signup_page_mails_a_pass_with_a_qr_page(
    visitor: FlaskClient, db: Session, event: Event
) -> None:
    response = visitor.post(f"{BASE}/visit", data={"name": "Budi", "email": "budi@example.id"})
    assert response.status_code == 200
    shown = response.get_data(as_text=True)
    assert "We also sent your visitor pass to budi@example.id" in shown
    code = db.scalar(select(VisitorPass.code))
    db.commit()
    # the new pass is on screen at once: its code and its QR code, drawn on the server
    assert f'data-pass-code="{code}"' in shown and "<svg" in shown
    again = visitor.post(f"{BASE}/visit", data={"name": "Budi", "email": "BUDI@example.id"})
    assert again.status_code == 200
    # an earlier pass only goes to its mailbox: typing somebody's e-mail shows nothing
    assert code not in again.get_data(as_text=True)
    assert "We sent your visitor pass to budi@example.id" in again.get_data(as_text=True)
    link = re.search(r"https?://\S+/pass/\S+", mails_to(db, "budi@example.id")[-1].body_text)
    assert link is not None
    page = visitor.get(link.group(0)).get_data(as_text=True)
    assert "<svg" in page and code in page
    assert len(mails_to(db, "budi@example.id")) == 2
    bad = visitor.post(f"{BASE}/visit", data={"name": "", "email": "nope"})
    assert bad.status_code == 422 and 'id="name-error"' in bad.get_data(as_text=True)


def test_check_in_twice_says_when(organizer: FlaskClient, db: Session, event: Event) -> None:
    organizer.post(f"{BASE}/visit", data={"name": "Budi", "email": "budi@example.id"})
    code = db.scalar(select(VisitorPass.code))
    db.commit()
    assert code is not None
    typed = code.replace("-", "").lower()
    first = organizer.post(f"{BASE}/manage/checkin", data={"code": typed})
    assert first.status_code == 200
    assert f'data-checked-in="{code}"' in first.get_data(as_text=True)
    second = organizer.post(f"{BASE}/manage/checkin", data={"code": code})
    assert second.status_code == 409
    assert re.search(r"Already checked in at \d\d:\d\d\.", second.get_data(as_text=True))
    unknown = organizer.post(f"{BASE}/manage/checkin", data={"code": "ZZZZ-ZZZZ-ZZ"})
    assert unknown.status_code == 404
    page = organizer.get(f"/{SLUG}/manage/").get_data(as_text=True)
    from tests.core.plugins.helpers import stat

    assert stat(page, "registration", "visitors_checked_in") == "1"


def test_check_in_time_is_in_the_event_time_zone(app: Flask, db: Session, event: Event) -> None:
    from datetime import UTC, datetime

    from plugins.registration.views import _clock

    assert _clock(datetime(2026, 12, 10, 2, 5, tzinfo=UTC), "Asia/Jakarta") == "09:05"
    assert _clock(datetime(2026, 12, 10, 2, 5, tzinfo=UTC), "Asia/Jayapura") == "11:05"


def test_dashboard_counts_registrations_by_status(organizer: FlaskClient, event: Event) -> None:
    from tests.core.plugins.helpers import stat

    first = _api_register(organizer, "A")
    _api_register(organizer, "B")
    organizer.post(f"{BASE}/manage/{first}/decision", data={"status": "approved"})
    page = organizer.get(f"/{SLUG}/manage/").get_data(as_text=True)
    assert stat(page, "registration", "pending") == "1"
    assert stat(page, "registration", "approved") == "1"


def test_console_settings_define_extra_questions(
    organizer: FlaskClient, event: Event, headers: dict[str, str]
) -> None:
    form = {
        "opens_at": "2026-10-01T08:00",
        "closes_at": "2026-11-01T17:00",
        "max_innovations_per_organization": "2",
        "categories": "Kesehatan",
        "questions": "*yesno: Need electricity?\nchoice: Booth = small, large",
    }
    url = f"/{SLUG}/manage/plugins/registration/settings"
    assert organizer.post(url, data=form).status_code == 302
    saved = organizer.get(
        f"/api/v1/events/{SLUG}/plugins/registration/settings", headers=headers
    ).get_json()
    assert [(q["kind"], q["required"]) for q in saved["questions"]] == [
        ("yesno", True),
        ("choice", False),
    ]
    assert "choice: Booth = small, large" in organizer.get(url).get_data(as_text=True)
    bad = organizer.post(url, data={**form, "questions": "essay: Why?"})
    assert bad.status_code == 422
    assert "Line 1: write kind: question." in bad.get_data(as_text=True)


def test_a_signed_in_visitor_keeps_the_pass_on_their_home(
    client: FlaskClient, make: Any, auth: Any, db: Session, event: Event
) -> None:
    make.user("sari@example.id", "Sari")
    auth.login("sari@example.id")
    client.post(f"{BASE}/visit", data={"name": "Sari", "email": "sari@example.id"})
    client.post(f"{BASE}/visit", data={"name": "Orang lain", "email": "lain@example.id"})
    passes = {p.holder_email: p for p in db.scalars(select(VisitorPass))}
    assert passes["sari@example.id"].user_id is not None
    assert passes["lain@example.id"].user_id is None  # somebody else's address stays theirs
    home = client.get("/me").get_data(as_text=True)
    assert f'data-pass="{passes["sari@example.id"].code}"' in home
    assert passes["lain@example.id"].code not in home
