"""Indonesian phone numbers: validate what people type and store it as E.164 (+62…).

The rules are written out here, from Indonesia's numbering plan:

* A number is typed nationally with a trunk ``0`` (``0812-3456-7890``, ``(031) 123 4567``)
  or internationally with ``+62``/``62`` (``+62 812 3456 7890``); spaces, dots, dashes
  and brackets are separators only.
* Mobile numbers start with ``8`` after the trunk prefix and have 9 to 12 digits
  (``812 3456 7890`` has 11).  Fixed lines start with an area code ``2`` to ``7`` (``21``
  Jakarta, ``31`` Surabaya, ``333`` Banyuwangi) and have 8 to 11 digits.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-()/]")
_MOBILE = re.compile(r"8\d{8,11}")
_FIXED = re.compile(r"[2-7]\d{7,10}")


class InvalidPhone(ValueError):
    """The text is not an Indonesian phone number."""


def normalize_phone(raw: str) -> str:
    """``raw`` as ``+62…`` (E.164) or :class:`InvalidPhone`.

    >>> normalize_phone("0812-3456-7890")
    '+6281234567890'
    >>> normalize_phone("+62 812 3456 7890")
    '+6281234567890'
    """
    text = _SEPARATORS.sub("", (raw or "").strip())
    if text.startswith("+62"):
        national = text[3:]
    elif text.startswith("62"):
        national = text[2:]
    elif text.startswith("0"):
        national = text[1:]
    else:
        raise InvalidPhone(raw)
    if national.startswith("0"):  # "+62 0812…" is a common slip: drop the trunk zero
        national = national[1:]
    if not national.isascii() or not national.isdigit():
        raise InvalidPhone(raw)
    if not (_MOBILE.fullmatch(national) or _FIXED.fullmatch(national)):
        raise InvalidPhone(raw)
    return "+62" + national
