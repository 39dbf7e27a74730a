"""Rule 1: plugins never import each other (they share core and talk through hooks)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parents[3] / "plugins"
NAMES = sorted(p.name for p in PLUGINS.iterdir() if (p / "__init__.py").is_file())


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in ``path``, relative ones resolved."""
    package = ".".join(path.relative_to(PLUGINS.parent).with_suffix("").parts[:-1])
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            if module == "plugins":  # from plugins import voting
                found.extend((node.lineno, f"plugins.{alias.name}") for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.append((node.lineno, str(node.args[0].value)))
    return found


def foreign_plugin_imports(name: str) -> list[str]:
    """Imports of another plugin anywhere in ``plugins/<name>/``."""
    problems = []
    for path in sorted((PLUGINS / name).rglob("*.py")):
        for line, module in imported_modules(path):
            parts = module.split(".")
            if len(parts) >= 2 and parts[0] == "plugins" and parts[1] != name:
                problems.append(f"{path.relative_to(PLUGINS.parent)}:{line} imports {module}")
    return problems


def test_the_four_plugins_are_checked() -> None:
    assert {"registration", "exhibitors", "symposium", "voting"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_plugin_imports_no_other_plugin(name: str) -> None:
    assert foreign_plugin_imports(name) == []


def test_the_check_catches_every_form_of_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "plugins" / "alpha"
    (fake / "sub").mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "sub" / "deep.py").write_text(
        "import plugins.beta.models\n"
        "from plugins.beta import services\n"
        "from plugins import beta\n"
        "from ...beta import views\n"
        "from ..sub import fine\n"
        "import importlib\nimportlib.import_module('plugins.beta.api')\n"
        "from plugins.alpha import ok\n"
        "from core.models import Event\n"
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["PLUGINS"]), "PLUGINS", tmp_path / "plugins")
    problems = foreign_plugin_imports("alpha")
    assert [p.split(" imports ")[1] for p in problems] == [
        "plugins.beta.models",
        "plugins.beta",
        "plugins.beta",
        "plugins.beta",  # from ...beta import views
        "plugins.beta.api",
    ]
