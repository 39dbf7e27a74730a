"""List pages run a fixed number of SQL statements however many rows they show (no N+1)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from core.db import get_db
from core.models import Innovation, Organization
from core.services import roles


@contextmanager
def counting(app: Any) -> Iterator[list[str]]:
    """Collect the SQL statements the app's engine runs inside the block.

    The switch-version check of :mod:`core.event_cache` is left out: it runs on a clock (at
    most every ``LEAN_VERSION_CHECK_MS``), not per page, so counts compared between two
    requests would otherwise depend on timing.
    """
    statements: list[str] = []
    engine = get_db(app).engine

    def _record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "FROM state_versions" not in statement:
            statements.append(statement)

    sa_event.listen(engine, "before_cursor_execute", _record)
    try:
        yield statements
    finally:
        sa_event.remove(engine, "before_cursor_execute", _record)


def statements_for(app: Any, client: Any, path: str) -> int:
    """How many statements one GET of ``path`` runs (it must answer 200)."""
    with counting(app) as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


def grows(app: Any, client: Any, path: str, add_rows: Callable[[int], None]) -> tuple[int, int]:
    """Statement counts for ``path`` with a few rows and with many more."""
    add_rows(2)
    few = statements_for(app, client, path)
    add_rows(12)
    many = statements_for(app, client, path)
    return few, many


def test_home_page_does_not_query_per_event(app: Any, client: Any, make: Any, auth: Any) -> None:
    organizer = make.user("panitia@example.id", "Panitia")
    made = iter(range(1000))

    def add_events(n: int) -> None:
        for _ in range(n):
            i = next(made)
            make.event(
                f"pameran-{i}",
                plugins=["exhibitors", "voting"],
                organizer=organizer,
                status="draft" if i % 3 == 0 else "published",
                starts_on=date(2000 + i, 5, 1),
                ends_on=date(2000 + i, 5, 2),
            )

    few, many = grows(app, client, "/", add_events)
    assert few == many
    auth.login("panitia@example.id")
    signed_in_few = statements_for(app, client, "/")
    add_events(5)
    assert statements_for(app, client, "/") == signed_in_few


def test_people_page_does_not_query_per_role(
    app: Any, client: Any, make: Any, auth: Any, db: Session
) -> None:
    organizer = make.user("panitia@example.id", "Panitia")
    target = make.event("jatim-2026", organizer=organizer)
    organization = Organization(name="Dinas Kominfo", region="Surabaya")
    db.add(organization)
    db.commit()
    auth.login("panitia@example.id")
    made = iter(range(1000))

    def add_judges(n: int) -> None:
        for _ in range(n):
            i = next(made)
            roles.appoint(
                db,
                target,
                email=f"juri{i}@example.id",
                role="judge",
                name=f"Juri {i}",
                conflicts=[organization.id],
            )
        db.commit()

    few, many = grows(app, client, "/jatim-2026/manage/people", add_judges)
    assert few == many


def test_catalogue_does_not_query_per_innovation(
    app: Any, client: Any, make: Any, db: Session
) -> None:
    target = make.event("jatim-2026", plugins=["exhibitors"])
    made = iter(range(1000))

    def add_innovations(n: int) -> None:
        for _ in range(n):
            i = next(made)
            organization = Organization(name=f"Dinas {i}", region="Jawa Timur")
            db.add(organization)
            db.flush()
            db.add(
                Innovation(
                    event_id=target.id,
                    organization_id=organization.id,
                    title=f"Inovasi {i}",
                    summary="Layanan cepat",
                    category="Kesehatan",
                    cettar=["cepat"],
                    status="accepted",
                )
            )
        db.commit()

    few, many = grows(app, client, "/jatim-2026/exhibitors/", add_innovations)
    assert few == many


def test_event_home_does_not_query_per_innovation(
    app: Any, client: Any, make: Any, db: Session
) -> None:
    target = make.event("jatim-2026", plugins=["exhibitors", "symposium", "voting", "registration"])
    organization = Organization(name="Dinas Kesehatan", region="Jawa Timur")
    db.add(organization)
    db.commit()
    made = iter(range(1000))

    def add_innovations(n: int) -> None:
        for _ in range(n):
            db.add(
                Innovation(
                    event_id=target.id,
                    organization_id=organization.id,
                    title=f"Inovasi {next(made)}",
                    category="Kesehatan",
                    status="accepted",
                )
            )
        db.commit()

    few, many = grows(app, client, "/jatim-2026/", add_innovations)
    assert few == many
