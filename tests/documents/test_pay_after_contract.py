"""A 先学后付 contract prints the agreed price per lesson and the payment terms instead of a prepaid fee."""

from __future__ import annotations

import shutil
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.db import Database
from app.documents.contract import Mode, contract_facts
from tests.documents.conftest import pdf_pages
from tests.services.factory import DESK, build_world
from tests.services.pay_after_world import join, learn_first_course
from ui.documents import write_contract_pdf


def test_the_contract_pdf_states_the_price_per_lesson_and_the_terms(
    qtbot: QtBot, migrated_template: Path, tmp_path: Path
) -> None:
    shutil.copyfile(migrated_template, tmp_path / "desk.db")
    blank_db = Database.open(tmp_path / "desk.db", migrate=False)
    world = build_world(blank_db)
    art = learn_first_course(world)
    signed = join(
        world, art, world.students[0], lesson_price_fen=12_800, payment_terms="每月最后一节课后结清当月课费"
    )
    facts = contract_facts(blank_db, DESK, signed.contract_id)
    text = "".join(pdf_pages(write_contract_pdf(facts, Mode.DRAFT, tmp_path / "contract.pdf")))
    assert "培训收费（先学后付）" in text
    assert "128.00元/节" in text and "每月最后一节课后结清当月课费" in text
    assert "甲方不预收任何费用" in text and "不涉及退费" in text
    blank_db.close()
