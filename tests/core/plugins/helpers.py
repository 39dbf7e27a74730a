"""Helpers for plugin tests: installing throwaway distributions, reading pages."""

from __future__ import annotations

import importlib
import re
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ORGANIZER = "organizer@example.id"


def write_distribution(
    site: Path, dist: str, entry_points: dict[str, str], modules: dict[str, str]
) -> None:
    """Write modules and a ``<dist>-0.1.dist-info`` declaring ``gelar.plugins`` entry points."""
    site.mkdir(parents=True, exist_ok=True)
    for module, source in modules.items():
        (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = site / f"{dist.replace('-', '_')}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n", encoding="utf-8"
    )
    lines = "".join(f"{name} = {value}\n" for name, value in entry_points.items())
    (info / "entry_points.txt").write_text(f"[gelar.plugins]\n{lines}", encoding="utf-8")


@contextmanager
def installed(monkeypatch: pytest.MonkeyPatch, site: Path, modules: list[str]) -> Iterator[None]:
    """Put ``site`` on ``sys.path`` (importlib.metadata then finds its dist-info)."""
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    try:
        yield
    finally:
        for module in modules:
            sys.modules.pop(module, None)
        importlib.invalidate_caches()


def nav_links(html: str) -> list[str]:
    """The ``data-plugin`` names of the event navigation's links."""
    return re.findall(r'<a href="[^"]*" data-plugin="([^"]+)"', html)


def panel_plugins(html: str) -> list[str]:
    """The plugin names of the panels on a page."""
    return re.findall(r'<section class="panel" data-plugin="([^"]+)"', html)


def stat(html: str, plugin: str, name: str) -> str:
    """The number shown for ``data-stat=name`` inside ``plugin``'s panel."""
    section = re.search(
        rf'<section class="panel" data-plugin="{plugin}".*?</section>', html, flags=re.S
    )
    assert section is not None, f"no panel of {plugin}"
    found = re.search(rf'data-stat="{name}"[^>]*>\s*<strong>([^<]*)</strong>', section.group(0))
    assert found is not None, f"no stat {name} in the {plugin} panel"
    return found.group(1).strip()
