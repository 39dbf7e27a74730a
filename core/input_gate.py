"""The input gate: text the databases cannot store is refused in one place, before any view.

One predicate, :func:`unstorable`, decides what text is refused: NUL and the other C0
control characters (tab, line feed and carriage return are allowed) and lone surrogates —
PostgreSQL refuses them (``psycopg.DataError``), SQLite would store them, and a lone
surrogate cannot even be encoded (a Redis rate-limit key, a log line).  Bytes that are not
valid UTF-8 in the query string or a form body (url-encoded or multipart) are decoded with
``surrogateescape`` so they become lone surrogates and fall under the same predicate.

:func:`check_request` runs first of all ``before_request`` hooks (before Flask-Limiter,
whose keys are built from the input, and before any view) and checks the path, every
query parameter (name and value), the headers used as keys, every form field (name and
value) and every uploaded file's name — never a file's contents — and, for the JSON API,
every key and string of a JSON body.  An HTML request answers 400 with the styled error
page naming the field; an API request answers the API's error document: 400
``malformed_request`` for the address and headers, 422 ``validation_failed`` with
``fields`` for a body.
"""

from __future__ import annotations

import codecs
import re
from typing import IO, Any
from urllib.parse import parse_qsl

from flask import Flask, Request, request
from flask_babel import gettext as _
from werkzeug.datastructures import Headers
from werkzeug.exceptions import BadRequest
from werkzeug.formparser import FormDataParser, MultiPartParser

