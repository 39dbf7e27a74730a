"""GELAR_PROXY_COUNT: trust X-Forwarded-* from that many proxies, and none by default."""

from typing import Any

from flask import request

from core import create_app


def _remote_addr_app(app_config: dict[str, Any], **extra: Any) -> Any:
    application = create_app({**app_config, **extra})

    @application.get("/_addr")
    def _addr() -> dict[str, str]:
        return {"addr": request.remote_addr or "", "scheme": request.scheme}

    return application


def test_forwarded_headers_ignored_by_default(app_config):
    client = _remote_addr_app(app_config).test_client()
    body = client.get(
        "/_addr", headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    ).get_json()
    assert body == {"addr": "127.0.0.1", "scheme": "http"}


def test_one_trusted_proxy(app_config):
    client = _remote_addr_app(app_config, PROXY_COUNT=1).test_client()
    body = client.get(
        "/_addr", headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    ).get_json()
    assert body == {"addr": "203.0.113.9", "scheme": "https"}


def test_proxy_count_from_environment(monkeypatch):
    from core.config import environment_overrides

    monkeypatch.setenv("GELAR_PROXY_COUNT", "2")
    assert environment_overrides()["PROXY_COUNT"] == 2
