"""The plugin manager: discovery by entry point, per-event filtering, plugin metadata.

Built by the app factory and stored as ``app.extensions["gelar_plugins"]``; nothing here
runs at import time.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pluggy
from markupsafe import Markup
from pydantic import BaseModel

from core import hookspecs

ENTRY_POINT_GROUP = "gelar.plugins"


@dataclass(frozen=True)
class PluginInfo:
    """A plugin's metadata, exported by its module as ``plugin_info``.

    ``settings_model`` (a pydantic model with defaults for every field) validates the
    per-event settings given as JSON; ``settings_form`` (a Flask-WTF form class with the same
    field names) edits them in the console.  ``settings_notices`` (optional), called by the
    console after the form's settings were saved and committed as
    ``settings_notices(event, session, before, after)`` with the settings before and after
    (JSON dicts), returns messages to show the organizer (e.g. what the change affects).
    """

    name: str
    title: dict[str, str]
    description: dict[str, str]
    settings_model: type[BaseModel] | None = None
    settings_form: type[Any] | None = None
    version: str = "0"
    settings_notices: Callable[[Any, Any, dict[str, Any], dict[str, Any]], list[str]] | None = None

    def localized_title(self, locale: str) -> str:
        """The title in ``locale``, falling back to English then the name."""
        return self.title.get(locale) or self.title.get("en") or self.name

    def localized_description(self, locale: str) -> str:
        """The description in ``locale``, falling back to English."""
        return self.description.get(locale) or self.description.get("en") or ""

    def default_settings(self) -> dict[str, Any]:
        """The plugin's settings with every default filled in, as JSON-ready values."""
        if self.settings_model is None:
            return {}
        return self.settings_model().model_dump(mode="json")


@dataclass(frozen=True)
class NavItem:
    """A link in an event's navigation bar contributed by a plugin."""

    label: str
    url: str
    plugin: str
    order: int = 50


