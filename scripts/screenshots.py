"""Render the screens of the demo institution into docs/screenshots/*.png (offscreen).

The demo database of ``make run`` is generated in a temporary folder, the bundled platform server with its
simulated regulator and parents is started beside it, and the desk syncs with it, so the shots show what a
newcomer sees: today's lessons, a course decision arriving as a notification, refund requests with their
countdown. Chinese needs a CJK font (e.g. fonts-wqy-zenhei).

QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [--lang en]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.db import Database  # noqa: E402
from app.permissions import Actor  # noqa: E402
from app.services.institution import get_institution  # noqa: E402
from app.services.notices import collect_notices  # noqa: E402
from instdesk.demo import DEMO_PASSWORD, _keyring_for_demo, ensure_demo_database, platform_server  # noqa: E402
from sync.engine import SyncEngine  # noqa: E402
from ui.app import application  # noqa: E402
from ui.context import AppContext  # noqa: E402
from ui.dialogs.first_run import FirstRunWizard  # noqa: E402
from ui.dialogs.lesson_dialogs import CancelLessonDialog  # noqa: E402
from ui.dialogs.signin import SignInDialog  # noqa: E402
from ui.i18n import install_translators  # noqa: E402
from ui.i18n_catalog import build_qm  # noqa: E402
from ui.main_window import DEFAULT_SIZE, MainWindow  # noqa: E402
from ui.messages import bridge  # noqa: E402
from ui.ops import Workers, install_workers  # noqa: E402
from ui.panels.frontdesk import FrontDeskPanel  # noqa: E402
from ui.panels.inbox import InboxPanel  # noqa: E402
from ui.panels.schedule import SchedulePanel  # noqa: E402
from ui.panels.stats import StatsPanel  # noqa: E402
from ui.panels.students import StudentsPanel  # noqa: E402
from ui.settings import Settings  # noqa: E402
from ui.sync_adapter import snapshot_of  # noqa: E402
from ui.sync_port import SyncSnapshot  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
STUDENTS = 300
SIZE = (DEFAULT_SIZE.width(), DEFAULT_SIZE.height())


class EngineStatus:
    """The status bar's view of a sync engine that the script drives itself (no background thread)."""

    def __init__(self, engine: SyncEngine) -> None:
        self.engine = engine

    def status(self) -> SyncSnapshot:
        return snapshot_of(self.engine.snapshot(), True)

    def sync_now(self) -> None:
        self.engine.sync_once()

    def login(self, server_url: str, uscc: str, password: str) -> None:
        self.engine.login(uscc, password)

    def logout(self) -> None:
        self.engine.logout()

    def stop(self) -> None:
        self.engine.close()


def settle(rounds: int = 8) -> None:
    for _ in range(rounds):
        QApplication.processEvents()


def grab(widget: QWidget, name: str, size: tuple[int, int] = SIZE) -> None:
    widget.resize(*size)
    widget.show()
    settle()
    widget.grab().save(str(OUT / f"{name}.png"))
    print(OUT / f"{name}.png")


def sync_until_decided(engine: SyncEngine, db: Database, seconds: float = 20.0) -> None:
    """Sync until the simulated regulator has decided the course the demo submitted for review."""
    from sqlalchemy import func, select

    from localdb.models import Course

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        engine.sync_once()
        with db.reading() as session:
            waiting = session.scalar(select(func.count(Course.id)).where(Course.review_status == "pending"))
        if not waiting:
            return
        time.sleep(1.0)


def home(window: MainWindow, ctx: AppContext) -> None:
    window.show_panel("today")
    settle()
    window.show_notices(collect_notices(ctx.db, ctx.today()))
    grab(window, "today")
    for toast in list(window.toasts.visible()):
        toast.dismiss()
    settle()


def front_desk(window: MainWindow) -> None:
    panel = window.show_panel("frontdesk")
    assert isinstance(panel, FrontDeskPanel)
    settle()
    roster = panel.roster.loaded_rows()
    if roster and roster[0].card_code:
        panel.scanner.setText(roster[0].card_code)
        panel.scan()
    if len(roster) > 1:
        panel.roster.mark(1, "late")
    grab(window, "frontdesk")


