"""Pydantic's validation errors as translated, human messages for the API's ``fields``.

Pydantic writes English ("String should have at most 80 characters"); each error type is
mapped here to a message in the catalogue, filled with the error's context (limits,
allowed values).  Unknown types fall back to a generic "Invalid value.".
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from core.i18n import N_

#: pydantic error type → message (``%(name)s`` placeholders come from the error's ctx).
MESSAGES: dict[str, str] = {
    "missing": N_("This field is required."),
    "extra_forbidden": N_("This field is not allowed."),
    "string_type": N_("Give a text value."),
    "string_too_short": N_("Use at least %(min_length)s characters."),
    "string_too_long": N_("Use at most %(max_length)s characters."),
    "string_pattern_mismatch": N_("The value has the wrong format."),
    "int_type": N_("Give a whole number."),
    "int_parsing": N_("Give a whole number."),
    "int_from_float": N_("Give a whole number."),
    "float_type": N_("Give a number."),
    "float_parsing": N_("Give a number."),
    "decimal_type": N_("Give a number."),
    "decimal_parsing": N_("Give a number."),
    "bool_type": N_("Give true or false."),
    "bool_parsing": N_("Give true or false."),
    "greater_than": N_("Must be greater than %(gt)s."),
    "greater_than_equal": N_("Must be at least %(ge)s."),
    "less_than": N_("Must be less than %(lt)s."),
    "less_than_equal": N_("Must be at most %(le)s."),
    "literal_error": N_("Choose one of: %(expected)s."),
    "enum": N_("Choose one of: %(expected)s."),
    "list_type": N_("Give a list."),
    "too_short": N_("Give at least %(min_length)s items."),
    "too_long": N_("Give at most %(max_length)s items."),
    "dict_type": N_("Give an object."),
    "model_type": N_("Give an object."),
    "model_attributes_type": N_("Give an object."),
    "date_type": N_("Give a date (YYYY-MM-DD)."),
    "date_parsing": N_("Give a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": N_("Give a date (YYYY-MM-DD)."),
    "date_from_datetime_inexact": N_("Give a date (YYYY-MM-DD)."),
    "datetime_type": N_("Give a date and time (ISO 8601)."),
    "datetime_parsing": N_("Give a date and time (ISO 8601)."),
    "datetime_from_date_parsing": N_("Give a date and time (ISO 8601)."),
    "timezone_aware": N_("Give a date and time with a time zone."),
    "time_type": N_("Give a time (HH:MM)."),
    "time_parsing": N_("Give a time (HH:MM)."),
    "url_parsing": N_("Give a web address starting with http:// or https://."),
    "url_scheme": N_("Give a web address starting with http:// or https://."),
    "url_type": N_("Give a web address starting with http:// or https://."),
    "json_invalid": N_("The value is not valid JSON."),
    "uuid_parsing": N_("Give a valid identifier."),
    "none_required": N_("Leave this field empty."),
}
GENERIC = N_("Invalid value.")


def message(error: dict[str, Any]) -> str:
    """The translated message for one pydantic error (``ValidationError.errors()`` item).

    ``value_error``/``assertion_error`` raised by our own validators carry a message that
    is itself a catalogue msgid; it is translated as is.
    """
    kind = str(error.get("type", ""))
    ctx = {key: _context_value(value) for key, value in (error.get("ctx") or {}).items()}
    if kind in ("value_error", "assertion_error"):
        raw = str(error.get("msg", ""))
        for prefix in ("Value error, ", "Assertion failed, "):
            raw = raw.removeprefix(prefix)
        return _(raw) if raw else _(GENERIC)
    template = MESSAGES.get(kind)
    if template is None:
        return _(GENERIC)
    try:
        return _(template, **ctx)
    except (KeyError, ValueError, TypeError):
        return _(GENERIC)


def _context_value(value: Any) -> Any:
    """Context values as shown to people: a literal's "'a' or 'b'" becomes "a, b"."""
    if isinstance(value, str):
        return value.replace("' or '", ", ").replace("', '", ", ").strip("'")
    return value
