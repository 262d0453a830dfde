"""The OpenAPI document, built without a database (committed as ``platform_server/openapi.json``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

from platform_server.app import create_app
from platform_server.migrate import upgrade
from platform_server.settings import Settings

COMMITTED = Path(__file__).with_name("openapi.json")


def openapi_document() -> dict[str, Any]:
    engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    upgrade(engine)
    app = create_app(Settings(db_url="sqlite://", token_secret="openapi"), engine=engine)
    document: dict[str, Any] = app.openapi()
    engine.dispose()
    return document