def students(window: MainWindow) -> None:
    panel = window.show_panel("students")
    assert isinstance(panel, StudentsPanel)
    settle()
    grab(window, "students")
    panel.table.selectRow(0)
    settle()
    panel.profile.tabs.setCurrentIndex(1)
    grab(window, "student-profile")
    wizard = panel.open_enroll()
    if wizard is not None:
        grab(wizard, "enroll-deal", (760, 600))
        wizard.next()
        settle()
        grab(wizard, "enroll-check", (760, 600))
        wizard.close()
    student_jobs(panel)


def student_jobs(panel: StudentsPanel) -> None:
    """新学员 with a possible duplicate and an ID number typed wrong, and the import's columns."""
    new = panel.open_new()
    new.name.setText("张三")
    new.id_number.setText("110105201503070014")
    new.guardian_rows[0].name.setText("张家长")
    new.guardian_rows[0].phone.setText("13900002000")
    grab(new, "student-new", (620, 640))
    new.close()
    with tempfile.TemporaryDirectory() as folder:
        roster = Path(folder) / "学员名单.csv"
        lines = [
            "学生姓名,身份证号码,家长,联系电话,班级",
            "周一,110105201503070013,周父,13900139000,一班",
            "吴二,,吴母,13900139001,二班",
            "郑三,,,,一班",
        ]
        roster.write_text("\n".join(lines), encoding="utf-8-sig")
        wizard = panel.open_import()
        wizard.file_page.path.setText(str(roster))
        wizard.next()
        QApplication.processEvents()
        grab(wizard, "import-columns", (820, 600))
        wizard.close()


def platform(window: MainWindow) -> None:
    panel = window.show_panel("platform")
    assert isinstance(panel, InboxPanel)
    panel.refresh()
    grab(window, "platform")
    panel.show_item("refund")
    grab(window, "platform-refunds")
    panel.show_item("dispute")
    settle()
    grab(window, "platform-disputes")


def other_screens(window: MainWindow) -> None:
    for key in ("courses", "schedule", "staff", "stats", "users", "owed"):
        if key in window.panel_keys():
            window.show_panel(key).refresh()
            grab(window, key)
    stats = window.show_panel("stats")
    assert isinstance(stats, StatsPanel)
    stats.tables.setCurrentWidget(stats.evaluation)
    stats.evaluation.load_if_needed()
    settle()
    grab(window, "stats-evaluation")
    schedule_lesson(window)


def schedule_lesson(window: MainWindow) -> None:
    """The cancel dialog of the week's first live lesson (a reason typed, a make-up offered after)."""
    panel = window.show_panel("schedule")
    assert isinstance(panel, SchedulePanel)
    live = [lesson for lesson in panel.shown_lessons() if lesson.status != "cancelled"]
    if not live:
        return
    panel.select_lesson(live[0])
    panel.open_cancel()
    if isinstance(panel.dialog, CancelLessonDialog):
        panel.dialog.reason.setText("老师请假")
        grab(panel.dialog, "schedule-cancel", (600, 320))
        panel.dialog.close()


def dialogs(window: MainWindow, ctx: AppContext, tmp: Path) -> None:
    grab(SignInDialog(ctx), "sign-in", (400, 220))
    grab(window.open_settings(), "settings", (600, 420))
    fresh = AppContext(db=Database.open(tmp / "empty.sqlite3"), settings=ctx.settings)
    grab(FirstRunWizard(fresh), "first-run", (660, 460))


def shoot(ctx: AppContext, tmp: Path) -> None:
    window = MainWindow(ctx)
    window.resize(*SIZE)
    window.show()
    settle()
    home(window, ctx)
    front_desk(window)
    students(window)
    platform(window)
    other_screens(window)
    dialogs(window, ctx, tmp)
    window.close()


def demo_context(tmp: Path, actor: Actor, db: Database, engine: SyncEngine) -> AppContext:
    return AppContext(
        db=db, settings=Settings.at(tmp / "settings.ini"), actor=actor, sync=EngineStatus(engine)
    )


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
    _keyring_for_demo()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        os.environ["INSTDESK_DATA_DIR"] = str(tmp)
        db_path = tmp / "demo.sqlite3"
        actor = ensure_demo_database(db_path, STUDENTS)
        db = Database.open(db_path)
        institution = get_institution(db)
        collect_notices(db)  # what the demo starts with is not news
        with platform_server(tmp, institution.uscc, institution.name) as (url, _server):
            engine = SyncEngine(db, url)
            engine.login(institution.uscc, DEMO_PASSWORD)
            sync_until_decided(engine, db)
            shoot(demo_context(tmp, actor, db, engine), tmp)
            engine.close()
        db.close()
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
