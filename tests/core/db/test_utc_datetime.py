"""UTCDateTime: naive datetimes are refused; aware ones come back as the same instant in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import StatementError

from core.db import Database
from core.models import Organization

JAKARTA = timezone(timedelta(hours=7))


def test_naive_datetime_is_refused(database: Database) -> None:
    """Storing a naive datetime raises (wrapping ValueError) and stores nothing."""
    session = database.new_session()
    try:
        session.add(Organization(name="Dinas", created_at=datetime(2019, 4, 24, 9, 0)))
        with pytest.raises(StatementError) as raised:
            session.flush()
        assert isinstance(raised.value.orig, ValueError)
        session.rollback()
    finally:
        session.close()

    reader = database.new_session(write=False)
    try:
        assert reader.scalar(select(func.count()).select_from(Organization)) == 0
    finally:
        reader.close()


def test_naive_datetime_is_refused_in_queries(database: Database) -> None:
    """A naive value in a WHERE clause is refused too, instead of silently meaning UTC."""
    session = database.new_session(write=False)
    try:
        with pytest.raises(StatementError):
            session.execute(
                select(Organization).where(Organization.created_at > datetime(2019, 1, 1))
            ).all()
    finally:
        session.close()


def test_aware_datetime_round_trips_as_utc(database: Database) -> None:
    """09:00:00.123456 in Jakarta is read back as 02:00:00.123456 UTC, tz-aware."""
    opened = datetime(2019, 4, 24, 9, 0, 0, 123456, tzinfo=JAKARTA)
    with database.transaction() as session:
        session.add(Organization(name="Dinas", created_at=opened))

    reader = database.new_session(write=False)
    try:
        stored = reader.scalars(select(Organization.created_at)).one()
        same_instant = reader.scalars(
            select(Organization.id).where(Organization.created_at == opened)
        ).all()
    finally:
        reader.close()

    assert stored == datetime(2019, 4, 24, 2, 0, 0, 123456, tzinfo=UTC)
    assert stored.utcoffset() == timedelta(0)
    assert len(same_instant) == 1


def test_ordering_follows_instants_not_wall_clocks(database: Database) -> None:
    """Values given in different offsets sort by the instant they denote."""
    early_utc = datetime(2019, 4, 24, 1, 0, tzinfo=UTC)
    later_jakarta = datetime(2019, 4, 24, 8, 30, tzinfo=JAKARTA)  # 01:30 UTC
    with database.transaction() as session:
        session.add_all(
            [
                Organization(name="Later", created_at=later_jakarta),
                Organization(name="Earlier", created_at=early_utc),
            ]
        )

    reader = database.new_session(write=False)
    try:
        names = reader.scalars(select(Organization.name).order_by(Organization.created_at)).all()
    finally:
        reader.close()
    assert names == ["Earlier", "Later"]
