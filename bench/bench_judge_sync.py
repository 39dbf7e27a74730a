"""Benchmark: what the offline judging app's sync costs the server (issue 14).

One event, ``--judges`` judges, ``--innovations`` innovations, ``--per-innovation`` judges
each.  Every judge sends all their sheets in one ``PUT /api/v1/events/{event}/scores``,
four times, all in the same run:

* first (not compared: it inserts the scores, the others update them);
* baseline: rows as an API client sends them (``client_id``, no ``edited_at``);
* the app's sync: every sheet edited again on the device (new ``client_id``, ``based_on``
  and ``edited_at``): the audit entry lists both clocks per sheet, the judge's last sync is
  updated;
* a duplicate send of the app's rows (an answer lost on the way back): applied once,
  answered from the stored client ids.

Also the judge's bundle (what the app keeps on the device) built by the service for every
judge.  Ratios are against the baseline of the same run.

    .venv/bin/python bench/bench_judge_sync.py [--innovations 600] [--judges 20]
        [--per-innovation 5] [--database-url URL]

Without ``--database-url`` a temporary SQLite file is used; a PostgreSQL URL must name a
scratch database: its ``public`` schema is dropped and recreated.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_bulk_national import SCORES, SLUG, build, timed  # noqa: E402


def main() -> int:
    """Run the three sends and the bundles; print times and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--innovations", type=int, default=600)
    parser.add_argument("--judges", type=int, default=20)
    parser.add_argument("--per-innovation", type=int, default=5)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="gelar-judge-sync-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"

    from sqlalchemy import select

    from core.db import get_db, utcnow
    from core.models import Event, Innovation, Organization, User
    from core.services import plugin_settings
    from plugins.voting import assignment, offline
    from plugins.voting.models import VotingAssignment
    from plugins.voting.settings import VotingSettings

    app, _organizer, judges = build(url, workdir, args.judges)
    registry = app.extensions["gelar_plugins"]
    with app.app_context(), get_db(app).transaction() as session:
        event = session.scalar(select(Event).where(Event.slug == SLUG))
        assert event is not None
        agencies = [Organization(name=f"Dinas {n}", region="Jawa Timur") for n in range(50)]
        session.add_all(agencies)
        session.flush()
        session.add_all(
            Innovation(
                event_id=event.id,
                organization_id=agencies[n % 50].id,
                title=f"Inovasi {n}",
                summary=f"Layanan publik nomor {n}.",
                category="layanan",
                status="accepted",
            )
            for n in range(args.innovations)
        )
        session.flush()
        assignment.auto_assign(session, event, args.per_innovation, seed=3)
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
    header_of = {email: {"Authorization": judges[n]} for n, email in enumerate(order)}
    total = sum(len(v) for v in sheets.values())
    client = app.test_client()
    api = f"/api/v1/events/{SLUG}/scores"

    def send(shape: str) -> None:
        for email in order:
            items = []
            for i in sheets[email]:
                row = {"innovation": i, "scores": SCORES, "submit": True}
                if shape in ("first", "api"):
                    row["client_id"] = f"{shape}:{email}:{i}"
                else:
                    row.update(
                        client_id=f"app:{email}:{i}",
                        based_on=2,
                        edited_at="2026-12-10T09:15:00+07:00",
                    )
                items.append(row)
            r = client.put(api, json={"items": items}, headers=header_of[email])
            assert r.status_code == 200, r.get_json()
            assert all(row["status"] == "submitted" for row in r.get_json()["items"])

    label = f"{total} sheets by {len(order)} judges"
    timed(f"first send, not compared (inserts; {label})", lambda: send("first"))
    _none, baseline = timed(f"baseline: API rows ({label})", lambda: send("api"))
    _none, app_sync = timed(f"app sync: edited_at + based_on ({label})", lambda: send("app"))
    _none, duplicate = timed(f"duplicate send of the app's rows ({label})", lambda: send("app"))

    def bundles() -> None:
        with app.app_context(), get_db(app).transaction() as session:
            event = session.scalar(select(Event).where(Event.slug == SLUG))
            for email in order:
                judge = session.scalar(select(User).where(User.email == email))
                offline.judge_bundle(
                    session,
                    event,
                    judge,
                    settings=VotingSettings(scoring_open=True),
                    locale="id",
                    now=utcnow(),
                )

    _none, bundle_time = timed(f"judge bundles ({len(order)} judges)", bundles)
    print(f"ratio app sync / baseline: {app_sync / baseline:.2f}")
    print(f"ratio duplicate / baseline: {duplicate / baseline:.2f}")
    print(f"ratio all bundles / baseline: {bundle_time / baseline:.2f}")
    print(f"database: {url.split('://')[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
