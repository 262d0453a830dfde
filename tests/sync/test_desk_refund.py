"""退费 at the desk, end to end with the platform: the front desk prepares the refund of a package a parent
bought on the platform, a manager confirms it in the dialog, and the next sync returns the money from the
escrow account once (the same refund use case as a platform refund request)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.db import Database
from app.permissions import Actor, Role
from app.services.users import bootstrap_admin
from app.views.students import student_profile
from tests.sync.helpers import engine_for, problems
from tests.sync.server import LiveServer
from tests.sync.test_refund_answers import _desk_with_orders
from ui.context import AppContext
from ui.dialogs.refund_dialog import RefundDialog
from ui.ops import Workers, install_workers
from ui.settings import Settings

FRONT_DESK = Actor("u-desk", "desk1", Role.FRONT_DESK)


@pytest.fixture
def inline(qapp: object) -> Iterator[None]:
    previous = install_workers(Workers.inline())
    yield
    if previous is not None:
        install_workers(previous)


def test_a_desk_refund_returns_the_escrow_once(
    qtbot: QtBot, inline: None, server: LiveServer, make_db: Callable[[str], Database], tmp_path: Path
) -> None:
    db = make_db("a")
    engine = engine_for(db, server, "a")
    [order] = _desk_with_orders(server, db, engine, fen=400_000)
    engine.sync_once()
    bootstrap_admin(db, "boss", "boss-pass-1")
    profile = student_profile(db, FRONT_DESK, order["student_id"])
    ctx = AppContext(db=db, settings=Settings.at(tmp_path / "s.ini"), actor=FRONT_DESK)
    dialog = RefundDialog(ctx, profile.student.name, profile.contracts)
    qtbot.addWidget(dialog)
    assert (
        dialog.contract.currentData() == order["contract_id"] and "4,000.00 元" in dialog.quote_label.text()
    )
    dialog.reason.setText("孩子转学")
    dialog.approver.setText("boss")
    dialog.password.setText("boss-pass-1")
    dialog.confirm.click()
    assert dialog.finished_refund is not None
    refund = dialog.finished_refund.result
    engine.sync_once()
    assert problems(db) == []
    with server.engine.connect() as conn:
        sql = "SELECT amount_fen FROM escrow_entry WHERE kind = 'return' AND ref_id = ?"
        returns = [int(r[0]) for r in conn.exec_driver_sql(sql, (refund.refund_id,))]
    assert returns == [refund.amount_fen] and refund.amount_fen == 400_000
    engine.sync_once()  # nothing is returned twice
    with server.engine.connect() as conn:
        total = conn.exec_driver_sql(
            "SELECT count(*) FROM escrow_entry WHERE kind = 'return' AND ref_id = ?", (refund.refund_id,)
        )
        assert total.scalar() == 1
