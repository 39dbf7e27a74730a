"""Find every model module and migration directory: core's and each installed plugin's."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
from pathlib import Path

from sqlalchemy import MetaData

from core.db import metadata
from core.plugins import ENTRY_POINT_GROUP


def plugin_packages() -> list[str]:
    """The package of each ``gelar.plugins`` entry point (``plugins.voting.plugin`` → parent)."""
    packages: list[str] = []
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        module = entry_point.value.split(":")[0].strip()
        package = module.rpartition(".")[0] or module
        if package not in packages:
            packages.append(package)
    return packages


def load_all_models() -> MetaData:
    """Import ``core.models`` and each plugin package's ``models`` module; return the metadata."""
    importlib.import_module("core.models")
    for package in plugin_packages():
        try:
            importlib.import_module(f"{package}.models")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"{package}.models", package):
                raise
    return metadata


def plugin_migration_dirs() -> list[Path]:
    """``<package>/migrations`` of each installed plugin package that ships one."""
    found: list[Path] = []
    for package in plugin_packages():
        try:
            spec = importlib.util.find_spec(package)
        except ModuleNotFoundError:
            continue
        for location in (spec.submodule_search_locations or []) if spec else []:
            directory = Path(location) / "migrations"
            if directory.is_dir() and directory not in found:
                found.append(directory)
    return found
