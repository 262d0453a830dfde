"""The demo shows an open 消课 dispute with its countdown: the generated institution syncs with the bundled
platform and its simulated parents (``serve --simulate``), one parent disputes a charged lesson, and the
desk lists it with the time left in the platform's window; answered with the roll-call record, the
simulated parent accepts it."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.clock import now_utc
from app.db import Database
from app.demo.generator import GenerationSummary
from app.permissions import SYSTEM_ACTOR
from app.rules.confirmation_window import countdown
from app.services.disputes import answer_with_roll_call
from app.views.confirmations import confirmation, count_confirmations, list_confirmations
from platform_server.simulator import Simulator, install
from tests.sync.helpers import engine_for
from tests.sync.server import LiveServer


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[tuple[LiveServer, Simulator]]:
    live = LiveServer(tmp_path)
    simulator = Simulator(live.rt, decision_delay=0.0, interval=3600)
    install(live.app, simulator)  # a tick right after each push, as in the demo
    live.start()
    yield live, simulator
    live.stop()


@pytest.fixture
def demo(generated: tuple[Path, GenerationSummary], tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(generated[0], path)
    db = Database.open(path, migrate=False)
    yield db
    db.close()


def test_the_demo_shows_an_open_dispute_with_its_countdown(
    platform: tuple[LiveServer, Simulator], demo: Database
) -> None:
    live, simulator = platform
    engine = engine_for(demo, live, "demo")
    engine.sync_once()  # the whole history goes up; the simulated parents act right after the push
    engine.sync_once()
    assert count_confirmations(demo, SYSTEM_ACTOR, "pending") > 0
    [dispute] = list_confirmations(demo, SYSTEM_ACTOR, "dispute", 0, 10)
    assert dispute.status == "disputed" and dispute.student_name and dispute.reason
    left = countdown(dispute.status, dispute.deadline, now_utc())
    assert left is not None and left.phase == "open" and left.days >= 14  # 15 working days to answer
    answer_with_roll_call(demo, SYSTEM_ACTOR, dispute.confirmation_id, "点名记录如下")
    engine.sync_once()
    time.sleep(0.05)
    simulator.tick()  # the parent reads the record: the demo's roll calls mark the child present
    engine.sync_once()
    settled = confirmation(demo, SYSTEM_ACTOR, dispute.confirmation_id)
    assert settled is not None and settled.status in ("confirmed", "escalated")
    assert settled.parent_reply
