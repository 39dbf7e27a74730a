"""The OpenAPI document is the code's truth: schemathesis against a live, seeded server.

The demo is seeded into the module's database (SQLite, and PostgreSQL when
``GELAR_TEST_DATABASE_URL`` is set), the app is served on 127.0.0.1 by a werkzeug thread,
and the schemathesis CLI runs over every operation of ``/api/v1/openapi.json`` with a site
admin's bearer token, deterministic (derandomized) generation and a bounded number of
examples per operation.  Every conformance check must pass: no server error, only
documented statuses and content types, responses matching their schemas, schema-violating
requests refused and schema-valid requests accepted.

``GELAR_SCHEMATHESIS_EXAMPLES`` changes the number of examples per operation (default 20),
``GELAR_SCHEMATHESIS_PHASES`` the phases (default ``examples,coverage,fuzzing,stateful``:
stateful runs sequences along the inferred links), ``GELAR_SCHEMATHESIS_LOG`` keeps the report.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pytest

from core.db import get_db
from core.services import accounts
from core.services.demo import DEMO_ADMIN, DEMO_SLUG, seed_demo

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
)
POSITIVE_STATUSES = ["2xx", "3xx", "401", "403", "404", "409", "429"]
EVENT_CREATORS = ("POST /api/v1/events", "POST /api/v1/events/{event}/clone")
TOKEN_ENDERS = ("DELETE /api/v1/auth/token", "DELETE /api/v1/me/tokens/{id}")
# Operations whose schema-valid requests may still answer 422, and the rule JSON Schema
# cannot say.  Everything else about them (types, bounds, formats) is still checked, and
# every other operation must accept every schema-valid request.
RULES_BEYOND_THE_SCHEMA = {
    "POST /api/v1/events": "ends_on may not be before starts_on",
    "POST /api/v1/events/{event}/clone": "ends_on may not be before starts_on",
    "PATCH /api/v1/events/{event}": "the dates, merged with the stored ones, stay in order",
    "POST /api/v1/events/{event}/roles": (
        "conflict ids must name organizations; e-mail domains for special use"
        " (.test, .invalid, localhost) are refused"
    ),
    "POST /api/v1/events/{event}/visitors": "e-mail domains for special use are refused",
    "POST /api/v1/events/{event}/registrations": (
        "categories and questions come from the event's settings; special-use e-mail domains"
    ),
    "POST /api/v1/events/{event}/assignments": "the judge id must be a judge of the event",
    "POST /api/v1/events/{event}/booths": "the booth must lie within the floor (settings)",
    "POST /api/v1/events/{event}/booths/import": "every booth must lie within the floor",
    "POST /api/v1/events/{event}/innovations/import": "one row per agency and title",
    "POST /api/v1/events/{event}/registrations/decisions": (
        "ids must name submitted registrations of the event, each once"
    ),
    "PUT /api/v1/events/{event}/scores": "rows name the judge's assigned innovations, once each",
    "POST /api/v1/events/{event}/sessions": "room, track and speakers must exist in the event",
    "PATCH /api/v1/events/{event}/sessions/{session_id}": "room and track must exist",
    "POST /api/v1/events/{event}/speakers/{speaker_id}/availability": "ends after it starts",
    "POST /api/v1/events/{event}/stages/{id}/advance": "top_n needs a whole number of at least 1",
    "PUT /api/v1/events/{event}/criteria": "one label each, min below max, keys unique",
    "PUT /api/v1/events/{event}/plugins/{name}/settings": "the body is the named plugin's",
    "PUT /api/v1/events/{event}/privacy": "e-mail domains for special use are refused",
    "PUT /api/v1/events/{event}/stages/{id}/judges": "every id must be a judge of the event",
    "PUT /api/v1/events/{event}/innovations/{id}/scores": (
        "keys must be the rubric's criteria, values within their range"
    ),
    "POST /api/v1/events/{event}/awards": "the innovation must be one of the event's",
    "POST /api/v1/events/{event}/visits/auto": (
        "the window ends after it starts and holds a visit; daily hours come as a pair"
    ),
    "PATCH /api/v1/events/{event}/visits/{id}": "the new start lies within the plan's window",
    "POST /api/v1/events/{event}/assignments/top-up": "a stage with results to top up",
}


def about_the_demo(document: dict[str, Any]) -> dict[str, Any]:
    """The document with every ``{event}`` narrowed to the seeded event.

    Any other slug only meets 404; narrowed, every operation reaches its real logic, and
    a value outside the enum (which schemathesis sends as negative data) still gets 404.
    """
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == "event":
                    parameter["schema"] = {"type": "string", "enum": [DEMO_SLUG]}
    return document


def _st_executable() -> str:
    local = Path(sys.executable).with_name("st")
    found = str(local) if local.exists() else shutil.which("st")
    if found is None:
        pytest.skip("schemathesis is not installed (pip install -e '.[test]')")
    return found


@pytest.fixture(scope="module")
def admin_token(live_app) -> str:
    """Seed the demo into the live database and issue its site admin a bearer token."""
    session = get_db(live_app).new_session()
    try:
        seed_demo(session, live_app.extensions["gelar_plugins"])
        admin = accounts.find_user(session, DEMO_ADMIN[0])
        token, _expires = accounts.issue_api_token(session, admin, ttl_hours=2)
        session.commit()
    finally:
        session.close()
    return token


def _config(tmp_path: Path) -> Path:
    """A schemathesis.toml allowing 422 for schema-valid data only where a rule says so."""
    lines = []
    for name in sorted(RULES_BEYOND_THE_SCHEMA):
        lines += [
            "[[operations]]",
            f'include-name = "{name}"',
            "checks.positive_data_acceptance.expected-statuses = "
            + json.dumps([*POSITIVE_STATUSES, "422"]),
            "",
        ]
    path = tmp_path / "schemathesis.toml"
    path.write_text("\n".join(lines))
    return path


def _run(command: list[str], tmp_path: Path) -> tuple[int, str]:
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=900, cwd=tmp_path, check=False
    )
    return result.returncode, result.stdout + result.stderr


def test_every_operation_conforms_to_the_document(live_server, admin_token, tmp_path):
    examples = os.environ.get("GELAR_SCHEMATHESIS_EXAMPLES", "20")
    document = json.loads(urlopen(live_server("/api/v1/openapi.json"), timeout=30).read())
    schema_file = tmp_path / "openapi.json"
    schema_file.write_text(json.dumps(about_the_demo(document)))
    command = [
        _st_executable(),
        "--config-file",
        str(_config(tmp_path)),
        "run",
        str(schema_file),
        "--url",
        live_server.url,
        "--checks",
        ",".join(CHECKS),
        "--max-examples",
        examples,
        # Derandomized: the same cases every run (schemathesis then needs no seed).
        "--generation-deterministic",
        "--phases",
        os.environ.get("GELAR_SCHEMATHESIS_PHASES", "examples,coverage,fuzzing,stateful"),
        "--workers",
        "1",
        "--no-color",
        "--request-timeout",
        "30",
        "--header",
        f"Authorization: Bearer {admin_token}",
    ]
    # Operations that create events run last: an event they create (slug "0") would
    # otherwise answer 200 to the "wrong" slugs schemathesis sends as negative data.
    # Revoking the token in use runs on its own at the very end: the caller's token is gone
    # after it, so everything after would only see 401.
    later = (*EVENT_CREATORS, *TOKEN_ENDERS)
    creators = [arg for name in later for arg in ("--exclude-name", name)]
    code, output = _run([*command, *creators], tmp_path)
    selected = [arg for name in EVENT_CREATORS for arg in ("--include-name", name)]
    code_creators, output_creators = _run([*command, *selected], tmp_path)
    enders = [arg for name in TOKEN_ENDERS for arg in ("--include-name", name)]
    code_enders, output_enders = _run([*command, *enders], tmp_path)
    code_creators = code_creators or code_enders
    output += "\n" + output_creators + "\n" + output_enders
    log = os.environ.get("GELAR_SCHEMATHESIS_LOG")
    if log:
        Path(log).write_text(output)
    assert (code, code_creators) == (0, 0), output[-30000:]
