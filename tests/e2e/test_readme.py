"""Keep the README true: its commands, settings, hooks, demo accounts and plugin example.

The "How to write a plugin" example is extracted from README.md, written to disk as the
package it describes, registered next to the built-in plugins and exercised over HTTP.
"""

from __future__ import annotations

import importlib
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import hookspecs
from core.cli import main as gelar_main
from core.config import ENV_KEYS
from core.models import AuditEntry
from core.services import demo
from core.services import plugin_settings as settings_service
from core.services.demo_data import DEMO_JUDGES
from core.services.errors import ValidationFailed
from core.services.events import get_event
from tests.conftest import AuthActions, Factory

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
# The first line of an example file's block names its path: "# path" or "{# path #}".
PATH_LINE = re.compile(r"^(?:#|\{#)\s*([\w./-]+?)\s*(?:#\})?$")
PLUGIN = "announcements"


def readme() -> str:
    """The README's text."""
    return README.read_text(encoding="utf-8")


def example_files(text: str) -> dict[str, str]:
    """The files of the plugin example: every fenced block whose first line is a path."""
    files: dict[str, str] = {}
    for _lang, body in FENCE.findall(text):
        first = body.partition("\n")[0]
        match = PATH_LINE.match(first.strip())
        if match and ("/" in match.group(1) or match.group(1).endswith(".toml")):
            files[match.group(1)] = body
    return files


# --- the README's claims about the code ----------------------------------------------------


def test_readme_opens_with_the_two_commands() -> None:
    """Right after the title comes a block with exactly ``make run`` and ``make test``."""
    text = readme()
    title, _, rest = text.partition("\n")
    assert title.startswith("# Gelar")
    first_block = FENCE.search(rest)
    assert first_block is not None
    assert rest[: first_block.start()].strip() == ""
    commands = [line.split("#")[0].strip() for line in first_block.group(2).splitlines()]
    assert [c for c in commands if c] == ["make run", "make test"]
    assert "http://127.0.0.1:5000" in first_block.group(2) and "jatim-2019" in first_block.group(2)


def _variables_read_by_the_code() -> set[str]:
    found = {f"GELAR_{key}" for key in ENV_KEYS} | {"GELAR_INSTANCE_PATH", "GELAR_DEBUG"}
    sources = [*(ROOT / "core").rglob("*.py"), ROOT / "tests" / "conftest.py"]
    sources += [ROOT / ".ci" / "run", *(ROOT / "tests" / "e2e").glob("*.py")]
    for path in sources:
        if path.name == "test_readme.py" or not path.exists():
            continue
        found |= set(re.findall(r"\bGELAR_[A-Z][A-Z_]*[A-Z]\b", path.read_text(encoding="utf-8")))
    return found


def test_readme_documents_every_environment_variable() -> None:
    """Every ``GELAR_*`` variable the code reads is named in the README."""
    text = readme()
    missing = sorted(v for v in _variables_read_by_the_code() if v not in text)
    assert not missing, f"README does not document {missing}"


def test_readme_lists_every_hook_spec() -> None:
    """Every hook spec of core/hookspecs.py has a row in the README's hook table."""
    text = readme()
    specs = [
        name
        for name in dir(hookspecs)
        if getattr(getattr(hookspecs, name), "gelar_spec", None) is not None
    ]
    assert len(specs) >= 11
    missing = [name for name in specs if f"| `{name}(" not in text]
    assert not missing, f"README's hook table lacks {missing}"


def test_readme_lists_core_commands(app: Flask) -> None:
    """Every command core adds to ``gelar`` (and its subcommands) appears in the README."""
    text = readme()
    names: list[str] = []
    for name in ("db", "create-user", "demo", "plugins", "mail", "run"):
        command = app.cli.commands.get(name) or gelar_main.commands.get(name)
        assert command is not None, name
        subcommands = getattr(command, "commands", None)
        names += (
            [f"gelar {name} {sub}" for sub in subcommands] if subcommands else [f"gelar {name}"]
        )
    missing = [name for name in names if f"`{name}" not in text]
    assert not missing, f"README does not describe {missing}"


def test_readme_demo_accounts_match_the_seed() -> None:
    """The demo e-mails and passwords in the README are the ones ``gelar demo`` creates."""
    text = readme()
    for email, _name, password, _admin in (
        demo.DEMO_ADMIN,
        demo.DEMO_ORGANIZER,
        demo.DEMO_EXHIBITOR,
    ):
        assert f"`{email}` | `{password}`" in text
    for _name, email in DEMO_JUDGES:
        assert f"`{email.split('@')[0]}@" in text
    assert f"`{demo.DEMO_JUDGE_PASSWORD}`" in text
    assert demo.DEMO_SLUG in text and demo.DEMO_NAME in text


def test_readme_screenshots_exist() -> None:
    """Every image the README embeds is a PNG in the repository."""
    images = re.findall(r"\]\((docs/screenshots/[\w.-]+\.png)\)", readme())
    assert len(set(images)) >= 4
    for image in images:
        data = (ROOT / image).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", image


