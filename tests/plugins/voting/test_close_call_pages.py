"""Close calls at the cut-off, through HTTP: two innovations sit on either side of it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from plugins.voting import assignment
from plugins.voting.models import VotingAssignment, VotingScore
from tests.plugins.voting.conftest import World

API = "/api/v1/events"
KEYS = ("cepat", "efektif", "efisien", "transparan", "tanggap", "responsif")
# innovation n's quality on the 1-10 criteria; 03 and 04 sit around the cut-off after place 4
QUALITY = [9.5, 8.8, 8.2, 6.1, 6.0, 3.6, 3.0, 2.2]
TOP = 4


def _values(level: float) -> list[int]:
    """Six whole criteria values whose mean is ``level`` to within 1/6."""
    low = int(level)
    ceil = round((level - low) * len(KEYS))
    return [min(10, low + 1)] * ceil + [low] * (len(KEYS) - ceil)


@pytest.fixture
def close_at_cut(world: World, db: Any) -> World:
    """Three judges each; the judges disagree a little, 03 and 04 straddle place 4/5."""
    assignment.auto_assign(db, db.merge(world.event), 3, seed=4)
    index = {innovation.id: n for n, innovation in enumerate(world.innovations)}
    judges = {judge.id: n for n, judge in enumerate(world.judges)}
    for row in db.scalars(select(VotingAssignment)):
        n = index[row.innovation_id]
        spread = (judges[row.judge_id] - 1.5) * 0.4  # -0.6 .. +0.6: judges disagree a little
        for key, value in zip(KEYS, _values(QUALITY[n] + spread), strict=True):
            row.scores.append(VotingScore(criterion_key=key, value=value))
        row.submitted = True
    db.commit()
    return world


def test_the_api_flags_the_two_innovations_at_the_cut_off(
    client: Any, close_at_cut: World, headers: dict[str, Any]
) -> None:
    body = client.get(
        f"{API}/{close_at_cut.slug}/results?top={TOP}", headers=headers["organizer"]
    ).get_json()
    titles = {i["innovation"]["title"]: i for i in body["items"]}
    finals = [i["final_score"] for i in body["items"]]
    assert finals[TOP - 1] > body["boundary"] > finals[TOP]
    for close in ("Innovation 03", "Innovation 04"):
        assert "close_call" in titles[close]["flags"]
        low, high = titles[close]["interval"]
        assert low <= body["boundary"] <= high
    for settled in ("Innovation 00", "Innovation 07"):
        assert "close_call" not in titles[settled]["flags"]


def test_the_results_page_draws_and_marks_the_close_calls_with_the_button(
    client: Any, close_at_cut: World, auth: Any
) -> None:
    auth.login("organizer@example.id")
    page = client.get(f"/{close_at_cut.slug}/voting/manage/results?top={TOP}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "voting.css" in text  # the plot's strokes live there (no inline styles)
    assert "style=" not in text
    rows = re.findall(r'<g class="row([^"]*)">\s*<title>([^<:]+):', text)
    marked = sorted(title for classes, title in rows if "close-call" in classes)
    assert marked == ["Innovation 03", "Innovation 04"]
    assert len(rows) == len(QUALITY)  # every scored innovation drawn with its interval
    assert text.count('class="interval"') == len(QUALITY)
    assert "≈ Innovation 03" in text and "≈ Innovation 04" in text
    assert "≈ Innovation 00" not in text
    assert 'class="boundary"' in text
    form = re.search(r'<form method="post" action="[^"]*/manage/top-up".*?</form>', text, re.S)
    assert form is not None
    assert 'name="top" value="4"' in form.group(0)
    assert re.search(r'<button type="submit" class="primary">[^<]+</button>', form.group(0))


def test_the_button_says_tambah_juri_untuk_yang_nyaris_in_indonesian(
    client: Any, close_at_cut: World, auth: Any
) -> None:
    auth.login("organizer@example.id")
    page = client.get(
        f"/{close_at_cut.slug}/voting/manage/results?top={TOP}",
        headers={"Accept-Language": "id"},
    )
    assert "Tambah juri untuk yang nyaris" in page.get_data(as_text=True)


def test_no_button_without_close_calls(client: Any, close_at_cut: World, auth: Any) -> None:
    auth.login("organizer@example.id")
    text = client.get(f"/{close_at_cut.slug}/voting/manage/results?top=1").get_data(as_text=True)
    assert 'class="row close-call' not in text and "/manage/top-up" not in text


def test_long_titles_are_cut_to_fit_the_plot(
    client: Any, close_at_cut: World, auth: Any, db: Any
) -> None:
    """A title a few characters past the limit is cut too (no leeway), so no label overflows."""
    innovation = db.merge(close_at_cut.innovations[3])
    innovation.title = "TOSS TB: Temukan Obati Sampai Sembuh"  # 36 characters
    db.commit()
    auth.login("organizer@example.id")
    text = client.get(f"/{close_at_cut.slug}/voting/manage/results?top={TOP}").get_data(
        as_text=True
    )
    labels = re.findall(r'<text class="label"[^>]*>([^<]*)</text>', text)
    assert len(labels) == len(QUALITY)
    assert "≈ TOSS TB: Temukan Obati Sampai…" in labels
    assert max(len(label.removeprefix("≈ ")) for label in labels) <= 32
    assert "Sembuh" in text  # the whole title stays in the row's tooltip
