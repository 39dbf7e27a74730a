"""Languages and time zones: Bahasa Indonesia by default, English one tap away.

The locale comes from the signed-in user's choice, else the ``lang`` cookie session
value, else the default (``id``).  Dates and times are shown in the event's time zone.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from flask import Flask, current_app, g, session
from flask_babel import get_locale

from core.extensions import babel
from core.plugins import PluginRegistry

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
# Short zone names Indonesians use; other zones show their UTC offset.
_ID_ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def select_locale() -> str:
    """The locale for this request (user setting → session → default)."""
    from core.web import signed_in_user

    supported = current_app.config["LANGUAGES"]
    user = signed_in_user()
    if user is not None and user.locale in supported:
        return str(user.locale)
    chosen = session.get("lang")
    if chosen in supported:
        return str(chosen)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def select_timezone() -> str:
    """The event's time zone when a page belongs to an event, else the default."""
    event = g.get("event")
    if event is not None:
        return str(event.timezone)
    return str(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def current_locale() -> str:
    """The active locale's language code (``id`` or ``en``)."""
    locale = get_locale()
    return locale.language if locale is not None else "id"


def format_event_datetime(value: datetime | None, tz: str | None = None, *, with_date: bool = True) -> str:
    """Format an aware datetime in the event's zone: "Rabu, 24 April 2019, 09.00 WIB"."""
    if value is None:
        return ""
    zone_name = tz or select_timezone()
    local = value.astimezone(ZoneInfo(zone_name))
    lang = current_locale()
    if lang == "id":
        pattern = "EEEE, d MMMM y, HH.mm" if with_date else "HH.mm"
        zone = _ID_ZONE_NAMES.get(zone_name) or _offset(local)
        return f"{babel_format_datetime(local, pattern, locale='id')} {zone}"
    pattern = "EEE d MMMM y, HH:mm" if with_date else "HH:mm"
    return f"{babel_format_datetime(local, pattern, locale='en')} ({_offset(local)})"


def _offset(local: datetime) -> str:
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{mins:02d}" if mins else "")


def format_event_date(value: date | None, *, long: bool = True) -> str:
    """Format a date: "Rabu, 24 April 2019" / "Wed 24 April 2019"."""
    if value is None:
        return ""
    lang = current_locale()
    if lang == "id":
        return babel_format_date(value, "EEEE, d MMMM y" if long else "d MMM y", locale="id")
    return babel_format_date(value, "EEE d MMMM y" if long else "d MMM y", locale="en")


def format_date_range(start: date, end: date) -> str:
    """One date, or "24–26 April 2019" style ranges in the active language."""
    if start == end:
        return format_event_date(start)
    lang = current_locale()
    return f"{babel_format_date(start, 'd MMMM y', locale=lang)} – {babel_format_date(end, 'd MMMM y', locale=lang)}"


def translation_directories(registry: PluginRegistry) -> list[str]:
    """Core's catalogue folder plus each plugin package's ``translations/`` folder."""
    import importlib

    folders = [str(Path(__file__).parent / "translations")]
    for name in registry.names:
        module = registry.pm.get_plugin(name)
        package = importlib.import_module(module.__name__.rpartition(".")[0] or module.__name__)
        folder = Path(package.__file__ or "").parent / "translations"
        if folder.is_dir():
            folders.append(str(folder))
    return folders


def init_app(app: Flask, registry: PluginRegistry) -> None:
    """Set up Flask-Babel with core's and the plugins' catalogues and the Jinja helpers."""
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_directories(registry))
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)

    def _globals() -> dict[str, Any]:
        return {
            "current_locale": current_locale,
            "language_names": LANGUAGE_NAMES,
        }

    app.context_processor(_globals)
    app.jinja_env.filters["event_datetime"] = format_event_datetime
    app.jinja_env.filters["event_date"] = format_event_date
    app.jinja_env.globals["date_range"] = format_date_range