@dataclass(frozen=True)
class Panel:
    """A block of rendered HTML on the event home page or the organizer dashboard."""

    title: str
    html: Markup
    plugin: str
    order: int = 50
    stats: tuple[tuple[str, Any], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class BusyTime:
    """When a person or an agency of an event is taken elsewhere (answers ``event_busy_times``).

    ``kind`` is ``"person"`` (``key`` is a user id) or ``"organization"`` (``key`` is an
    organization id); ``starts_at``/``ends_at`` are aware UTC datetimes; ``label`` says what
    keeps them busy (a session's title) and ``plugin`` who said so.
    """

    kind: str
    key: int
    starts_at: datetime
    ends_at: datetime
    label: str
    plugin: str
    order: int = 50


@dataclass(frozen=True)
class BoothLocation:
    """Where an agency exhibits (answers ``event_booth_locations``).

    ``x``/``y`` are the booth's centre in metres on the floor grid; ``url`` links the booth
    on the floor plan ("" outside a request).
    """

    organization_id: int
    code: str
    zone: str
    x: float
    y: float
    url: str
    plugin: str
    order: int = 50


class UnknownPluginError(ValueError):
    """A plugin name that no installed plugin carries."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = sorted(names)
        super().__init__("unknown plugin: " + ", ".join(self.names))


class PluginRegistry:
    """Wraps pluggy's manager with what Gelar needs: metadata and per-event hook callers."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.infos: dict[str, PluginInfo] = {}
        self.blueprint_owner: dict[str, str] = {}
        self._subset_cache: dict[tuple[str, frozenset[str]], Callable[..., Any]] = {}

    # -- loading ---------------------------------------------------------------------------
    def load_entry_points(self, group: str = ENTRY_POINT_GROUP) -> None:
        """Register every plugin declared in the entry-point group, then check the hooks.

        A name already registered (``EXTRA_PLUGINS``, or the same distribution seen twice on
        ``sys.path``) is skipped; two distributions giving one name different modules is an
        error.  ``check_pending()`` makes a misspelled hook implementation fail loudly.
        """
        loaded: dict[str, str] = {}
        for entry_point in importlib.metadata.entry_points(group=group):
            seen = loaded.get(entry_point.name)
            if seen is not None and seen != entry_point.value:
                raise ValueError(
                    f"two plugins are named {entry_point.name!r}: {seen} and {entry_point.value}"
                )
            loaded[entry_point.name] = entry_point.value
            if self.pm.get_plugin(entry_point.name) is not None:
                continue
            self.register(entry_point.load(), name=entry_point.name)
        self.pm.check_pending()

    def register(self, plugin: Any, name: str) -> None:
        """Register one plugin object (module) under ``name``; it must carry ``plugin_info``."""
        info = getattr(plugin, "plugin_info", None)
        if not isinstance(info, PluginInfo):
            raise TypeError(f"plugin {name!r} has no PluginInfo named plugin_info")
        if info.name != name:
            raise ValueError(f"plugin entry point {name!r} declares name {info.name!r}")
        self.pm.register(plugin, name=name)
        self.infos[name] = info
        self._subset_cache.clear()

    @property
    def names(self) -> list[str]:
        """Installed plugin names, sorted."""
        return sorted(self.infos)

    def check_names(self, names: Iterable[str]) -> list[str]:
        """Return ``names`` sorted and de-duplicated, or raise :class:`UnknownPluginError`."""
        wanted = set(names)
        unknown = wanted - set(self.infos)
        if unknown:
            raise UnknownPluginError(unknown)
        return sorted(wanted)

    # -- calling ---------------------------------------------------------------------------
    def spec_names(self) -> list[str]:
        """Names of every hook specification, sorted."""
        return sorted(
            name
            for name in dir(self.pm.hook)
            if not name.startswith("_") and getattr(self.pm.hook, name).spec is not None
        )

    def _check_arguments(self, hook_name: str, kwargs: dict[str, Any]) -> None:
        """Refuse a call that misses a spec argument or passes one the spec does not know."""
        caller = getattr(self.pm.hook, hook_name, None)
        if caller is None or caller.spec is None:
            raise AttributeError(f"no hook specification named {hook_name!r}")
        expected = set(caller.spec.argnames)
        missing, unknown = expected - set(kwargs), set(kwargs) - expected
        if missing or unknown:
            raise TypeError(
                f"hook {hook_name!r} called with missing {sorted(missing)} / unknown "
                f"{sorted(unknown)} keyword arguments"
            )

    def call_all(self, hook_name: str, **kwargs: Any) -> list[Any]:
        """Call a hook on every installed plugin (``register_*`` hooks)."""
        self._check_arguments(hook_name, kwargs)
        return getattr(self.pm.hook, hook_name)(**kwargs)

    def _caller_for(self, hook_name: str, enabled: frozenset[str]) -> Callable[..., Any]:
        key = (hook_name, enabled)
        caller = self._subset_cache.get(key)
        if caller is None:
            excluded = [self.pm.get_plugin(n) for n in self.infos if n not in enabled]
            caller = self.pm.subset_hook_caller(hook_name, remove_plugins=excluded)
            self._subset_cache[key] = caller
        return caller

    def call_for_event(self, event: Any, hook_name: str, **kwargs: Any) -> list[Any]:
        """Call a hook only on the plugins enabled for ``event``.

        When the spec takes an ``event`` argument it is filled in from ``event``.
        """
        enabled = frozenset(event.enabled_plugin_names)
        spec = getattr(self.pm.hook, hook_name).spec
        if spec is not None and "event" in spec.argnames:
            kwargs["event"] = event
        self._check_arguments(hook_name, kwargs)
        return self._caller_for(hook_name, enabled)(**kwargs)

    def call_for_plugin(self, plugin_name: str, hook_name: str, **kwargs: Any) -> list[Any]:
        """Call a hook on one plugin only (lifecycle callbacks)."""
        if plugin_name not in self.infos:
            raise UnknownPluginError([plugin_name])
        self._check_arguments(hook_name, kwargs)
        return self._caller_for(hook_name, frozenset({plugin_name}))(**kwargs)

    def collect_for_event(self, event: Any, hook_name: str, **kwargs: Any) -> list[Any]:
        """Call a list-returning event hook and flatten the results, sorted by ``order``."""
        results = self.call_for_event(event, hook_name, **kwargs)
        items = [item for result in results for item in result or ()]
        return sorted(
            items, key=lambda item: (getattr(item, "order", 50), getattr(item, "plugin", ""))
        )

    def owned_blueprints(self) -> list[tuple[str, Any]]:
        """Call ``register_blueprints`` plugin by plugin, returning (plugin name, blueprint)."""
        pairs: list[tuple[str, Any]] = []
        for name in self.names:
            for result in self.call_for_plugin(name, "register_blueprints"):
                for blueprint in result or ():
                    pairs.append((name, blueprint))
        return pairs


def build_registry(extra_plugins: Iterable[tuple[str, Any]] = ()) -> PluginRegistry:
    """Create the registry: entry-point plugins plus any given (name, module) pairs."""
    registry = PluginRegistry()
    for name, module in extra_plugins:
        registry.register(module, name=name)
    registry.load_entry_points()
    return registry
