"""Tests of the JSON API (core endpoints, errors, auth, OpenAPI)."""
