"""UI test fixtures: a temporary database with a little demo data, an inline executor, a fresh change bus
and message bridge per test (the bridge records what the user was shown), and settings in a temp file."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.clock import local_today
from app.db import Database
from tests.ui.seed import Seed, seed_database
from ui.changes import reset_change_bus
from ui.context import AppContext
from ui.i18n import install_translators
from ui.i18n_catalog import build_qm
from ui.messages import Message, reset_bridge
from ui.ops import Workers, install_workers
from ui.settings import Settings

#: the offscreen platform says this whenever a top-level window is shown; harmless
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(scope="session")
def template_seed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seed]:
    """One seeded database per test session (argon2 hashing is slow); each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "seed.sqlite3"
    db = Database.open(path)
    seed = seed_database(db, local_today())
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path, seed


@pytest.fixture(scope="session", autouse=True)
def built_translations() -> Path:
    return build_qm()


@pytest.fixture
def seed(template_seed: tuple[Path, Seed], tmp_path: Path) -> Iterator[Seed]:
    template, seeded = template_seed
    path = tmp_path / "instdesk.sqlite3"
    shutil.copyfile(template, path)
    db = Database.open(path, migrate=False)
    yield Seed(
        db,
        seeded.manager,
        seeded.front_desk,
        seeded.stats,
        seeded.course_id,
        seeded.klass_id,
        seeded.session_id,
        dict(seeded.students),
        dict(seeded.cards),
    )
    db.close()


@pytest.fixture
def shown(qapp: object) -> Iterator[list[Message]]:
    """Inline workers, a fresh bus and bridge; yields the list of messages the user was shown."""
    previous = install_workers(Workers.inline())
    reset_change_bus()
    bridge = reset_bridge()
    messages: list[Message] = []
    bridge.listen(messages.append)
    install_translators("zh_CN")
    yield messages
    bridge.listen(None)
    if previous is not None:
        install_workers(previous)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.at(tmp_path / "settings.ini")


@pytest.fixture
def ctx(seed: Seed, settings: Settings, shown: list[Message]) -> AppContext:
    """Signed in as the front desk."""
    return AppContext(db=seed.db, settings=settings, actor=seed.front_desk, log_path=Path("instdesk.log"))
