"""Application factory of the reference platform server."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine

from platform_server.clock import Clock
from platform_server.db import make_engine, make_sessionmaker
from platform_server.errors import install_handlers
from platform_server.middleware import EdgeMiddleware
from platform_server.payloads import payload_schemas
from platform_server.routes import auth, materials, platform, sync
from platform_server.runtime import Runtime
from platform_server.security import Passwords, TokenHasher, load_or_create_epoch, load_or_create_secret
from platform_server.settings import Settings

DESCRIPTION = """InstDesk 参考平台接口 (reference implementation of the supervision platform's side).
Institutions log in with their 统一社会信用代码, push ordered ops and pull the change feed; the regulator
reviews courses and staff; the parent-simulation endpoints produce what flows down to an institution.
Errors share one shape: `{"error": code, "message": text}`."""


def create_app(settings: Settings, clock: Clock | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the app on an already migrated database (``migrate.upgrade`` first)."""
    engine = engine or make_engine(settings.db_url)
    factory = make_sessionmaker(engine)
    with factory() as session:
        secret = load_or_create_secret(session, settings.token_secret)
        epoch = load_or_create_epoch(session)
    rt = Runtime(
        settings=settings,
        clock=clock or Clock(),
        engine=engine,
        sessionmaker=factory,
        passwords=Passwords(settings.argon2_time_cost, settings.argon2_memory_kib),
        tokens=TokenHasher(secret),
        epoch=epoch,
    )
    app = FastAPI(title="InstDesk reference platform API", version="1.0.0", description=DESCRIPTION)
    app.state.rt = rt
    install_handlers(app)
    app.add_middleware(
        EdgeMiddleware,
        max_body_bytes=settings.max_body_bytes,
        epoch=epoch,
        max_file_bytes=settings.max_file_bytes,
    )
    app.include_router(auth.router, tags=["meta and auth"])
    app.include_router(sync.router, tags=["institution"])
    app.include_router(materials.institution)
    app.include_router(platform.regulator)
    app.include_router(materials.regulator)
    app.include_router(platform.parent)
    app.include_router(platform.admin)
    _document_payloads(app)
    return app


def _document_payloads(app: FastAPI) -> None:
    """Put the typed payload schemas (``platform_server.payloads``) into the OpenAPI components."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            document.setdefault("components", {}).setdefault("schemas", {}).update(payload_schemas())
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]
