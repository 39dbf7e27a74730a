"""Languages and time zones: Bahasa Indonesia by default, English one tap away.

The locale comes from the signed-in user's choice, else the ``lang`` value in the session
(set by the switcher), else the default (``id``).  Dates and times are shown in the event's
time zone, the way UX.md asks: "Rabu, 24 April 2019, 09.00 WIB" in Indonesian and
"Wed 24 April 2019, 09:00 (UTC+7)" in English.

Core's catalogue (``core/translations``) and each plugin package's ``translations/`` folder
are merged by Flask-Babel; ``python -m core.i18n_tools`` extracts, updates and compiles them.
"""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from flask import Flask, current_app, g, has_request_context, session
from flask_babel import get_locale

from core import cettar, wtforms_i18n
from core.extensions import babel
from core.plugins import PluginRegistry

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
# Short zone names Indonesians use; every other zone shows its UTC offset.
ID_ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
EN_DASH = "\u2013"
_DATE_TIME_PATTERNS = {
    # language: (date and time, time only, long date, short date, day and month, day)
    "id": ("EEEE, d MMMM y, HH.mm", "HH.mm", "EEEE, d MMMM y", "d MMM y", "d MMMM", "d"),
    "en": ("EEE d MMMM y, HH:mm", "HH:mm", "EEE d MMMM y", "d MMM y", "d MMMM", "d"),
}


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it (translate later with ``_()``)."""
    return message


class Msg(str):
    """A service message with placeholders, translated later (:func:`translate`).

    Reads as the English text with its values filled in (so logs, tests and old callers see
    a plain string) and keeps the msgid and values, so a view or the API shows it in the
    reader's language: ``Msg("Give a score for %(criterion)s.", criterion="Cepat")``.
    """

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, **params: Any) -> Msg:
        """Build the message; ``params`` fill the ``%(name)s`` placeholders."""
        obj = super().__new__(cls, msgid % params if params else msgid)
        obj.msgid = msgid
        obj.params = params
        return obj


class Bilingual(str):
    """A value with an Indonesian and an English form (a criterion's labels) for a Msg."""

    id_text: str
    en_text: str

    def __new__(cls, id_text: str, en_text: str) -> Bilingual:
        """Reads as the English form; :func:`translate` picks the reader's."""
        obj = super().__new__(cls, en_text or id_text)
        obj.id_text = id_text
        obj.en_text = en_text or id_text
        return obj


def translate(message: str) -> str:
    """``message`` in the request's locale: a :class:`Msg` with its values, or a plain msgid."""
    from flask_babel import gettext

    if isinstance(message, Msg):
        params = {k: _param(v) for k, v in message.params.items()}
        return gettext(message.msgid, **params) if params else gettext(message.msgid)
    return gettext(message) if message else message


def _param(value: Any) -> Any:
    if isinstance(value, Msg):
        return translate(value)
    if isinstance(value, Bilingual):
        return value.id_text if current_locale() == "id" else value.en_text
    return value


def translate_fields(fields: dict[str, list[str]]) -> dict[str, list[str]]:
    """Every message of an error's ``fields`` mapping translated (:func:`translate`)."""
    return {key: [translate(m) for m in messages] for key, messages in fields.items()}


# Words stored in the database and translated at display time with ``_(value)``; listed here
# so that extraction puts them in the catalogue.
STORED_WORDS = (
    N_("draft"),
    N_("published"),
    N_("archived"),
    N_("organizer"),
    N_("judge"),
)

# Outgoing mail states, shown in the console's outbox with ``_(status)``.
MAIL_STATES = (N_("queued"), N_("sent"), N_("logged"), N_("failed"))

# Field messages the services raise in English and views translate with ``_(message)``.
SERVICE_MESSAGES = (
    N_("Enter a valid e-mail address."),
    N_("A name is required."),
    N_("An account with this e-mail exists."),
    N_("Use 1\u201364 lowercase letters, digits and dashes."),
    N_("This address is reserved."),
    N_("Unknown time zone."),
    N_("The event cannot end before it starts."),
    N_("Unknown status."),
    N_("Another event uses this address."),
    N_("Not an editable field."),
)


def select_locale() -> str:
    """The locale for this request (user setting → session → default).

    Outside a request (CLI commands, worker threads) it is the default locale.
    """
    from core.web import signed_in_user

    if not has_request_context():
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    supported = current_app.config["LANGUAGES"]
    user = signed_in_user()
    if user is not None and user.locale in supported:
        return str(user.locale)
    chosen = session.get("lang")
    if chosen in supported:
        return str(chosen)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def select_timezone() -> str:
    """The event's time zone when a page belongs to an event (``g.event``), else the default."""
    event = g.get("event")
    if event is not None and event.timezone:
        return str(event.timezone)
    return str(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def current_locale() -> str:
    """The active locale's language code (``id`` or ``en``)."""
    locale = get_locale()
    language = locale.language if locale is not None else "id"
    return language if language in _DATE_TIME_PATTERNS else "en"


def format_duration(minutes: int | float | None) -> str:
    """A length of time in the locale: "1 jam 30 menit", "45 menit" / "1 h 30 min", "45 min"."""
    total = max(int(minutes or 0), 0)
    hours, rest = divmod(total, 60)
    if current_locale() == "id":
        hour_unit, minute_unit = "jam", "menit"
    else:
        hour_unit, minute_unit = "h", "min"
    if not hours:
        return f"{rest} {minute_unit}"
    if not rest:
        return f"{hours} {hour_unit}"
    return f"{hours} {hour_unit} {rest} {minute_unit}"


def utc_offset_label(offset: timedelta | None) -> str:
    """The offset as "UTC+7", "UTC+5:30", "UTC-4", or plain "UTC" when it is zero."""
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{mins:02d}" if mins else "")


def zone_label(tz: str | None = None, at: datetime | None = None) -> str:
    """The zone as people read it: "WIB"/"WITA"/"WIT" in Indonesian, else "UTC+7"."""
    zone_name = tz or select_timezone()
    moment = (at or datetime.now(UTC)).astimezone(ZoneInfo(zone_name))
    if current_locale() == "id" and zone_name in ID_ZONE_NAMES:
        return ID_ZONE_NAMES[zone_name]
    return utc_offset_label(moment.utcoffset())


def format_event_datetime(
    value: datetime | None, tz: str | None = None, *, with_date: bool = True
) -> str:
    """Format a datetime in the event's zone: "Rabu, 24 April 2019, 09.00 WIB".

    ``tz`` defaults to the request's zone (the event's on event pages).  Naive values are
    taken to be UTC, which is how the database stores every timestamp.
    """
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    zone_name = tz or select_timezone()
    local = value.astimezone(ZoneInfo(zone_name))
    lang = current_locale()
    patterns = _DATE_TIME_PATTERNS[lang]
    text = babel_format_datetime(local, patterns[0] if with_date else patterns[1], locale=lang)
    label = zone_label(zone_name, local)
    return f"{text} {label}" if lang == "id" else f"{text} ({label})"


def format_event_time(value: datetime | None, tz: str | None = None) -> str:
    """Only the time of day in the event's zone: "09.00 WIB" / "09:00 (UTC+7)"."""
    return format_event_datetime(value, tz, with_date=False)


def format_event_date(value: date | None, *, long: bool = True) -> str:
    """Format a date: "Rabu, 24 April 2019" / "Wed 24 April 2019" (short: "24 Apr 2019")."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(ZoneInfo(select_timezone())).date()
    lang = current_locale()
    patterns = _DATE_TIME_PATTERNS[lang]
    return babel_format_date(value, patterns[2] if long else patterns[3], locale=lang)


def format_date_range(start: date, end: date | None) -> str:
    """One day in full, or a compact range: "24-26 April 2019", "30 April - 2 Mei 2019".

    (The dashes shown are en dashes.)
    """
    if end is None or start == end:
        return format_event_date(start)
    lang = current_locale()
    day, day_month = _DATE_TIME_PATTERNS[lang][5], _DATE_TIME_PATTERNS[lang][4]
    last = babel_format_date(end, "d MMMM y", locale=lang)
    if (start.year, start.month) == (end.year, end.month):
        return f"{babel_format_date(start, day, locale=lang)}{EN_DASH}{last}"
    if start.year == end.year:
        return f"{babel_format_date(start, day_month, locale=lang)} {EN_DASH} {last}"
    return f"{babel_format_date(start, 'd MMMM y', locale=lang)} {EN_DASH} {last}"


def translation_directories(registry: PluginRegistry) -> list[str]:
    """Each plugin package's ``translations/`` folder, then core's.

    Flask-Babel merges the catalogues into one, later folders winning, so core comes last: a
    plugin cannot change how core's own strings read.
    """
    folders: list[str] = []
    for name in registry.names:
        module = registry.pm.get_plugin(name)
        if module is None:
            continue
        package_name = getattr(module, "__package__", None) or module.__name__
        package = importlib.import_module(package_name)
        folder = Path(package.__file__ or "").parent / "translations"
        if folder.is_dir() and str(folder) not in folders:
            folders.append(str(folder))
    return [*folders, str(Path(__file__).parent / "translations")]


def init_app(app: Flask, registry: PluginRegistry) -> None:
    """Set up Flask-Babel with core's and the plugins' catalogues and the Jinja helpers."""
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_directories(registry))
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    wtforms_i18n.install()

    def _globals() -> dict[str, Any]:
        return {"current_locale": current_locale, "language_names": LANGUAGE_NAMES}

    app.context_processor(_globals)
    app.jinja_env.filters["event_datetime"] = format_event_datetime
    app.jinja_env.filters["event_time"] = format_event_time
    app.jinja_env.filters["event_date"] = format_event_date
    app.jinja_env.globals["date_range"] = format_date_range
    app.jinja_env.globals["zone_label"] = zone_label
    app.jinja_env.filters["cettar_label"] = lambda key: cettar.label(key, current_locale())
    app.jinja_env.filters["duration"] = format_duration
    app.jinja_env.filters["translate"] = translate
    app.jinja_env.filters["criterion_description"] = lambda text: cettar.localized_description(
        text or "", current_locale()
    )
