"""The judging console stays fast: a fixed number of statements, the QR sheet paginated."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from plugins.voting import assignment, qr
from tests.core.web.test_queries import statements_for
from tests.plugins.voting.conftest import ORGANIZER, World, add_innovation
from tests.plugins.voting.test_pages import login


def _more(db: Session, world: World, n: int, start: int) -> None:
    for i in range(start, start + n):
        add_innovation(db, world.event, world.organizations[i % 4], f"Extra {i:03d}")


def test_console_statements_do_not_grow_with_innovations(
    app: Any, client: Any, auth: Any, db: Session, world: World
) -> None:
    login(client, auth, ORGANIZER)
    assignment.auto_assign(db, db.merge(world.event), 2, seed=3)
    db.commit()
    paths = [f"/{world.slug}/voting/manage/", f"/{world.slug}/voting/manage/qr"]
    few = [statements_for(app, client, path) for path in paths]
    _more(db, world, 12, 100)
    assignment.auto_assign(db, db.merge(world.event), 2, seed=3)
    db.commit()
    many = [statements_for(app, client, path) for path in paths]
    assert few == many


def test_qr_sheet_is_paginated_and_cached(
    app: Any, client: Any, auth: Any, db: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(qr, "PER_PAGE", 3)
    login(client, auth, ORGANIZER)
    base = f"/{world.slug}/voting/manage/qr"
    seen: list[str] = []
    for number in (1, 2, 3):
        html = client.get(f"{base}?page={number}").get_data(as_text=True)
        assert f"Page {number} of 3 (8 codes)" in html
        seen += [t.title for t in world.innovations if f">{t.title}<" in html]
        assert html.count("<svg") == (3 if number < 3 else 2)
    assert sorted(seen) == sorted(t.title for t in world.innovations)
    # past the end or nonsense: the last or the first page, never an error
    assert "Page 3 of 3" in client.get(f"{base}?page=99").get_data(as_text=True)
    assert "Page 1 of 3" in client.get(f"{base}?page=x").get_data(as_text=True)
    qr.qr_svg.cache_clear()
    client.get(f"{base}?page=1")
    client.get(f"{base}?page=1")
    info = qr.qr_svg.cache_info()
    assert (info.misses, info.hits) == (3, 3)
