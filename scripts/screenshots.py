"""Render every screen offscreen into docs/screenshots/*.png.

Chinese needs a CJK font (e.g. fonts-wqy-zenhei).

QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [--lang en]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app.db import Database  # noqa: E402
from app.services._common import local_today  # noqa: E402
from app.services.schedule import add_schedule_rule  # noqa: E402
from app.services.staffing import StaffInput, add_staff  # noqa: E402
from app.workcal import add_working_days  # noqa: E402
from localdb.models import Contract, Klass, LessonSession  # noqa: E402
from sync.inbox import inbox_params, store_inbox  # noqa: E402
from tests.ui.seed import Seed, seed_database  # noqa: E402
from ui.app import application  # noqa: E402
from ui.context import AppContext  # noqa: E402
from ui.dialogs.first_run import FirstRunWizard  # noqa: E402
from ui.dialogs.settings_dialog import SettingsDialog  # noqa: E402
from ui.dialogs.signin import SignInDialog  # noqa: E402
from ui.i18n import install_translators  # noqa: E402
from ui.i18n_catalog import build_qm  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.messages import bridge  # noqa: E402
from ui.ops import Workers, install_workers  # noqa: E402
from ui.panels.courses import CoursesPanel  # noqa: E402
from ui.panels.frontdesk import FrontDeskPanel  # noqa: E402
from ui.panels.inbox import InboxPanel  # noqa: E402
from ui.panels.schedule import SchedulePanel  # noqa: E402
from ui.panels.students import StudentsPanel  # noqa: E402
from ui.settings import Settings  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def grab(widget: QWidget, name: str, size: tuple[int, int] = (1200, 760)) -> None:
    widget.resize(*size)
    widget.show()
    QApplication.processEvents()
    widget.grab().save(str(OUT / f"{name}.png"))
    print(OUT / f"{name}.png")


def front_desk(window: MainWindow, seed: Seed) -> None:
    panel = window.show_panel("frontdesk")
    assert isinstance(panel, FrontDeskPanel)
    panel.scanner.setText(seed.cards["张三"])
    panel.scan()
    panel.roster.mark(1, "late")
    grab(window, "frontdesk")


def students(window: MainWindow) -> None:
    panel = window.show_panel("students")
    assert isinstance(panel, StudentsPanel)
    grab(window, "students")
    panel.search.setText("zs")
    panel.table.selectRow(0)
    panel.profile.tabs.setCurrentIndex(1)
    grab(window, "student-profile")
    wizard = panel.open_enroll()
    if wizard is not None:
        grab(wizard, "enroll-deal", (720, 560))
        wizard.next()
        grab(wizard, "enroll-check", (720, 560))
        wizard.close()


def courses(window: MainWindow) -> None:
    panel = window.show_panel("courses")
    assert isinstance(panel, CoursesPanel)
    panel.table.selectRow(0)
    grab(window, "courses")
    panel.new_course()
    form = panel.form
    form.name.setText("小学数学提高班")
    form.category.setCurrentIndex(form.category.findData("subject"))
    form.subject.setCurrentText("美术")
    form.delivery.setCurrentIndex(form.delivery.findData("online"))
    form.price.setText("3000")
    grab(window, "course-checks")


def schedule(window: MainWindow, seed: Seed) -> None:
    """A weekly rule, plus a lesson booked behind the checks' back (a second offline desk) to show a clash."""
    monday = local_today() - timedelta(days=local_today().weekday())
    for weekday, start, end in ((1, "17:00", "18:00"), (3, "18:30", "19:30")):
        add_schedule_rule(
            seed.db, seed.manager, seed.klass_id, weekday, start, end, monday, monday + timedelta(weeks=8)
        )
    with seed.db.transaction() as session:
        klass = session.get(Klass, seed.klass_id)
        assert klass is not None
        day = monday + timedelta(days=3)
        session.add(
            LessonSession(
                klass_id=klass.id, date=day, start_time="19:00", end_time="20:45", teacher_id=klass.teacher_id
            )
        )
    panel = window.show_panel("schedule")
    assert isinstance(panel, SchedulePanel)
    panel.refresh()
    grab(window, "schedule")


def staff(window: MainWindow, seed: Seed) -> None:
    wu = StaffInput(
        name="吴老师", employment="part_time", teacher_cert_subject="初中数学", teacher_cert_no="2022440123"
    )
    add_staff(seed.db, seed.manager, wu)
    for name in ("钱会计", "孙前台"):
        add_staff(seed.db, seed.manager, StaffInput(name=name, kind="other"))
    window.show_panel("staff").refresh()
    grab(window, "staff")


def inbox(window: MainWindow, seed: Seed) -> None:
    today = local_today()
    with seed.db.reading() as session:
        contract = str(
            session.scalar(select(Contract.id).where(Contract.student_id == seed.students["李四"]))
        )
    items: list[tuple[str, str, dict[str, object]]] = [
        ("refund_request", "rr-1", {"contract_id": contract, "amount_fen": 120000, "status": "requested",
                                    "reason": "孩子转学", "requested_on": today.isoformat(),
                                    "deadline": add_working_days(today, 5).isoformat()}),
        ("complaint", "cp-1", {"subject": "上课时间", "text": "老师迟到十分钟", "contract_id": contract,
                               "status": "open"}),
    ]  # fmt: skip
    with seed.db.transaction() as session:
        store_inbox(session.connection(), [inbox_params(e, i, 1, False, {"id": i, **p}) for e, i, p in items])
    panel = window.show_panel("platform")
    assert isinstance(panel, InboxPanel)
    panel.refresh()
    grab(window, "platform")


def dialogs(ctx: AppContext, tmp: Path) -> None:
    grab(SignInDialog(ctx), "sign-in", (380, 180))
    grab(SettingsDialog(ctx), "settings", (560, 360))
    fresh = AppContext(db=Database.open(tmp / "empty.sqlite3"), settings=ctx.settings)
    grab(FirstRunWizard(fresh), "first-run", (640, 420))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="zh_CN")
    args = parser.parse_args()
    app = application()
    build_qm()
    install_translators(args.lang)
    install_workers(Workers.inline())
    bridge().listen(lambda message: None)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        os.environ["INSTDESK_DATA_DIR"] = str(tmp)
        db = Database.open(tmp / "shots.sqlite3")
        seed = seed_database(db, local_today())
        ctx = AppContext(db=db, settings=Settings.at(tmp / "settings.ini"), actor=seed.manager)
        window = MainWindow(ctx)
        window.resize(1200, 760)
        window.show()
        front_desk(window, seed)
        students(window)
        courses(window)
        schedule(window, seed)
        staff(window, seed)
        inbox(window, seed)
        window.show_panel("stats")
        grab(window, "stats")
        dialogs(ctx, tmp)
        window.close()
        db.close()
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
