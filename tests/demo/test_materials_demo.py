"""The demo's training materials: added through the use case, stored by hash, reviewed, used by classes;
with the simulated platform, the first sync files them and brings an open spot check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.db import Database
from app.demo.generator import GenerationSummary
from app.demo.materials import COURSES_WITH_MATERIALS, REVIEWER, add_demo_materials
from app.material_store import blob_path
from app.permissions import SYSTEM_ACTOR
from app.services.materials import materials_root
from app.views.materials import course_materials, list_spot_checks
from platform_server.simulator import Simulator
from tests.sync.helpers import engine_for
from tests.sync.server import LiveServer


@pytest.fixture
def demo_copy(generated: tuple[Path, GenerationSummary], tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(generated[0], path)
    return path


def test_demo_materials_are_filed_and_the_simulated_regulator_asks_for_a_spot_check(
    demo_copy: Path, tmp_path: Path
) -> None:
    db = Database.open(demo_copy)
    (tmp_path / "platform").mkdir()
    server = LiveServer(tmp_path / "platform").start()
    try:
        added = add_demo_materials(db, SYSTEM_ACTOR)
        assert len(added) == 3 * COURSES_WITH_MATERIALS
        assert {m.kind for m in added} == {"textbook", "handout", "slides"}
        assert all(m.reviewer == REVIEWER and m.klass_ids for m in added)
        assert all(blob_path(materials_root(db), m.sha256).is_file() for m in added)
        engine = engine_for(db, server, "demo")
        engine.sync_once()
        assert Simulator(server.rt).tick().spot_checks == 1
        engine.sync_once()
        course = added[0].course_id
        assert {m.filing for m in course_materials(db, SYSTEM_ACTOR, course)} == {"filed"}
        (check,) = list_spot_checks(db, SYSTEM_ACTOR)
        assert check.status == "open" and check.needs_answer and check.deadline_at is not None
        engine.close()
    finally:
        server.stop()
        db.close()
