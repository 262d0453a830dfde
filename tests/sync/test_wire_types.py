"""The desk's wire types (sync/wire.py) against the platform's published OpenAPI document.

The desk shares no code with the platform server; it reads the committed ``platform_server/openapi.json``
(the document the server serves, kept current by tests/server/test_schema.py) as any API client would.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sync.wire import SCHEMAS

OPENAPI = Path(__file__).resolve().parents[2] / "platform_server" / "openapi.json"
REQUESTS = frozenset({"OpIn"})


def _schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = json.loads(OPENAPI.read_text(encoding="utf-8"))["components"]["schemas"]
    return schemas


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_each_wire_type_has_exactly_its_schemas_fields(name: str) -> None:
    schema = _schemas()[name]
    typed = SCHEMAS[name]
    assert typed.__required_keys__ | typed.__optional_keys__ == set(schema["properties"])


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_the_desk_relies_only_on_fields_the_platform_always_sends(name: str) -> None:
    """A reply type requires no field the schema may leave out; a request sends every required one."""
    required = set(_schemas()[name].get("required", []))
    typed = SCHEMAS[name]
    if name in REQUESTS:
        assert required <= typed.__required_keys__
    else:
        assert typed.__required_keys__ <= required


def test_every_reply_the_client_reads_is_typed() -> None:
    """The schemas of the endpoints ApiClient calls for data all have a wire type."""
    paths = json.loads(OPENAPI.read_text(encoding="utf-8"))["paths"]
    used = {
        ("post", "/v1/sync/push"), ("get", "/v1/sync/changes"), ("get", "/v1/sync/snapshot"),
        ("get", "/v1/stats"), ("post", "/v1/refund-requests/{request_id}/respond"),
    }  # fmt: skip
    for method, path in used:
        ref = paths[path][method]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.rsplit("/", 1)[1] in SCHEMAS