# --- the plugin example, built from the README and run ---------------------------------------


@pytest.fixture(scope="session")
def example_plugin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """Write the README's plugin package to disk and import its plugin module."""
    files = example_files(readme())
    assert {"pyproject.toml", "gelar_announcements/plugin.py"} <= set(files)
    root = tmp_path_factory.mktemp("readme-plugin")
    for relative, body in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("gelar_announcements.plugin")
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n.startswith("gelar_announcements")]:
            del sys.modules[name]


@pytest.fixture
def app_config(app_config: dict[str, Any], example_plugin: ModuleType) -> dict[str, Any]:
    """The usual test app, with the README's plugin registered next to the built-in ones."""
    return {**app_config, "EXTRA_PLUGINS": [(PLUGIN, example_plugin)]}


def test_example_pyproject_declares_the_entry_point() -> None:
    """The example's pyproject.toml registers the plugin in the ``gelar.plugins`` group."""
    pyproject = tomllib.loads(example_files(readme())["pyproject.toml"])
    entry_points = pyproject["project"]["entry-points"]["gelar.plugins"]
    assert entry_points == {PLUGIN: "gelar_announcements.plugin"}
    assert any(dep.startswith("gelar") for dep in pyproject["project"]["dependencies"])


def _audit_actions(db: Session, event_id: int) -> list[str]:
    """The plugin's audit entries on one event, oldest first (ending the read transaction)."""
    query = select(AuditEntry.action).where(
        AuditEntry.event_id == event_id, AuditEntry.action.like(f"{PLUGIN}.%")
    )
    actions = list(db.scalars(query.order_by(AuditEntry.id)))
    db.rollback()  # on SQLite an open transaction would hold the write lock the app needs
    return actions


def _stored_headline(db: Session, registry: Any, slug: str) -> str:
    """The headline stored for the event (ending the read transaction)."""
    headline = settings_service.get_settings(registry, get_event(db, slug), PLUGIN)["headline"]
    db.rollback()
    return str(headline)


def test_example_plugin_runs_per_event(
    app: Flask, client: FlaskClient, db: Session, make: Factory, auth: AuthActions, registry: Any
) -> None:
    """Discovered, off by default, on and off per event, with a page, nav, panel and settings."""
    assert PLUGIN in registry.names
    assert registry.infos[PLUGIN].localized_title("id") == "Pengumuman"
    organizer = make.user("panitia@example.id")
    event = make.event(plugins=["exhibitors"], organizer=organizer)
    slug, event_id = event.slug, event.id
    other = make.event("jatim-2027", plugins=[PLUGIN]).slug
    db.rollback()

    assert client.get(f"/{slug}/{PLUGIN}/").status_code == 404
    assert f'data-plugin="{PLUGIN}"' not in client.get(f"/{slug}/").get_data(as_text=True)
    assert client.get(f"/{other}/{PLUGIN}/").status_code == 200

    auth.login("panitia@example.id")
    response = client.post(f"/{slug}/manage/plugins", data={"plugin": PLUGIN, "enabled": "1"})
    assert response.status_code == 302
    assert _audit_actions(db, event_id) == [f"{PLUGIN}.enabled"]
    page = client.get(f"/{slug}/{PLUGIN}/")
    assert page.status_code == 200 and "Selamat datang!" in page.get_data(as_text=True)
    home = client.get(f"/{slug}/").get_data(as_text=True)
    assert f'data-plugin="{PLUGIN}"' in home and "Selamat datang!" in home

    settings_url = f"/{slug}/manage/plugins/{PLUGIN}/settings"
    refused = client.post(settings_url, data={"headline": "", "text": "x"})
    assert refused.status_code in (200, 422)  # the form again, with the problem next to the field
    assert 'class="error"' in refused.get_data(as_text=True)
    assert _stored_headline(db, registry, slug) == "Selamat datang!"
    saved = client.post(settings_url, data={"headline": "Pameran dibuka", "text": "<b>08.00</b>"})
    assert saved.status_code == 302
    home = client.get(f"/{slug}/").get_data(as_text=True)
    assert "Pameran dibuka" in home and "&lt;b&gt;08.00&lt;/b&gt;" in home

    with pytest.raises(ValidationFailed):
        settings_service.update_settings(
            db, registry, get_event(db, slug), PLUGIN, {"headline": "x" * 121}
        )
    db.rollback()
    assert _stored_headline(db, registry, slug) == "Pameran dibuka"

    client.post(f"/{slug}/manage/plugins", data={"plugin": PLUGIN, "enabled": "0"})
    assert client.get(f"/{slug}/{PLUGIN}/").status_code == 404
    assert f'data-plugin="{PLUGIN}"' not in client.get(f"/{slug}/").get_data(as_text=True)
    assert _audit_actions(db, event_id) == [f"{PLUGIN}.enabled", f"{PLUGIN}.disabled"]
    assert client.get(f"/{other}/{PLUGIN}/").status_code == 200
