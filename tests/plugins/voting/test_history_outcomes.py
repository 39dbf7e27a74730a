"""Issue 15: an innovation's history reads every edition's outcome at once.

The innovation page and ``GET /api/v1/innovations/{id}/history`` run the same number of SQL
statements with 2 editions as with 7 (voting reads stages, entries, votes and the frozen
results of closed stages in bulk), and the bulk read agrees with the per-event one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from core.models import Event, Innovation, Organization, User
from core.services import history
from plugins.voting import rubric, stages
from plugins.voting.models import VotingAssignment, VotingEntry, VotingScore
from plugins.voting.outcomes import outcomes, outcomes_across
from tests.core.web.test_queries import counting
from tests.plugins.voting.conftest import set_voting

PLUGINS = ["exhibitors", "voting"]


class Editions:
    """One innovation of Dinas Kesehatan entered year after year against a rival."""

    def __init__(self, app: Flask, db: Session, make: Any) -> None:
        self.app, self.db, self.make = app, db, make
        self.ours = Organization(name="Dinas Kesehatan", region="Kabupaten Banyuwangi")
        self.rival = Organization(name="Dinas Sosial", region="Kota Malang")
        db.add_all([self.ours, self.rival])
        db.flush()
        self.judge: User = make.user("juri@example.id", "Juri")
        self.entries: list[Innovation] = []
        self.identity_id: int | None = None

    def add(self, year: int, *, win: bool, close: bool = True, advance: bool = False) -> None:
        """An edition of ``year``: scored by one judge, stage closed, results published."""
        db = self.db
        event = self.make.event(
            f"jatim-{year}", plugins=PLUGINS, starts_on=date(year, 4, 24), ends_on=date(year, 4, 25)
        )
        ours = Innovation(
            event_id=event.id,
            organization_id=self.ours.id,
            title="Puskesmas Keliling",
            category="Kesehatan",
            status="accepted",
            identity_id=self.identity_id,
        )
        rival = Innovation(
            event_id=event.id,
            organization_id=self.rival.id,
            title=f"Rival {year}",
            category="Kesehatan",
            status="accepted",
        )
        db.add_all([ours, rival])
        db.flush()
        if self.identity_id is None:
            self.identity_id = history.ensure_identity(db, ours).id
        stage = rubric.ensure_stage(db, event)
        criteria = rubric.criteria_of(db, event, stage)
        for innovation, good in ((ours, win), (rival, not win)):
            sheet = VotingAssignment(
                stage_id=stage.id, judge_id=self.judge.id, innovation_id=innovation.id
            )
            sheet.submitted = True
            for criterion in criteria:
                value = criterion.max if good else criterion.min
                sheet.scores.append(VotingScore(criterion_key=criterion.key, value=value))
            db.add(sheet)
        db.flush()
        if close:
            stages.close_stage(db, event, stage.id)
        if advance:
            final = stages_add_final(db, event)
            db.add(VotingEntry(stage_id=final.id, innovation_id=ours.id))
        db.commit()
        set_voting(self.app, db, event, results_published=True)
        self.entries.append(ours)


def stages_add_final(db: Session, event: Event) -> Any:
    """A second, closed stage "Final" (no scores: its frozen results rank nobody)."""
    from plugins.voting.models import VotingStage

    final = VotingStage(event_id=event.id, name="Final", position=2, status="open")
    db.add(final)
    db.flush()
    stages.close_stage(db, event, final.id)
    return final


def _history(client: FlaskClient, entry: Innovation) -> dict[str, Any]:
    response = client.get(f"/api/v1/innovations/{entry.id}/history")
    assert response.status_code == 200
    return response.get_json()


def test_history_shows_stage_and_rank_of_every_edition(
    app: Flask, db: Session, make: Any, client: FlaskClient
) -> None:
    editions = Editions(app, db, make)
    editions.add(2019, win=True)
    editions.add(2020, win=False)
    editions.add(2021, win=True, advance=True)
    editions.add(2022, win=False, close=False)  # still open: computed live
    items = _history(client, editions.entries[-1])["items"]
    # 2021: the current stage is the final, which ranked nobody
    assert [(i["year"], i["rank"]) for i in items] == [
        (2019, 1),
        (2020, 2),
        (2021, None),
        (2022, 2),
    ]
    assert [i["stage_reached"] for i in items][2] == "Final"
    # the bulk read agrees with the per-event read
    events = [db.get(Event, e.event_id) for e in editions.entries]
    ids = [e.id for e in editions.entries]
    bulk = outcomes_across(db, events, ids)
    for event, entry in zip(events, editions.entries, strict=True):
        assert bulk[entry.id] == outcomes(db, event, [entry.id])[entry.id]
    db.commit()


def test_history_reads_stay_constant_with_the_number_of_editions(
    app: Flask, db: Session, make: Any, client: FlaskClient
) -> None:
    editions = Editions(app, db, make)
    for year in (2019, 2020):
        editions.add(year, win=year % 2 == 1, advance=year == 2020)

    def measure() -> tuple[int, int]:
        latest = editions.entries[-1]
        slug = db.get(Event, latest.event_id).slug
        db.commit()
        with counting(app) as api_statements:
            _history(client, latest)
        with counting(app) as page_statements:
            page = client.get(f"/{slug}/exhibitors/innovations/{latest.id}")
        assert page.status_code == 200
        return len(api_statements), len(page_statements)

    few = measure()
    for year in range(2021, 2026):
        editions.add(year, win=year % 2 == 1, advance=year in (2021, 2023))
    many = measure()
    assert len(_history(client, editions.entries[-1])["items"]) == 7
    print(f"history statements (api, page): 2 editions {few}, 7 editions {many}")
    assert many == few, (few, many)
