"""The API does what its OpenAPI document says: JSON Schema types, bodies, statuses.

Each case is one schemathesis found (issue 11); ``tests/e2e/test_openapi_conformance.py``
runs schemathesis itself.
"""

from __future__ import annotations

import re

import pytest

from core.api.openapi import STORABLE_TEXT, build_openapi
from tests.core.api.helpers import API

EVENT = f"{API}/events/jatim-2026"


@pytest.fixture
def document(app):
    with app.app_context():
        return build_openapi(app)


def test_an_integral_float_is_an_integer(client, cast, headers):
    response = client.post(f"{EVENT}/passes", json={"count": 3.0}, headers=headers["organizer"])
    assert response.status_code == 201, response.get_json()
    assert len(response.get_json()["items"]) == 3
    response = client.post(f"{EVENT}/passes", json={"count": 2.5}, headers=headers["organizer"])
    assert response.status_code == 422 and "count" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"count": True}, "count"),
        ({"count": "3"}, "count"),
    ],
)
def test_types_are_strict(client, cast, headers, body, field):
    response = client.post(f"{EVENT}/passes", json=body, headers=headers["organizer"])
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("starts_on", [0, 1700000000, "0", "2026-12-10T00:00:00", None])
def test_dates_are_iso_strings_only(client, cast, headers, starts_on):
    body = {"slug": "baru-2027", "name": "Baru", "year": 2027, "ends_on": "2027-01-02"}
    response = client.post(
        f"{API}/events", json={**body, "starts_on": starts_on}, headers=headers["admin"]
    )
    assert response.status_code == 422, response.get_json()
    assert "starts_on" in response.get_json()["error"]["fields"]


def test_iso_dates_and_times_are_accepted(client, cast, headers):
    body = {"slug": "baru-2027", "name": "Baru", "year": 2027}
    response = client.post(
        f"{API}/events",
        json={**body, "starts_on": "2027-01-01", "ends_on": "2027-01-02"},
        headers=headers["admin"],
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["starts_on"] == "2027-01-01"


def test_a_patch_needs_a_body_and_refuses_null(client, cast, headers):
    response = client.patch(EVENT, headers=headers["organizer"])
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_json"
    response = client.patch(EVENT, json={"year": None}, headers=headers["organizer"])
    assert response.status_code == 422 and "year" in response.get_json()["error"]["fields"]
    assert client.patch(EVENT, json={}, headers=headers["organizer"]).status_code == 200


@pytest.mark.parametrize("limit", ["0", "501", "1.0", "١٢", "1_0", " 5"])
def test_pagination_outside_the_documented_range_is_refused(client, cast, headers, limit):
    response = client.get(f"{API}/events?limit={limit}", headers=headers["admin"])
    assert response.status_code == 422


def test_every_operation_declares_400_and_the_error_shape(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert "400" in operation["responses"], (method, path)
            if path.startswith("/api/v1"):
                assert "401" in operation["responses"], (method, path)
            if "requestBody" in operation:
                assert operation["requestBody"]["required"] is True
                assert {"413", "422"} <= set(operation["responses"]), (method, path)


def test_pagination_is_documented_with_its_bounds(document):
    for path, operations in document["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "limit":
                    assert parameter["schema"]["minimum"] == 1, path
                    assert parameter["schema"]["maximum"] == 500, path


def test_request_strings_carry_the_storable_pattern(document):
    pattern = re.compile(STORABLE_TEXT)
    assert pattern.match("Surabaya\tJawa Timur\n") and not pattern.match("a\x00b")
    assert not pattern.match("a\x1fb")
    create = document["components"]["schemas"]["EventCreate"]["properties"]
    assert create["name"]["pattern"] == STORABLE_TEXT
    assert create["plugins"]["items"]["enum"] == [
        "exhibitors",
        "registration",
        "symposium",
        "voting",
    ]
    assert "Asia/Jakarta" in create["timezone"]["enum"]
    assert create["slug"]["not"]["enum"]
    patch = document["components"]["schemas"]["EventPatch"]["properties"]
    assert all("default" not in field for field in patch.values())
    assert patch["year"] == {"maximum": 2200, "minimum": 1900, "title": "Year", "type": "integer"}


def test_a_judge_appointed_again_with_the_same_conflicts(client, cast, headers, make, db):
    from core.models import Organization

    organization = Organization(name="Dinas Kominfo", kind="government", region="Surabaya")
    db.add(organization)
    db.commit()
    body = {"email": "juri@example.id", "role": "judge", "conflicts": [organization.id]}
    for _ in range(2):
        response = client.post(f"{EVENT}/roles", json=body, headers=headers["organizer"])
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["conflicts"] == [organization.id]
