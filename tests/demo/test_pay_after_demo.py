"""The demo's 先学后付 course: families owing per lesson, some paid, one reminded, shown apart in 统计."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from app.clock import local_today
from app.db import Database
from app.demo.generator import GenerationSummary
from app.demo.pay_after import FAMILIES, add_learn_first
from app.permissions import SYSTEM_ACTOR
from app.reports.stats import statistics
from app.views.pay_after import owed_totals, owing_families
from tests.demo.conftest import UNTIL


def test_the_demo_has_a_learn_first_course_with_amounts_owed(
    generated: tuple[Path, GenerationSummary], tmp_path: Path
) -> None:
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(generated[0], path)
    db = Database.open(path, migrate=False)
    try:
        made = add_learn_first(db, SYSTEM_ACTOR, UNTIL)
        assert made is not None and made.lessons_called >= 4
        families = owing_families(db, SYSTEM_ACTOR, UNTIL)
        assert 1 <= len(families) <= FAMILIES - 2  # two families paid everything
        assert all(f.owed_fen > 0 and f.lessons >= 1 for f in families)
        assert sum(1 for f in families if f.reminded_on is not None) == 1
        totals = owed_totals(db)
        assert totals.owed_fen == sum(f.owed_fen for f in families)
        # the desk's payments are dated now (the generated history ends at UNTIL)
        stats = statistics(db, SYSTEM_ACTOR, date(2026, 10, 1), max(UNTIL, local_today()))
        assert stats.total.pay_after_fen > 0 and stats.total.pay_after_paid_fen > 0
    finally:
        db.close()
