"""Dates and times in the event's time zone, written the way UX.md shows them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from flask import Flask, g, render_template_string
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy.orm import Session

from core.i18n import (
    format_date_range,
    format_event_date,
    format_event_datetime,
    format_event_time,
    select_timezone,
    utc_offset_label,
    zone_label,
)
from core.models import AuditEntry, Event
from core.web import load_event

# 02:00 UTC on Wednesday 24 April 2019 is 09:00 in Jakarta and 10:00 in Makassar.
MOMENT = datetime(2019, 4, 24, 2, 0, tzinfo=UTC)

EXPECTED = [
    ("id", "Asia/Jakarta", "Rabu, 24 April 2019, 09.00 WIB"),
    ("en", "Asia/Jakarta", "Wed 24 April 2019, 09:00 (UTC+7)"),
    ("id", "Asia/Makassar", "Rabu, 24 April 2019, 10.00 WITA"),
    ("en", "Asia/Makassar", "Wed 24 April 2019, 10:00 (UTC+8)"),
    ("id", "Asia/Jayapura", "Rabu, 24 April 2019, 11.00 WIT"),
    ("id", "UTC", "Rabu, 24 April 2019, 02.00 UTC"),
    ("en", "UTC", "Wed 24 April 2019, 02:00 (UTC)"),
    ("id", "Asia/Kolkata", "Rabu, 24 April 2019, 07.30 UTC+5:30"),
    ("en", "America/New_York", "Tue 23 April 2019, 22:00 (UTC-4)"),
]


@pytest.fixture
def ctx(app: Flask) -> Any:
    """A request context of the real app (nothing else on ``g``)."""
    with app.test_request_context("/") as context:
        yield context


@pytest.mark.parametrize(("lang", "tz", "expected"), EXPECTED)
def test_datetime_in_the_events_zone(ctx: Any, lang: str, tz: str, expected: str) -> None:
    with force_locale(lang):
        assert format_event_datetime(MOMENT, tz) == expected


def test_time_only_and_zone_labels(ctx: Any) -> None:
    with force_locale("id"):
        assert format_event_time(MOMENT, "Asia/Makassar") == "10.00 WITA"
        assert zone_label("Asia/Jakarta") == "WIB"
        assert zone_label("Europe/Amsterdam", MOMENT) == "UTC+2"
    with force_locale("en"):
        assert format_event_time(MOMENT, "Asia/Makassar") == "10:00 (UTC+8)"
        assert zone_label("Asia/Jakarta") == "UTC+7"
        assert zone_label("UTC") == "UTC"


def test_offsets_are_written_briefly() -> None:
    assert utc_offset_label(timedelta(hours=7)) == "UTC+7"
    assert utc_offset_label(timedelta(hours=-3, minutes=-30)) == "UTC-3:30"
    assert utc_offset_label(timedelta(0)) == "UTC"
    assert utc_offset_label(None) == "UTC"


def test_the_local_day_can_differ_from_the_utc_day(ctx: Any) -> None:
    late = datetime(2019, 4, 23, 20, 30, tzinfo=UTC)
    with force_locale("id"):
        assert format_event_datetime(late, "Asia/Jakarta") == "Rabu, 24 April 2019, 03.30 WIB"
        assert format_event_datetime(late, "UTC") == "Selasa, 23 April 2019, 20.30 UTC"


def test_aware_values_in_other_zones_and_naive_utc_values(ctx: Any) -> None:
    in_surabaya = datetime(2019, 4, 24, 9, 0, tzinfo=timezone(timedelta(hours=7)))
    naive_utc = datetime(2019, 4, 24, 2, 0)
    with force_locale("en"):
        assert format_event_datetime(in_surabaya, "Asia/Makassar").startswith(
            "Wed 24 April 2019, 10:00"
        )
        assert (
            format_event_datetime(naive_utc, "Asia/Jakarta") == "Wed 24 April 2019, 09:00 (UTC+7)"
        )
        assert format_event_datetime(None) == ""


def test_dates_and_ranges(ctx: Any) -> None:
    day = date(2019, 4, 24)
    with force_locale("id"):
        assert format_event_date(day) == "Rabu, 24 April 2019"
        assert format_event_date(day, long=False) == "24 Apr 2019"
        assert format_date_range(day, day) == "Rabu, 24 April 2019"
        assert format_date_range(day, date(2019, 4, 26)) == "24\u201326 April 2019"
        assert (
            format_date_range(date(2019, 4, 30), date(2019, 5, 2)) == "30 April \u2013 2 Mei 2019"
        )
        assert format_date_range(date(2019, 12, 30), date(2020, 1, 2)) == (
            "30 Desember 2019 \u2013 2 Januari 2020"
        )
        assert format_event_date(None) == ""
    with force_locale("en"):
        assert format_event_date(day) == "Wed 24 April 2019"
        assert (
            format_date_range(date(2019, 4, 30), date(2019, 5, 2)) == "30 April \u2013 2 May 2019"
        )


def _event_in(db: Session, make: Any, zone: str, **kwargs: Any) -> Event:
    event = make.event("banyuwangi-2019", **kwargs)
    event.timezone = zone
    db.commit()
    return event


def test_select_timezone_uses_the_event_on_g(app: Flask, make: Any, db: Session) -> None:
    _event_in(db, make, "Asia/Makassar")
    with app.test_request_context("/banyuwangi-2019/"):
        assert select_timezone() == "Asia/Jakarta"  # no event yet: the default
        load_event("banyuwangi-2019")
        assert g.event.timezone == "Asia/Makassar"
        assert select_timezone() == "Asia/Makassar"
        with force_locale("id"):
            assert format_event_datetime(MOMENT) == "Rabu, 24 April 2019, 10.00 WITA"


def test_event_pages_render_times_in_the_events_zone(
    app: Flask, client: FlaskClient, make: Any, db: Session
) -> None:
    """A page under /<event>/ shows times in that event's zone, without naming it."""

    def probe(event: str) -> str:
        load_event(event)
        return render_template_string("{{ when|event_datetime }}", when=MOMENT)

    app.add_url_rule("/<event>/i18n-probe", "i18n_probe", probe)
    _event_in(db, make, "Asia/Makassar")
    assert client.get("/banyuwangi-2019/i18n-probe").get_data(as_text=True) == (
        "Rabu, 24 April 2019, 10.00 WITA"
    )
    client.post("/lang/en", data={"next": "/"})
    assert client.get("/banyuwangi-2019/i18n-probe").get_data(as_text=True) == (
        "Wed 24 April 2019, 10:00 (UTC+8)"
    )


def test_console_audit_log_shows_times_in_the_events_zone(
    client: FlaskClient, make: Any, db: Session, auth: Any
) -> None:
    organizer = make.user("panitia@example.id", "Panitia")
    event = _event_in(db, make, "Asia/Makassar", organizer=organizer)
    db.add(AuditEntry(event_id=event.id, user_id=organizer.id, action="probe", created_at=MOMENT))
    db.commit()
    auth.login("panitia@example.id")
    page = client.get("/banyuwangi-2019/manage/audit").get_data(as_text=True)
    assert "Rabu, 24 April 2019, 10.00 WITA" in page

    event.timezone = "UTC"
    db.commit()
    page = client.get("/banyuwangi-2019/manage/audit").get_data(as_text=True)
    assert "Rabu, 24 April 2019, 02.00 UTC" in page
