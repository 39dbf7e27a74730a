"""Model invariants the database itself enforces (rule 8), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.db import Database
from core.models import (
    ApiToken,
    Event,
    EventPlugin,
    EventRole,
    Innovation,
    JudgeConflict,
    Membership,
    Organization,
    OutboundMail,
    Upload,
    User,
    VisitorPass,
)

LATER = datetime(2030, 1, 1, tzinfo=UTC)


def _event(slug: str = "jatim-2026", **overrides: object) -> Event:
    values: dict[str, object] = {
        "slug": slug,
        "name": "Jatim",
        "year": 2026,
        "starts_on": date(2026, 12, 10),
        "ends_on": date(2026, 12, 11),
    }
    values.update(overrides)
    return Event(**values)


class World:
    """One committed user, organization, event and judge role to hang violations on."""

    def __init__(self, session: Session) -> None:
        self.user = User(email="judge@example.id", name="Judge")
        self.org = Organization(name="Samsat", region="Jawa Timur")
        self.event = _event()
        session.add_all([self.user, self.org, self.event])
        session.flush()
        self.role = EventRole(event_id=self.event.id, user_id=self.user.id, role="judge")
        session.add(self.role)
        session.flush()


Violation = Callable[[Session, World], None]


def _twice(make: Callable[[World], object]) -> Violation:
    def _add(session: Session, world: World) -> None:
        session.add(make(world))
        session.flush()
        session.add(make(world))

    return _add


def _once(make: Callable[[World], object]) -> Violation:
    return lambda session, world: session.add(make(world))


VIOLATIONS: dict[str, Violation] = {
    "event slug unique": _once(lambda w: _event("jatim-2026", year=2027)),
    "event ends before it starts": _once(
        lambda w: _event("late", starts_on=date(2026, 12, 11), ends_on=date(2026, 12, 10))
    ),
    "event status known": _once(lambda w: _event("odd", status="cancelled")),
    "event plugin once per event": _twice(
        lambda w: EventPlugin(event_id=w.event.id, name="voting")
    ),
    "event role once per user": _once(
        lambda w: EventRole(event_id=w.event.id, user_id=w.user.id, role="judge")
    ),
    "event role known": _once(
        lambda w: EventRole(event_id=w.event.id, user_id=w.user.id, role="king")
    ),
    "judge conflict once": _twice(
        lambda w: JudgeConflict(event_role_id=w.role.id, organization_id=w.org.id)
    ),
    "membership once": _twice(lambda w: Membership(user_id=w.user.id, organization_id=w.org.id)),
    "user email unique": _once(lambda w: User(email="judge@example.id", name="Twin")),
    "organization name per region unique": _once(
        lambda w: Organization(name="Samsat", region="Jawa Timur")
    ),
    "api token hash unique": _twice(
        lambda w: ApiToken(user_id=w.user.id, token_hash="a" * 64, expires_at=LATER)
    ),
    "visitor pass code unique": _twice(lambda w: VisitorPass(event_id=w.event.id, code="ABC123")),
    "innovation status known": _once(
        lambda w: Innovation(
            event_id=w.event.id, organization_id=w.org.id, title="e-Samsat", status="lost"
        )
    ),
    "mail status known": _once(
        lambda w: OutboundMail(recipient="a@example.id", subject="s", body_text="", status="gone")
    ),
    "mail attempts not negative": _once(
        lambda w: OutboundMail(recipient="a@example.id", subject="s", body_text="", attempts=-1)
    ),
    "upload size not negative": _once(
        lambda w: Upload(
            filename="f", content_type="text/plain", size=-1, sha256="0", storage_path="f"
        )
    ),
    "foreign key points somewhere": _once(lambda w: EventPlugin(event_id=9999, name="voting")),
}


@pytest.mark.parametrize("violation", VIOLATIONS.values(), ids=VIOLATIONS.keys())
def test_database_refuses_violation(database: Database, violation: Violation) -> None:
    """Each invariant raises IntegrityError at flush, and nothing of the attempt is stored."""
    with database.transaction() as session:
        world = World(session)
    counts_before = _row_counts(database)

    session = database.new_session()
    try:
        with pytest.raises(IntegrityError):
            violation(session, world)
            session.flush()
        session.rollback()
    finally:
        session.close()

    assert _row_counts(database) == counts_before


def _row_counts(database: Database) -> dict[str, int]:
    models = (
        Event,
        EventPlugin,
        EventRole,
        JudgeConflict,
        Membership,
        User,
        Organization,
        ApiToken,
        VisitorPass,
        Innovation,
        OutboundMail,
        Upload,
    )
    session = database.new_session(write=False)
    try:
        return {
            m.__tablename__: session.scalar(select(func.count()).select_from(m)) or 0
            for m in models
        }
    finally:
        session.close()


def test_valid_rows_are_accepted(database: Database) -> None:
    """The control case: the same tables take well-formed rows (one-day events included)."""
    with database.transaction() as session:
        world = World(session)
        session.add_all(
            [
                _event("one-day", starts_on=date(2019, 4, 24), ends_on=date(2019, 4, 24)),
                EventPlugin(event_id=world.event.id, name="voting", settings={"a": 1}),
                EventRole(event_id=world.event.id, user_id=world.user.id, role="organizer"),
                Membership(user_id=world.user.id, organization_id=world.org.id),
                ApiToken(user_id=world.user.id, token_hash="b" * 64, expires_at=LATER),
                Innovation(event_id=world.event.id, organization_id=world.org.id, title="x"),
                OutboundMail(recipient="a@example.id", subject="s", body_text="", status="sent"),
            ]
        )
    assert _row_counts(database)["events"] == 2


def test_deleting_an_event_cascades_in_the_database(database: Database) -> None:
    """ON DELETE CASCADE / SET NULL run in the database, not only in the ORM."""
    with database.transaction() as session:
        world = World(session)
        session.add(EventPlugin(event_id=world.event.id, name="voting"))
        session.add(
            OutboundMail(
                recipient="a@example.id", subject="s", body_text="", event_id=world.event.id
            )
        )
    with database.transaction() as session:
        session.execute(delete(Event).where(Event.id == world.event.id))

    counts = _row_counts(database)
    assert (counts["event_plugins"], counts["event_roles"], counts["outbound_mail"]) == (0, 0, 1)
    session = database.new_session(write=False)
    try:
        assert session.scalars(select(OutboundMail.event_id)).one() is None
    finally:
        session.close()


def test_organization_with_innovations_cannot_be_deleted(database: Database) -> None:
    """Innovations keep their agency: ON DELETE RESTRICT."""
    with database.transaction() as session:
        world = World(session)
        session.add(Innovation(event_id=world.event.id, organization_id=world.org.id, title="x"))

    with pytest.raises(IntegrityError), database.transaction() as session:
        session.execute(delete(Organization).where(Organization.id == world.org.id))

    assert _row_counts(database)["organizations"] == 1


def test_token_expiry_in_the_past_is_still_storable(database: Database) -> None:
    """Expiry is checked when a token is used, not by a constraint (expired rows may stay)."""
    with database.transaction() as session:
        world = World(session)
        session.add(
            ApiToken(
                user_id=world.user.id,
                token_hash="c" * 64,
                expires_at=datetime.now(UTC) - timedelta(days=1),
            )
        )
    assert _row_counts(database)["api_tokens"] == 1