# NUL and the C0 controls except tab (09), line feed (0a) and carriage return (0d); lone
# surrogates (which is also how invalid UTF-8 arrives, decoded with surrogateescape).
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
# Request headers whose values become keys (rate limits, sign-in, client addresses).
KEY_HEADERS = ("Authorization", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def unstorable(text: str) -> bool:
    """Whether ``text`` holds a character neither database can store safely.

    NUL, the other C0 controls except tab/CR/LF, and lone surrogates are unstorable.
    """
    return _UNSTORABLE.search(text) is not None


def unstorable_fields(payload: Any) -> dict[str, list[str]]:
    """Fields (dotted paths) of a decoded JSON value whose keys or strings are unstorable.

    A bad key is reported under ``__root__`` (its name cannot be shown safely).
    """
    problems: dict[str, list[str]] = {}
    stack: list[tuple[str, Any]] = [("", payload)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if unstorable(str(key)):
                    problems["__root__"] = [_("A key contains characters that are not allowed.")]
                    continue
                stack.append((f"{path}.{key}" if path else str(key), item))
        elif isinstance(value, list):
            stack.extend((f"{path}.{i}" if path else str(i), item) for i, item in enumerate(value))
        elif isinstance(value, str) and unstorable(value):
            problems[path or "__root__"] = [_("Contains characters that are not allowed.")]
    return problems


def decode_pairs(raw: bytes) -> list[tuple[str, str]]:
    """``name=value`` pairs of a query string or url-encoded body, invalid UTF-8 kept visible.

    Bytes that are not UTF-8 (raw or percent-encoded) become lone surrogates, which
    :func:`unstorable` refuses; werkzeug would keep them percent-encoded instead.
    """
    text = raw.decode("utf-8", "surrogateescape")
    return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="surrogateescape")


def first_bad_field(pairs: list[tuple[str, str]]) -> str | None:
    """The name of the first pair whose name or value is unstorable (``None`` when all pass).

    A name that is itself unstorable is shown with its bad characters replaced.
    """
    for name, value in pairs:
        if unstorable(name) or unstorable(value):
            return printable(name)
    return None


def printable(name: str, limit: int = 60) -> str:
    """``name`` with unstorable characters replaced by U+FFFD, at most ``limit`` characters.

    Safe to show in a message and to encode.
    """
    shown = _UNSTORABLE.sub("\ufffd", name)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


_ESCAPING_UTF8 = "gelar_utf8_surrogateescape"


def _escaping_utf8(name: str) -> codecs.CodecInfo | None:
    """A UTF-8 codec that decodes invalid bytes with ``surrogateescape`` whatever it is asked.

    Werkzeug decodes multipart field values with ``errors="replace"`` (U+FFFD, silently);
    with this codec they become lone surrogates, which the gate refuses.
    """
    if name != _ESCAPING_UTF8:
        return None
    utf8 = codecs.lookup("utf-8")

    def decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
        return codecs.utf_8_decode(data, "surrogateescape", True)

    return codecs.CodecInfo(utf8.encode, decode, name=_ESCAPING_UTF8)


codecs.register(_escaping_utf8)


class _GateMultiPartParser(MultiPartParser):
    def get_part_charset(self, headers: Headers) -> str:
        """UTF-8 parts are decoded keeping invalid bytes visible to the gate."""
        charset = super().get_part_charset(headers)
        return _ESCAPING_UTF8 if charset == "utf-8" else charset


class _GateFormDataParser(FormDataParser):
    def _parse_multipart(
        self,
        stream: IO[bytes],
        mimetype: str,
        content_length: int | None,
        options: dict[str, str],
    ) -> Any:
        """Werkzeug's multipart parsing with :class:`_GateMultiPartParser`."""
        parser = _GateMultiPartParser(
            stream_factory=self.stream_factory,
            max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts,
            cls=self.cls,
        )
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("Missing boundary")
        try:
            form, files = parser.parse(stream, boundary, content_length)
        except UnicodeDecodeError:  # a part's name or file name is not UTF-8
            raise BadRequest(
                description=_("A field name or file name in the form is not valid text.")
            ) from None
        return stream, form, files


class GateRequest(Request):
    """Flask's request, parsing multipart bodies so that invalid UTF-8 reaches the gate."""

    form_data_parser_class = _GateFormDataParser


def init_app(app: Flask) -> None:
    """Run :func:`check_request` before every other ``before_request`` hook of ``app``."""
    app.request_class = GateRequest
    hooks = app.before_request_funcs.setdefault(None, [])
    hooks.insert(0, check_request)


def check_request() -> None:
    """Refuse the request when any text in it is unstorable (see the module docstring)."""
    is_api = request.path.startswith("/api/")
    if unstorable(request.path):
        _refuse_address(is_api, None)
    if request.query_string:
        name = first_bad_field(decode_pairs(request.query_string))
        if name is not None:
            _refuse_address(is_api, name)
    for header in KEY_HEADERS:
        value = request.headers.get(header)
        if value is not None and unstorable(value):
            _refuse_address(is_api, header, header=True)
    if request.method in ("GET", "HEAD", "OPTIONS") or request.routing_exception is not None:
        return  # no body to read, or no route: 404/405 whatever the body holds
    if request.mimetype in _FORM_TYPES:
        name = _bad_form_field()
        if name is not None:
            _refuse_body(is_api, name)
    elif request.is_json:
        _check_json_body(is_api)


def _bad_form_field() -> str | None:
    """The first form field (or file name) that is unstorable, if any."""
    if request.mimetype == "application/x-www-form-urlencoded":
        return first_bad_field(decode_pairs(request.get_data(cache=True)))
    pairs = list(request.form.items(multi=True))
    pairs += [(name, upload.filename or "") for name, upload in request.files.items(multi=True)]
    return first_bad_field(pairs)


def _check_json_body(is_api: bool) -> None:
    """422 (API) or 400 (page) for unstorable JSON keys or strings.

    Malformed JSON is left to the view (the API answers 400 ``malformed_json``).
    """
    from core.api import ApiError, decoded_json_or_none, limit_body_size

    if is_api:
        limit_body_size()  # the API's body limit (413) holds before anything is read
    payload = decoded_json_or_none()
    if payload is None:
        return
    problems = unstorable_fields(payload)
    if not problems:
        return
    if is_api:
        raise ApiError(422, "validation_failed", _("Some fields are invalid."), problems)
    _refuse_body(False, next(iter(problems)))


def _refuse_address(is_api: bool, name: str | None, *, header: bool = False) -> None:
    """400 for an unstorable path, query parameter or header."""
    if name is None:
        message = _("The address contains characters that are not allowed.")
    elif header:
        message = _("The %(name)s header contains characters that are not allowed.", name=name)
    else:
        message = _(
            "“%(name)s” in the address contains characters that are not allowed.", name=name
        )
    if is_api:
        from core.api import ApiError

        fields = {name: [_("Contains characters that are not allowed.")]} if name else {}
        raise ApiError(400, "malformed_request", message, fields)
    raise BadRequest(description=message)


def _refuse_body(is_api: bool, name: str) -> None:
    """400 (page) or 422 (API) for an unstorable form field."""
    message = _(
        "The field “%(name)s” contains characters that cannot be stored (such as control"
        " characters). Remove them and try again.",
        name=name,
    )
    if is_api:
        from core.api import ApiError

        fields = {name: [_("Contains characters that are not allowed.")]}
        raise ApiError(422, "validation_failed", message, fields)
    raise BadRequest(description=message)
