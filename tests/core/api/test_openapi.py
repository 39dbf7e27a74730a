"""GET /api/v1/openapi.json: valid OpenAPI 3.x describing every Core endpoint of API.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from core.api.openapi import build_openapi, openapi_path
from tests.core.api.helpers import API

# The "Core" table of API.md (design/API.md), method and path per row.
CORE_ENDPOINTS = [
    ("POST", "/api/v1/auth/token"),
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/events"),
    ("POST", "/api/v1/events"),
    ("GET", "/api/v1/events/{event}"),
    ("PATCH", "/api/v1/events/{event}"),
    ("PUT", "/api/v1/events/{event}/plugins"),
    ("GET", "/api/v1/events/{event}/plugins/{name}/settings"),
    ("PUT", "/api/v1/events/{event}/plugins/{name}/settings"),
    ("POST", "/api/v1/events/{event}/clone"),
    ("POST", "/api/v1/events/{event}/roles"),
    ("GET", "/api/v1/events/{event}/organizations"),
    ("POST", "/api/v1/events/{event}/passes"),
    ("GET", "/api/v1/events/{event}/innovations"),
    ("GET", "/api/v1/events/{event}/innovations/{id}"),
]
DESIGN_API_MD = Path(__file__).resolve().parents[4] / "shared" / "design" / "API.md"


def core_table(markdown: str) -> list[tuple[str, str]]:
    """(method, path) pairs of the Core table of API.md."""
    section = markdown.split("## Core", 1)[1].split("\n## ", 1)[0]
    pairs = []
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cell = line.split("|")[1]
        path = re.search(r"(/api/v1\S*?)`", cell).group(1)
        for method in re.findall(r"\b(GET|POST|PUT|PATCH|DELETE)\b", cell):
            pairs.append((method, path))
    return pairs


def test_embedded_list_matches_the_design_document():
    if not DESIGN_API_MD.exists():
        pytest.skip("the design folder is not next to the project")
    assert sorted(core_table(DESIGN_API_MD.read_text())) == sorted(CORE_ENDPOINTS)


def test_document_is_valid_openapi_3(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    validate(document)


def test_every_core_endpoint_is_described_with_schemas(client):
    document = client.get(f"{API}/openapi.json").get_json()
    paths = document["paths"]
    schemas = document["components"]["schemas"]
    for method, path in CORE_ENDPOINTS:
        assert path in paths, path
        operation = paths[path].get(method.lower())
        assert operation is not None, (method, path)
        assert operation["summary"] and operation["tags"]
        successes = [code for code in operation["responses"] if code.startswith("2")]
        assert len(successes) == 1, (method, path)
        success = operation["responses"][successes[0]]
        assert "schema" in success["content"]["application/json"], (method, path)
        if method in {"POST", "PUT", "PATCH"}:
            assert "schema" in operation["requestBody"]["content"]["application/json"]
            assert {"400", "413", "422"} <= set(operation["responses"]), (method, path)
        for code, answer in operation["responses"].items():
            if not code.startswith("2"):
                assert answer["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ErrorOut"
                }
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        assert declared == set(re.findall(r"{(\w+)}", path)), (method, path)
    assert {"ErrorOut", "ErrorBody", "EventOut", "EventCreate", "TokenRequest"} <= set(schemas)


def test_status_codes_and_field_names_follow_the_contract(client):
    paths = client.get(f"{API}/openapi.json").get_json()["paths"]
    document = client.get(f"{API}/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    assert set(paths["/api/v1/auth/token"]["post"]["responses"]) >= {"200", "401", "429"}
    assert "201" in paths["/api/v1/events"]["post"]["responses"]
    assert "409" in paths["/api/v1/events"]["post"]["responses"]
    assert "201" in paths["/api/v1/events/{event}/clone"]["post"]["responses"]
    assert "201" in paths["/api/v1/events/{event}/passes"]["post"]["responses"]
    assert "404" in paths["/api/v1/events/{event}/plugins/{name}/settings"]["get"]["responses"]
    assert set(schemas["TokenResponse"]["properties"]) == {"token", "expires_at"}
    assert {
        "slug",
        "name",
        "year",
        "venue",
        "starts_on",
        "ends_on",
        "timezone",
        "status",
        "plugins",
    } <= set(schemas["EventOut"]["properties"])
    assert {"id", "email", "name", "roles", "organizations"} <= set(schemas["MeOut"]["properties"])
    assert set(schemas["ErrorBody"]["properties"]) == {"code", "message", "fields"}
    assert {"items", "total"} <= set(schemas["InnovationList"]["properties"])
    innovations = paths["/api/v1/events/{event}/innovations"]["get"]["parameters"]
    assert {p["name"] for p in innovations} >= {"q", "category", "organization", "limit", "offset"}


def test_plugin_settings_schemas_are_included(client, registry):
    document = client.get(f"{API}/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    for name, info in registry.infos.items():
        if info.settings_model is not None:
            assert info.settings_model.__name__ in schemas, name


def test_endpoints_registered_later_appear(app):
    """A plugin blueprint using ``endpoint()`` shows up in the document built from the app."""
    from flask import jsonify

    from core.api import ApiBlueprint, endpoint
    from core.api.schemas import PassList

    extra = ApiBlueprint("extra_api", __name__, url_prefix="/api/v1")

    @extra.get("/events/<event>/extra/<int:id>")
    @endpoint(summary="Extra", tags=["Extra"], response=PassList, errors=(404,))
    def extra_view(event: str, id: int):
        return jsonify({})

    app.register_blueprint(extra)
    document = build_openapi(app)
    operation = document["paths"]["/api/v1/events/{event}/extra/{id}"]["get"]
    assert operation["tags"] == ["Extra"]
    assert [p["schema"]["type"] for p in operation["parameters"]] == ["string", "integer"]
    validate(document)


def test_openapi_path_conversion():
    assert openapi_path("/api/v1/events/<event>/innovations/<int:id>") == (
        "/api/v1/events/{event}/innovations/{id}"
    )
    assert openapi_path("/a/<int(max=9):n>/<path:rest>") == "/a/{n}/{rest}"
