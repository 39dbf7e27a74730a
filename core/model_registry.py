"""Import every model module (core and installed plugins) so the metadata is complete."""

from __future__ import annotations

import importlib
import importlib.metadata

from sqlalchemy import MetaData

from core.db import metadata
from core.plugins import ENTRY_POINT_GROUP


def load_all_models() -> MetaData:
    """Import ``core.models`` and each plugin package's ``models`` module; return the metadata."""
    importlib.import_module("core.models")
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        package = entry_point.value.split(":")[0].rpartition(".")[0]
        if not package:
            continue
        try:
            importlib.import_module(f"{package}.models")
        except ModuleNotFoundError as exc:
            if exc.name != f"{package}.models":
                raise
    return metadata
