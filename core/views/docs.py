"""The OpenAPI document of the JSON API."""

from __future__ import annotations

from flask import current_app, jsonify
from flask.typing import ResponseReturnValue

from core.api import ApiBlueprint, endpoint
from core.api.openapi import build_openapi

bp = ApiBlueprint("api_docs", __name__, url_prefix="/api/v1")


@bp.get("/openapi.json")
@endpoint(
    summary="This OpenAPI document",
    tags=["Core"],
    response={"type": "object", "description": "An OpenAPI 3.1 document"},
)
def openapi() -> ResponseReturnValue:
    """OpenAPI 3.1 description of every endpoint (core and plugins)."""
    document = current_app.extensions.get("gelar_openapi")
    if document is None:
        document = build_openapi(current_app)
        current_app.extensions["gelar_openapi"] = document
    return jsonify(document)
