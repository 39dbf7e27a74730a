"""WTForms' built-in messages ("This field is required.") in Bahasa Indonesia.

WTForms ships no Indonesian catalogue, so its messages are listed here for extraction into
core's catalogue and every form reads them through Flask-Babel (:class:`BabelTranslations`,
installed on Flask-WTF's ``FlaskForm.Meta`` by :func:`install`).
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context
from flask_babel import gettext, ngettext
from flask_wtf import FlaskForm


def _messages() -> None:  # pragma: no cover - never called: read by the extractor only
    """WTForms' messages, for ``python -m core.i18n_tools`` to extract."""
    ngettext(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        1,
    )
    ngettext(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        1,
    )
    ngettext(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
        1,
    )
    ngettext(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        1,
    )
    gettext("Field must be between %(min)d and %(max)d characters long.")
    gettext("Number must be at least %(min)s.")
    gettext("Number must be at most %(max)s.")
    gettext("Number must be between %(min)s and %(max)s.")
    gettext("Date must be at least %(min)s.")
    gettext("Date must be at most %(max)s.")
    gettext("Date must be between %(min)s and %(max)s.")
    gettext("This field is required.")
    gettext("Invalid input.")
    gettext("Invalid email address.")
    gettext("Invalid URL.")
    gettext("Invalid value, must be one of: %(values)s.")
    gettext("Invalid value, can't be any of: %(values)s.")
    gettext("This field cannot be edited.")
    gettext("This field is disabled and cannot have a value.")
    gettext("Invalid CSRF Token.")
    gettext("CSRF token missing.")
    gettext("CSRF failed.")
    gettext("CSRF token expired.")
    gettext("Invalid Choice: could not coerce.")
    gettext("Not a valid choice.")
    gettext("Invalid choice(s): one or more data inputs could not be coerced.")
    gettext("Not a valid datetime value.")
    gettext("Not a valid date value.")
    gettext("Not a valid time value.")
    gettext("Not a valid integer value.")
    gettext("Not a valid decimal value.")
    gettext("Not a valid float value.")
    gettext("The CSRF token is missing.")
    gettext("The CSRF token has expired.")
    gettext("The CSRF token is invalid.")
    gettext("The CSRF tokens do not match.")


class BabelTranslations:
    """WTForms' translations object backed by the app's Flask-Babel catalogues."""

    def gettext(self, string: str) -> str:
        """Translate ``string`` in the request's locale (unchanged outside a request)."""
        if not has_request_context():
            return string
        return _raw_gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate the singular or plural form for ``n`` (placeholders left for WTForms)."""
        if not has_request_context():
            return singular if n == 1 else plural
        return _raw_ngettext(singular, plural, n)


def _raw_gettext(string: str) -> str:
    """The translation without interpolating placeholders (WTForms fills them itself)."""
    from flask_babel import get_translations

    return get_translations().ugettext(string)


def _raw_ngettext(singular: str, plural: str, n: int) -> str:
    from flask_babel import get_translations

    return get_translations().ungettext(singular, plural, n)


TRANSLATIONS = BabelTranslations()


def _get_translations(self: Any, form: Any) -> BabelTranslations:
    return TRANSLATIONS


def install() -> None:
    """Make every Flask-WTF form translate WTForms' messages through Flask-Babel."""
    FlaskForm.Meta.get_translations = _get_translations  # type: ignore[method-assign]
