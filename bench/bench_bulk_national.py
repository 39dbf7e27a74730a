"""Benchmark: the national scenario loaded through the bulk endpoints (issue 13, point 3).

One event with the exhibitors and voting plugins; through the JSON API (in-process Flask
client, bearer tokens, every request its own transaction):

* ``POST /innovations/import``: 3,000 innovations of 1,000 agencies in one request;
* ``POST /booths/import``: 1,500 booths in one request;
* (assignments: five judges per innovation out of 40, by the service);
* ``PUT /scores``: each of the 40 judges sends all their sheets (about 375) in one
  request — 15,000 submitted sheets of six criteria.  Target: under 30 s.

The baseline, in the same run: ``--sample`` sheets saved one by one through the single-sheet
``PUT /innovations/{id}/scores``; its mean time per sheet x 15,000 is what loading the
scenario sheet by sheet costs, and the ratio bulk / one-by-one is printed.

    .venv/bin/python bench/bench_bulk_national.py [--innovations 3000] [--judges 40]
        [--sample 300] [--database-url URL]

Without ``--database-url`` a temporary SQLite file is used; a PostgreSQL URL must name a
scratch database: its ``public`` schema is dropped and recreated.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from servers import empty_database  # noqa: E402

SLUG = "nasional"
ORGANIZER = "panitia@bench.gelar.id"
SCORES = {"cepat": 8, "efektif": 7, "efisien": 6.5, "transparan": 9, "tanggap": 6, "responsif": 7}
TARGET_SECONDS = 30.0


def build(url: str, workdir: Path, judges: int) -> tuple[Any, dict[str, str], list[str]]:
    """The app, the organizer's bearer header and each judge's bearer header."""
    from core import create_app, migrate
    from core.db import get_db
    from core.services import accounts, events, plugin_settings, roles

    empty_database(url)
    migrate.upgrade(url)
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-for-checks",
            "INSTANCE_PATH": str(workdir / "instance"),
            "SERVER_NAME": "gelar.bench",
            "RATELIMIT_ENABLED": False,
        }
    )
    registry = app.extensions["gelar_plugins"]
    with app.app_context(), get_db(app).transaction() as session:
        event = events.create_event(
            session,
            slug=SLUG,
            name="Kompetisi Inovasi Pelayanan Publik",
            year=2026,
            venue="Jakarta",
            starts_on=date(2026, 12, 10),
            ends_on=date(2026, 12, 11),
            status="published",
        )
        plugin_settings.set_enabled_plugins(session, registry, event, ["exhibitors", "voting"])
        plugin_settings.update_settings(
            session, registry, event, "exhibitors", {"floor_width": 1000, "floor_depth": 1000}
        )
        organizer = accounts.create_user(
            session, email=ORGANIZER, name="Panitia", password=None, verified=True
        )
        roles.appoint(session, event, email=ORGANIZER, role="organizer")
        tokens = {"organizer": accounts.issue_api_token(session, organizer, ttl_hours=4)[0]}
        judge_tokens = []
        for n in range(judges):
            email = f"juri{n:02d}@bench.gelar.id"
            user = accounts.create_user(
                session, email=email, name=f"Juri {n}", password=None, verified=True
            )
            roles.appoint(session, event, email=email, role="judge")
            judge_tokens.append(accounts.issue_api_token(session, user, ttl_hours=4)[0])
    bearer = {"Authorization": f"Bearer {tokens['organizer']}"}
    return app, bearer, [f"Bearer {t}" for t in judge_tokens]


def timed(label: str, call: Any) -> Any:
    """Run ``call``, print how long it took; returns (result, seconds)."""
    started = time.perf_counter()
    result = call()
    took = time.perf_counter() - started
    print(f"{label:<52} {took:8.2f} s")
    return result, took


def main() -> int:
    """Load the scenario and print the times, the ratio and the verdict."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--innovations", type=int, default=3000)
    parser.add_argument("--booths", type=int, default=1500)
    parser.add_argument("--judges", type=int, default=40)
    parser.add_argument("--per-innovation", type=int, default=5)
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="gelar-bulk-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"

    from sqlalchemy import select

    from core.db import get_db
    from core.models import Event, User
    from core.services import plugin_settings
    from plugins.voting import assignment
    from plugins.voting.models import VotingAssignment

    app, organizer, judges = build(url, workdir, args.judges)
    client = app.test_client()
    api = f"/api/v1/events/{SLUG}"
    items = [
        {
            "title": f"Inovasi Pelayanan {n}",
            "summary": f"Layanan publik nomor {n} yang lebih cepat dan terbuka.",
            "category": f"Kategori {n % 9}",
            "organization": {
                "name": f"Dinas Pelayanan {n % 1000}",
                "kind": "government",
                "region": f"Kabupaten {n % 38}",
            },
        }
        for n in range(args.innovations)
    ]
    response, _took = timed(
        f"POST innovations/import ({args.innovations} rows)",
        lambda: client.post(f"{api}/innovations/import", json={"items": items}, headers=organizer),
    )
    assert response.status_code == 200, response.get_json()
    side = 40
    booths = [
        {
            "code": f"B{n:04d}",
            "zone": f"Zona {n // 250}",
            "x": (n % side) * 4,
            "y": (n // side) * 4,
            "width": 3,
            "height": 3,
        }
        for n in range(args.booths)
    ]
    response, _took = timed(
        f"POST booths/import ({args.booths} rows)",
        lambda: client.post(f"{api}/booths/import", json={"items": booths}, headers=organizer),
    )
    assert response.status_code == 200, response.get_json()

    registry = app.extensions["gelar_plugins"]
    with app.app_context(), get_db(app).transaction() as session:
        event = session.scalar(select(Event).where(Event.slug == SLUG))
        assert event is not None
        timed(
            f"assignments (service, k = {args.per_innovation})",
            lambda: assignment.auto_assign(session, event, args.per_innovation, seed=13),
        )
        plugin_settings.update_settings(session, registry, event, "voting", {"scoring_open": True})
    with app.app_context(), get_db(app).transaction() as session:
        emails = {u.id: u.email for u in session.scalars(select(User))}
        sheets: dict[str, list[int]] = defaultdict(list)
        for judge_id, innovation_id in session.execute(
            select(VotingAssignment.judge_id, VotingAssignment.innovation_id).order_by(
                VotingAssignment.id
            )
        ):
            sheets[emails[judge_id]].append(innovation_id)
    order = sorted(sheets)
    total_sheets = sum(len(v) for v in sheets.values())

    # Baseline: single-sheet PUTs of the first judge's first sheets (then overwritten).
    sample = [
        (order[n % len(order)], sheets[order[n % len(order)]][n // len(order)])
        for n in range(min(args.sample, total_sheets))
    ]
    header_of = {email: {"Authorization": judges[n]} for n, email in enumerate(order)}

    def one_by_one() -> None:
        for email, innovation in sample:
            r = client.put(
                f"{api}/innovations/{innovation}/scores",
                json={"scores": SCORES, "draft": True},
                headers=header_of[email],
            )
            assert r.status_code == 200, r.get_json()

    _none, single = timed(f"baseline: {len(sample)} single-sheet PUTs", one_by_one)
    per_sheet = single / max(len(sample), 1)

    def bulk() -> None:
        for email in order:
            body = {
                "items": [
                    {"innovation": i, "scores": SCORES, "submit": True, "client_id": f"{email}:{i}"}
                    for i in sheets[email]
                ]
            }
            r = client.put(f"{api}/scores", json=body, headers=header_of[email])
            assert r.status_code == 200, r.get_json()
            assert all(row["status"] == "submitted" for row in r.get_json()["items"])

    _none, bulk_time = timed(f"PUT scores: {total_sheets} sheets by {len(order)} judges", bulk)
    extrapolated = per_sheet * total_sheets
    print(
        f"{'one by one, extrapolated to ' + str(total_sheets) + ' sheets':<52} "
        f"{extrapolated:8.2f} s"
    )
    print(
        f"ratio bulk / one by one: {bulk_time / extrapolated:.3f} "
        f"({extrapolated / bulk_time:.1f}x faster)"
    )
    verdict = "met" if bulk_time < TARGET_SECONDS else "NOT met"
    print(f"target: {total_sheets} sheets under {TARGET_SECONDS:.0f} s — {verdict}")
    print(f"database: {url.split('://')[0]}")
    return 0 if bulk_time < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
