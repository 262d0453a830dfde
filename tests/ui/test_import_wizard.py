"""导入学员 wizard on the real widgets: columns guessed from real roster headers and fixed by drop-down,
the per-row report refusing a bad file (nothing imported), the import with its progress bar, cancelling."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from localdb.models import Guardian, Student
from tests.ui.seed import Seed
from ui.context import AppContext
from ui.dialogs.import_wizard import ImportWizard
from ui.panels.students import StudentsPanel

HEADER = ["学生姓名", "身份证号码", "家长", "联系电话", "班级"]


def _xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def _students(seed: Seed) -> int:
    with seed.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(Student)) or 0)


def _open(qtbot: QtBot, ctx: AppContext) -> tuple[StudentsPanel, ImportWizard]:
    panel = StudentsPanel(ctx)
    qtbot.addWidget(panel)
    panel.activated()
    assert panel.import_button.isVisibleTo(panel)
    return panel, panel.open_import()  # the wizard is the panel's child: closed with it


def _choose(qtbot: QtBot, wizard: ImportWizard, path: Path) -> None:
    wizard.file_page.path.setText(str(path))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.map_page)


GOOD = [
    ["周一", "110105201503070013", "周父", "13900139000", "一班"],
    ["吴二", "", "吴母", "139 0013 9001", "二班"],
    ["郑三", "", "", "", "一班"],
]


def test_columns_are_guessed_fixed_checked_and_imported(
    qtbot: QtBot, ctx: AppContext, seed: Seed, tmp_path: Path
) -> None:
    panel, wizard = _open(qtbot, ctx)
    before = _students(seed)
    bad = GOOD + [["冯四", "110105201503070014", "冯父", "1390013", "三班"]]
    _choose(qtbot, wizard, _xlsx(tmp_path / "bad.xlsx", bad))
    page = wizard.map_page
    assert page.mapping() == ["姓名", "证件号码", "监护人姓名", "监护人手机", None]
    assert page.count.text() == "共 4 行学员数据，下面是前 4 行："
    first = page.table.item(1, 0)
    assert first is not None and first.text() == "周一" and page.combos[4].currentText() == "（不导入）"
    assert page.table.cellWidget(0, 4) is page.combos[4]
    page.combos[0].setCurrentIndex(0)  # 姓名 → not imported: refused until fixed
    assert not page.isComplete() and "请为“姓名”选择一列" in page.problem.text()
    page.combos[2].setCurrentIndex(page.combos[2].findData("姓名"))
    page.combos[0].setCurrentIndex(page.combos[0].findData("姓名"))
    assert "同一个字段" in page.problem.text() and not page.isComplete()
    page.combos[2].setCurrentIndex(page.combos[2].findData("监护人姓名"))
    assert page.isComplete()
    wizard.next()
    report = wizard.report_page
    assert wizard.currentPage() is report and not report.isComplete()
    assert "发现 2 处错误" in report.summary.text()
    cells = [[report.model.index(r, c).data() for c in range(3)] for r in range(report.model.rowCount())]
    assert cells[0][:2] == ["5", "证件号码"] and "校验位错误" in cells[0][2]
    assert cells[1][:2] == ["5", "监护人手机"]
    assert _students(seed) == before  # the check writes nothing
    wizard.back()
    wizard.back()
    _choose(qtbot, wizard, _xlsx(tmp_path / "good.xlsx", GOOD))
    wizard.next()
    assert report.isComplete() and "将导入 3 名学员" in report.summary.text()
    wizard.next()  # 开始导入
    assert wizard.imported is not None and wizard.imported.imported == 3
    assert wizard.import_page.bar.value() == 100 and "已导入 3 名学员" in wizard.import_page.status.text()
    assert _students(seed) == before + 3
    with seed.db.reading() as session:
        phones = session.scalars(select(Guardian.phone).join(Student).where(Student.name == "吴二")).all()
    assert phones == ["13900139001"]
    panel.search.setText("周一")
    assert panel.model.rowCount() == 1  # the list was told about the new students


def test_a_student_already_on_file_is_skipped_and_reported(
    qtbot: QtBot, ctx: AppContext, seed: Seed, tmp_path: Path
) -> None:
    panel, wizard = _open(qtbot, ctx)
    rows: list[list[object]] = [["张三", "", "张家长", "13900002000", ""], ["新生", "", "", "", ""]]
    _choose(qtbot, wizard, _xlsx(tmp_path / "again.xlsx", rows))
    wizard.next()
    report = wizard.report_page
    assert panel.import_wizard is wizard
    assert "将导入 1 名学员；1 名已在系统中" in report.summary.text()
    assert report.model.index(0, 2).data() == "同名且监护人手机相同的学员已在系统中"


def test_cancelling_the_import_keeps_nothing(
    qtbot: QtBot, ctx: AppContext, seed: Seed, tmp_path: Path
) -> None:
    panel, wizard = _open(qtbot, ctx)
    before = _students(seed)
    rows: list[list[object]] = [[f"学生{i}", "", "", "", ""] for i in range(5000)]
    _choose(qtbot, wizard, _xlsx(tmp_path / "many.xlsx", rows))
    wizard.next()
    bar = wizard.import_page.bar
    bar.valueChanged.connect(lambda value: wizard.reject() if value > 50 else None)  # Cancel mid-write
    wizard.next()
    assert wizard.imported is None and wizard.running is None
    assert wizard.import_page.status.text() == "已取消导入，未导入任何学员"
    assert _students(seed) == before and panel.import_wizard is wizard
