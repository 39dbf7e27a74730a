"""Pages: judge queue and scoring, organizer console, rubric editor, results, vote, exports."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from plugins.voting import assignment
from plugins.voting.models import VotingAssignment, VotingScore, VotingVote
from tests.plugins.voting.conftest import JUDGES, ORGANIZER, World, set_voting

FULL = {"cepat": 8, "efektif": 7, "efisien": 5, "transparan": 9, "tanggap": 6, "responsif": 7}


@pytest.fixture
def ready(app: Any, world: World, db: Any) -> World:
    """Two judges per innovation, scoring open, public vote open."""
    assignment.auto_assign(db, db.merge(world.event), 2, seed=5)
    db.commit()
    set_voting(
        app, db, world.event, scoring_open=True, public_voting_opens_at="2001-01-01T00:00:00Z"
    )
    return world


def login(client: Any, auth: Any, email: str) -> None:
    assert auth.login(email).status_code == 302
    client.post("/lang/en")


def first_assigned(db: Any, judge_id: int) -> int:
    found = db.scalar(
        select(VotingAssignment.innovation_id)
        .where(VotingAssignment.judge_id == judge_id)
        .order_by(VotingAssignment.innovation_id)
    )
    db.commit()
    return int(found)


def test_judge_queue_and_scoring_page(client: Any, auth: Any, ready: World, db: Any) -> None:
    login(client, auth, JUDGES[0])
    base = f"/{ready.slug}/voting/judge/"
    page = client.get(base).get_data(as_text=True)
    assert "0 of 4 scored" in page
    target = first_assigned(db, ready.judges[0].id)
    page = client.get(f"{base}{target}").get_data(as_text=True)
    assert "Fast" in page and "How much faster" in page and 'name="score-cepat"' in page
    draft = client.post(f"{base}{target}", data={"score-cepat": "4", "action": "draft"})
    assert draft.status_code == 302
    assert "draft" in client.get(base).get_data(as_text=True)
    bad = client.post(
        f"{base}{target}", data={**{f"score-{k}": v for k, v in FULL.items()}, "score-cepat": "12"}
    )
    assert bad.status_code == 422 and "cepat" in bad.get_data(as_text=True)
    missing = client.post(f"{base}{target}", data={"score-cepat": "5", "action": "submit"})
    assert missing.status_code == 422 and "tanggap" in missing.get_data(as_text=True)
    done = client.post(
        f"{base}{target}", data={**{f"score-{k}": v for k, v in FULL.items()}, "comment": "ok"}
    )
    assert done.status_code == 302
    assert "1 of 4 scored" in client.get(base).get_data(as_text=True)
    values = sorted(db.scalars(select(VotingScore.value)))
    db.commit()
    assert values == sorted(float(v) for v in FULL.values())


def test_judge_pages_refuse_others(client: Any, auth: Any, ready: World, db: Any) -> None:
    base = f"/{ready.slug}/voting/judge/"
    assert client.get(base).status_code == 302  # sign in first
    login(client, auth, ORGANIZER)
    assert client.get(base).status_code == 403
    auth.logout()
    login(client, auth, JUDGES[0])
    own = ready.innovations[0].id  # judge1's own agency: never assigned
    assert client.get(f"{base}{own}").status_code == 403


def test_judge_never_sees_other_judges_scores(
    client: Any, auth: Any, ready: World, db: Any
) -> None:
    row = db.scalar(select(VotingAssignment).where(VotingAssignment.judge_id == ready.judges[1].id))
    row.comment = "SECRET-COMMENT"
    db.commit()
    login(client, auth, JUDGES[2])
    for path in ("judge/", "results", "manage/", "manage/results"):
        page = client.get(f"/{ready.slug}/voting/{path}")
        assert "SECRET-COMMENT" not in page.get_data(as_text=True)
        if path != "judge/":
            assert page.status_code in (403, 404)


def test_organizer_console_rubric_assign_publish(
    app: Any, client: Any, auth: Any, world: World, db: Any
) -> None:
    login(client, auth, ORGANIZER)
    base = f"/{world.slug}/voting/manage/"
    assert "Judging console" in client.get(base).get_data(as_text=True)
    assert "Judging console" in client.get(f"/{world.slug}/manage/").get_data(as_text=True)
    bad = client.post(
        f"{base}rubric",
        data={
            "key": ["a", "a"],
            "label_id": ["A", "B"],
            "label_en": ["A", "B"],
            "description": ["", ""],
            "weight": ["1", "1"],
            "min": ["1", "1"],
            "max": ["5", "5"],
        },
    )
    assert bad.status_code == 422 and 'data-field="items.1.key"' in bad.get_data(as_text=True)
    assert "Criterion 2, key: The key &#39;a&#39; is used twice." in bad.get_data(as_text=True)
    good = client.post(
        f"{base}rubric",
        data={
            "key": ["impact", ""],
            "label_id": ["Dampak", ""],
            "label_en": ["Impact", ""],
            "description": ["Reach", ""],
            "weight": ["2", ""],
            "min": ["1", ""],
            "max": ["5", ""],
        },
    )
    assert good.status_code == 302
    assert 'value="impact"' in client.get(f"{base}rubric").get_data(as_text=True)
    assert client.post(f"{base}assign", data={"judges_per_innovation": "2"}).status_code == 302
    rows = db.scalars(select(VotingAssignment)).all()
    db.commit()
    assert len(rows) == 16
    refused = client.post(
        f"{base}assign", data={"judges_per_innovation": "9"}, follow_redirects=True
    )
    assert "conflict of interest" in refused.get_data(as_text=True)
    results = client.get(f"{base}results").get_data(as_text=True)
    assert "Publish results" in results
    assert client.get(f"/{world.slug}/voting/results").status_code == 200  # organizer preview
    client.post(f"{base}publish", data={"published": "1"})
    auth.logout()
    public = client.get(f"/{world.slug}/voting/results")
    assert public.status_code == 200 and "Results" in public.get_data(as_text=True)


def test_public_results_hidden_until_published(client: Any, world: World) -> None:
    assert client.get(f"/{world.slug}/voting/results").status_code == 404


def test_vote_page_from_a_qr_code(client: Any, ready: World, db: Any) -> None:
    innovation = ready.innovations[0]
    url = f"/{ready.slug}/voting/vote/{innovation.id}"
    page = client.get(f"{url}?pass={ready.passes[0]}").get_data(as_text=True)
    assert ready.passes[0] in page and innovation.title in page
    assert client.post(url, data={"pass": "WRONG"}).status_code == 403
    voted = client.post(url, data={"pass": ready.passes[0]})
    assert voted.status_code == 200 and 'data-voted="yes"' in voted.get_data(as_text=True)
    assert client.post(url, data={"pass": ready.passes[0]}).status_code == 409
    assert client.get(f"/{ready.slug}/voting/vote/999999").status_code == 404
    assert len(db.scalars(select(VotingVote)).all()) == 1
    db.commit()
    listing = client.get(f"/{ready.slug}/voting/").get_data(as_text=True)
    assert f"/voting/vote/{innovation.id}" in listing


def test_exports_csv_and_xlsx(client: Any, auth: Any, ready: World, db: Any) -> None:
    for row in db.scalars(select(VotingAssignment)):
        for key, value in FULL.items():
            row.scores.append(VotingScore(criterion_key=key, value=value))
        row.submitted = True
        row.comment = "=HYPERLINK(evil)"
    db.commit()
    login(client, auth, ORGANIZER)
    base = f"/{ready.slug}/voting/manage/export"
    results = client.get(f"{base}/results.csv")
    assert results.status_code == 200 and results.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(results.get_data(as_text=True))))
    assert table[0][:3] == ["rank", "innovation_id", "title"] and len(table) == 9
    scores = list(csv.reader(io.StringIO(client.get(f"{base}/scores.csv").get_data(as_text=True))))
    assert len(scores) == 17 and scores[1][-1] == "'=HYPERLINK(evil)"
    header = scores[0]
    for key, value in FULL.items():  # every sheet's values, in its criterion's column
        assert {float(row[header.index(key)]) for row in scores[1:]} == {float(value)}
    workbook = load_workbook(io.BytesIO(client.get(f"{base}/scores.xlsx").data))
    assert workbook.active.max_row == 17
    workbook = load_workbook(io.BytesIO(client.get(f"{base}/results.xlsx").data))
    assert workbook.active["A1"].value == "rank"
    assert client.get(f"{base}/secrets.csv").status_code == 404
    auth.logout()
    assert client.get(f"{base}/results.csv").status_code == 302


def test_score_sheet_export_reads_in_a_constant_few_statements(
    app: Any, ready: World, db: Any
) -> None:
    from core.models import Event
    from plugins.voting import exports, rubric
    from tests.core.web.test_queries import counting

    for row in db.scalars(select(VotingAssignment)):
        for key, value in FULL.items():
            row.scores.append(VotingScore(criterion_key=key, value=value))
    db.commit()
    event = db.scalar(select(Event).where(Event.slug == ready.slug))
    stage = rubric.current_stage(db, event)
    db.commit()
    with counting(app) as statements:
        _header, rows = exports.score_sheet_table(db, event, stage)
    assert len(rows) == 16 and all(row[5] is not None for row in rows)
    assert len(statements) <= 4, statements  # criteria, scores, sheets: not one per sheet
    db.rollback()


def test_booth_qr_codes_link_the_vote_page(client: Any, auth: Any, world: World) -> None:
    login(client, auth, ORGANIZER)
    page = client.get(f"/{world.slug}/voting/manage/qr")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count("<svg") == 8 and world.innovations[0].title in html
    auth.logout()
    assert client.get(f"/{world.slug}/voting/manage/qr").status_code == 302


def _vote_entries(client: Any, path: str) -> list[str]:
    page = client.get(path)
    assert page.status_code == 200
    return re.findall(r'<li data-category="[^"]*"[^>]*><a href="[^"]*">([^<]+)</a>', page.text)


def test_vote_page_searches_and_filters_without_javascript(client: Any, ready: World) -> None:
    base = f"/{ready.slug}/voting/"
    assert len(_vote_entries(client, base)) == 8
    assert _vote_entries(client, f"{base}?category=health") == [
        f"Innovation {n:02d}" for n in range(4)
    ]
    assert _vote_entries(client, f"{base}?q=innovation+05") == ["Innovation 05"]
    assert _vote_entries(client, f"{base}?q=agency+1&category=service") == [
        "Innovation 05"
    ]  # words match the agency's name too
    # an unknown category is ignored, a miss says so, and odd input is never a 500
    assert len(_vote_entries(client, f"{base}?category=nope")) == 8
    miss = client.get(f"{base}?q=zzzz")
    assert miss.status_code == 200 and '<p class="empty">' in miss.text
    assert client.get(f"{base}?q=" + "%25" * 300 + "&category=" + "x" * 300).status_code == 200
    assert client.get(f"{base}?category=%00").status_code == 400  # the input gate
    page = client.get(base).text
    assert 'name="q"' in page and 'id="vote-category"' in page and "vote_filter.js" in page
    assert client.get(f"/{ready.slug}/voting/assets/vote_filter.js").status_code == 200


def test_vote_page_has_no_search_while_the_vote_is_closed(client: Any, world: World) -> None:
    page = client.get(f"/{world.slug}/voting/?q=x").text
    assert 'id="vote-q"' not in page and "vote-list" not in page


def test_judge_queue_is_cards_with_a_filter_and_next(
    client: Any, auth: Any, ready: World, db: Any
) -> None:
    login(client, auth, JUDGES[0])
    base = f"/{ready.slug}/voting/judge/"
    queue = db.scalars(
        select(VotingAssignment).where(VotingAssignment.judge_id == ready.judges[0].id)
    ).all()
    first, second = sorted(queue, key=lambda row: row.id)[:2]
    first_id, second_id = first.innovation_id, second.innovation_id
    db.commit()
    client.post(f"{base}{first_id}", data={**{f"score-{k}": v for k, v in FULL.items()}})
    client.post(f"{base}{second_id}", data={"score-cepat": "4", "action": "draft"})
    page = client.get(base).text
    assert "<table" not in page and page.count('class="card judge-card"') == 4
    statuses = re.findall(r'<li class="card judge-card" data-status="(\w+)"', page)
    assert sorted(statuses) == ["draft", "pending", "pending", "submitted"]
    # "next" continues the draft before starting a new one
    following = re.search(r'data-action="next-score" href="([^"]+)"', page)
    assert following is not None and following.group(1) == f"{base}{second_id}"
    for show, expected in (("todo", ["pending", "pending"]), ("draft", ["draft"])):
        shown = client.get(f"{base}?show={show}").text
        assert re.findall(r'judge-card" data-status="(\w+)"', shown) == expected
        assert f'aria-current="true" data-show="{show}"' in shown
    done = client.get(f"{base}?show=done").text
    assert re.findall(r'judge-card" data-status="(\w+)"', done) == ["submitted"]
    assert "1 of 4 scored" in done  # the progress counts the whole queue, not the filter
    assert client.get(f"{base}?show=bogus").text.count('class="card judge-card"') == 4
