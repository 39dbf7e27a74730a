"""The matrix's seeded app: built once per database backend, shared by the package's tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.db import get_db
from tests.authz.seed import Seed, make_seed
from tests.conftest import _truncate_postgres


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Seed]:
    """Two events and a person of every kind, on a fresh database (once per module)."""
    folder = tmp_path_factory.mktemp(f"authz-{request.param}")
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = folder / "gelar.sqlite3"
        shutil.copy(template, path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_url")
        _truncate_postgres(url)
    built = make_seed(request.param, url, Path(folder / "instance"))
    yield built
    get_db(built.app).dispose()
    if request.param == "postgres":
        _truncate_postgres(url)
