"""Build the OpenAPI 3.1 document from the app's routes and their :func:`endpoint` metadata.

Core and every plugin describe their endpoints where they define them; this module walks
the URL map, so a plugin's paths appear as soon as its blueprint is registered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from pydantic import BaseModel

_CONVERTER = re.compile(r"<(?:(?P<conv>[a-z]+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
_REASONS = {
    400: "Malformed request",
    401: "Missing or invalid credentials",
    403: "Not allowed",
    404: "Unknown, or plugin disabled for the event",
    405: "Method not allowed",
    409: "Conflicts with the current state",
    413: "Request body too large",
    422: "Invalid values",
    429: "Rate limited",
}
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# What the input gate (core.input_gate) lets through in any string of a request: no NUL,
# no C0 control except tab, line feed and carriage return.  Lone surrogates cannot occur
# in valid JSON text or UTF-8.
STORABLE_TEXT = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]*$"


@dataclass
class SchemaContext:
    """What schema callables get: the app and :meth:`ref` to register pydantic models."""

    app: Flask
    components: dict[str, Any] = field(default_factory=dict)

    def ref(self, model: type[BaseModel]) -> dict[str, Any]:
        """Register ``model`` (and the models it uses) as components; return its ``$ref``."""
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in schema.pop("$defs", {}).items():
            self.components[name] = definition
        self.components[model.__name__] = schema
        return {"$ref": f"#/components/schemas/{model.__name__}"}

    def schema(self, value: Any) -> dict[str, Any]:
        """A schema from a pydantic model, a callable taking this context, or a plain dict."""
        if isinstance(value, type) and issubclass(value, BaseModel):
            return self.ref(value)
        if callable(value):
            return dict(value(self))
        return dict(value)


def openapi_path(rule: str) -> str:
    """A Flask rule as an OpenAPI path: ``/events/<int:id>`` → ``/events/{id}``."""
    return _CONVERTER.sub(lambda m: "{" + m.group("name") + "}", rule)


def _parameters(rule: str, query: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = [
        {
            "name": m.group("name"),
            "in": "path",
            "required": True,
            "schema": {"type": "integer"} if m.group("conv") == "int" else {"type": "string"},
        }
        for m in _CONVERTER.finditer(rule)
    ]
    for name, schema in query.items():
        schema = dict(schema)
        description = schema.pop("description", None)
        parameter: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": False,
            "schema": schema,
        }
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return parameters


def _operation(
    context: SchemaContext, rule: Any, method: str, meta: dict[str, Any], error_ref: dict[str, Any]
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": rule.endpoint.replace(".", "_") + "_" + method.lower(),
        "summary": meta["summary"],
        "tags": meta["tags"],
        "responses": {},
    }
    if meta["doc"]:
        operation["description"] = meta["doc"]
    parameters = _parameters(rule.rule, meta["query"])
    if parameters:
        operation["parameters"] = parameters
    # Every operation may answer 400 (a malformed address: unstorable characters, bytes
    # that are not UTF-8) and, under /api/v1, 401 (a bearer token that is bad or expired).
    errors = set(meta["errors"]) | {400}
    if rule.rule.startswith("/api/v1"):
        errors.add(401)
    if method in _WRITE_METHODS and meta["body"] is not None:
        # The body is required: an absent body answers 400 (PATCH {} is the empty update).
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": context.schema(meta["body"])}},
        }
        errors |= {413, 422}
    if meta["auth"]:
        operation["security"] = [{"bearer": []}, {"session": []}]
    success: dict[str, Any] = {"description": "Success"}
    if meta["response"] is not None:
        media = "text/calendar" if rule.rule.endswith(".ics") else "application/json"
        success["content"] = {media: {"schema": context.schema(meta["response"])}}
    operation["responses"][str(meta["status"])] = success
    for status in sorted(errors):
        operation["responses"][str(status)] = {
            "description": _REASONS.get(status, "Error"),
            "content": {"application/json": {"schema": error_ref}},
        }
    return operation


def build_openapi(app: Flask) -> dict[str, Any]:
    """Return the OpenAPI document for every ``/api/v1`` route that carries metadata."""
    from core.api.schemas import ErrorOut

    context = SchemaContext(app)
    error_ref = context.ref(ErrorOut)
    paths: dict[str, Any] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith("/api/v1") and not rule.rule.endswith(".ics"):
            continue
        meta = getattr(app.view_functions.get(rule.endpoint), "_openapi", None)
        if meta is None:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            operation = _operation(context, rule, method, meta, error_ref)
            paths.setdefault(openapi_path(rule.rule), {})[method.lower()] = operation
    _restrict_input_strings(paths, context.components)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Gelar API",
            "version": "1",
            "description": (
                "JSON API of Gelar. Every error answers with the ErrorOut schema: "
                '{"error": {"code", "message", "fields"}}. Lists are {"items", "total"} '
                "with ?limit= (default 50, max 500) and ?offset=."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": context.components,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }


def _restrict_input_strings(paths: dict[str, Any], components: dict[str, Any]) -> None:
    """Give every free-form string of a request (parameter or body) the storable pattern.

    Strings that already carry a ``pattern``, ``format``, ``enum`` or ``const`` are left as
    they are; components reached from a request body are changed in place.
    """
    seen: set[str] = set()

    def visit(schema: Any) -> None:
        if isinstance(schema, list):
            for item in schema:
                visit(item)
            return
        if not isinstance(schema, dict):
            return
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[-1]
            if name not in seen and name in components:
                seen.add(name)
                visit(components[name])
            return
        if schema.get("type") == "string" and not {"pattern", "format", "enum", "const"} & set(
            schema
        ):
            schema["pattern"] = STORABLE_TEXT
        if schema.get("type") == "object" and schema.get("additionalProperties", True):
            schema.setdefault("propertyNames", {"pattern": STORABLE_TEXT})
        for key, value in schema.items():
            if key in ("properties", "patternProperties", "$defs"):
                for item in value.values():
                    visit(item)
            elif key in ("items", "anyOf", "oneOf", "allOf", "additionalProperties", "not"):
                visit(value)

    for operations in paths.values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                visit(parameter["schema"])
            body = operation.get("requestBody")
            if body:
                for media in body["content"].values():
                    visit(media["schema"])
