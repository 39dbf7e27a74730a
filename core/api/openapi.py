"""Build the OpenAPI 3.1 document from the app's routes and their :func:`endpoint` metadata.

Core and every plugin describe their endpoints where they define them; this module walks
the URL map, so a plugin's paths appear as soon as its blueprint is registered.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from pydantic import BaseModel

from core.api.schemas import ErrorOut

_CONVERTER = re.compile(r"<(?:(?P<conv>[a-z]+):)?(?P<name>\w+)>")
_REASONS = {
    400: "Malformed request",
    401: "Missing or invalid credentials",
    403: "Not allowed",
    404: "Unknown, or plugin disabled for the event",
    409: "Conflicts with the current state",
    413: "Request body too large",
    422: "Invalid values",
    429: "Rate limited",
}


def _schema_ref(model: type[BaseModel], components: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _schema(value: Any, components: dict[str, Any]) -> dict[str, Any]:
    if isinstance(value, type) and issubclass(value, BaseModel):
        return _schema_ref(value, components)
    return dict(value)


def build_openapi(app: Flask) -> dict[str, Any]:
    """Return the OpenAPI document for every ``/api/v1`` route that carries metadata."""
    components: dict[str, Any] = {}
    error_ref = _schema_ref(ErrorOut, components)
    paths: dict[str, Any] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith("/api/v1") and not rule.rule.endswith(".ics"):
            continue
        view = app.view_functions.get(rule.endpoint)
        meta = getattr(view, "_openapi", None)
        if meta is None:
            continue
        path = _CONVERTER.sub(lambda m: "{" + m.group("name") + "}", rule.rule)
        parameters = [
            {
                "name": m.group("name"),
                "in": "path",
                "required": True,
                "schema": {"type": "integer" if m.group("conv") == "int" else "string"},
            }
            for m in _CONVERTER.finditer(rule.rule)
        ]
        for name, schema in meta["query"].items():
            parameters.append({"name": name, "in": "query", "required": False, "schema": schema})
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            operation: dict[str, Any] = {
                "operationId": rule.endpoint.replace(".", "_") + "_" + method.lower(),
                "summary": meta["summary"],
                "tags": meta["tags"],
                "responses": {},
            }
            if meta["doc"]:
                operation["description"] = meta["doc"]
            if parameters:
                operation["parameters"] = parameters
            if meta["body"] is not None:
                operation["requestBody"] = {
                    "required": True,
                    "content": {"application/json": {"schema": _schema(meta["body"], components)}},
                }
            elif method in {"PUT", "PATCH", "POST"}:
                operation["requestBody"] = {
                    "required": False,
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            success: dict[str, Any] = {"description": "Success"}
            if meta["response"] is not None:
                media = "text/calendar" if rule.rule.endswith(".ics") else "application/json"
                success["content"] = {media: {"schema": _schema(meta["response"], components)}}
            operation["responses"][str(meta["status"])] = success
            for status in meta["errors"]:
                operation["responses"][str(status)] = {
                    "description": _REASONS.get(status, "Error"),
                    "content": {"application/json": {"schema": error_ref}},
                }
            if meta["auth"]:
                operation["security"] = [{"bearer": []}, {"session": []}]
            paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Gelar API",
            "version": "1",
            "description": "JSON API of Gelar. Errors use the shape of the ErrorOut schema.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }
