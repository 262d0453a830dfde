"""导入学员 Roster import wizard: pick a ``.xlsx``/``.csv`` → see its first rows with each column's field
guessed from its header (监护人, 家长, 联系电话, 学生姓名, 身份证号码 …) and fix any with a drop-down → the
per-row report (nothing written) → the import, all or nothing, with a progress bar and a cancel.

The file is read once (``app.io.reader``); the mapping is ``app.io.columns``'s, the same one
``instdesk import students`` uses; the report and the import are ``check_sheet`` / ``import_sheet``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.errors import InstDeskError
from app.io.columns import RosterPreview, mapping_problems, preview
from app.io.importer import ImportReport, Progress, check_sheet, import_sheet
from app.io.labels import STUDENT_HEADERS
from app.io.reader import Sheet, read_sheet
from app.io.student_rows import RowProblem
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.errors import error_text
from ui.i18n import tr
from ui.messages import info
from ui.models.codes import WARN
from ui.models.paged import Column, PagedTableModel
from ui.ops import Op, call_in_gui
from ui.qt_compat import emit
from ui.widgets.field_errors import error_label
from ui.widgets.roster_view import configure_table

IMPORT_CHANGES = Changes.of(Entity.STUDENT, Entity.GUARDIAN)
PREVIEW_ROWS = 8
COMBO_WIDTH = 130
FIELD_LABELS = {
    "姓名": lambda: tr("姓名"),
    "性别": lambda: tr("性别"),
    "出生日期": lambda: tr("出生日期"),
    "证件类型": lambda: tr("证件类型"),
    "证件号码": lambda: tr("证件号码"),
    "学校": lambda: tr("学校"),
    "年级": lambda: tr("年级"),
    "学段": lambda: tr("学段"),
    "手机号": lambda: tr("手机号"),
    "卡号": lambda: tr("卡号"),
    "监护人姓名": lambda: tr("监护人姓名"),
    "监护人关系": lambda: tr("监护人关系"),
    "监护人手机": lambda: tr("监护人手机"),
}


def problems_model() -> PagedTableModel[RowProblem]:
    columns: list[Column[RowProblem]] = [
        Column(tr("行"), lambda p: str(p.row)),
        Column(tr("列"), lambda p: FIELD_LABELS[p.column]() if p.column in FIELD_LABELS else p.column),
        Column(tr("原因"), lambda p: p.reason),
    ]
    return PagedTableModel(columns)


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(tr("选择文件"))
        self.setSubTitle(tr("Excel（.xlsx，第一个工作表）或 CSV 文件，第一行为列名。"))
        self.path = QLineEdit()
        self.path.setPlaceholderText(tr("学员名单.xlsx"))
        self.path.textChanged.connect(lambda _t: emit(self.completeChanged))
        browse = QPushButton(tr("浏览…"))
        browse.clicked.connect(self.browse)
        self.error = error_label()
        line = QHBoxLayout()
        line.addWidget(self.path, 1)
        line.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(line)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def browse(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, tr("选择学员名单"), "", tr("表格 (*.xlsx *.csv)"))
        if name:
            self.path.setText(name)

    def isComplete(self) -> bool:
        return bool(self.path.text().strip())

    def validatePage(self) -> bool:
        return self.w.read(self.path.text().strip())

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))


class MapPage(QWizardPage):
    """The first rows under their headers, with each column's field chosen in a drop-down above it."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(tr("核对列"))
        self.setSubTitle(tr("已按列名自动对应字段；如有不对，请在每列上方的下拉框中更改。"))
        self.table = QTableWidget()
        self.combos: list[QComboBox] = []
        self.count = QLabel("")
        self.problem = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)

    def show_preview(self, shown: RosterPreview) -> None:
        self.count.setText(tr("共 {n} 行学员数据，下面是前 {k} 行：", n=shown.total_rows, k=len(shown.rows)))
        self.table.clear()
        self.table.setColumnCount(len(shown.header))
        self.table.setRowCount(len(shown.rows) + 1)
        self.table.setHorizontalHeaderLabels(list(shown.header))
        self.table.setVerticalHeaderLabels([tr("字段"), *[str(i + 2) for i in range(len(shown.rows))]])
        self.combos = []
        for column, field in enumerate(shown.mapping):
            combo = QComboBox()
            combo.addItem(tr("（不导入）"), None)
            for name in STUDENT_HEADERS:
                combo.addItem(FIELD_LABELS[name](), name)
            combo.setCurrentIndex(max(combo.findData(field), 0))
            combo.currentIndexChanged.connect(self.check)
            self.table.setCellWidget(0, column, combo)
            self.combos.append(combo)
        for row, cells in enumerate(shown.rows, start=1):
            for column, text in enumerate(cells[: len(shown.header)]):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        for column in range(len(self.combos)):  # the field names in the drop-downs must fit too
            self.table.setColumnWidth(column, max(self.table.columnWidth(column), COMBO_WIDTH))
        self.check()

    def mapping(self) -> list[str | None]:
        return [combo.currentData() for combo in self.combos]

    def problems(self) -> list[RowProblem]:
        return mapping_problems(self.w.header(), self.mapping())

    def check(self) -> None:
        texts = []
        for found in self.problems():
            name = FIELD_LABELS[found.column]() if found.column in FIELD_LABELS else found.column
            if found.reason == "缺少必需的列":
                texts.append(tr("请为“{field}”选择一列", field=name))
            else:
                texts.append(tr("列“{column}”与另一列对应了同一个字段", column=name))
        self.problem.setText("\n".join(texts))
        self.problem.setVisible(bool(texts))
        emit(self.completeChanged)

    def isComplete(self) -> bool:
        return bool(self.combos) and not self.problems()


class ReportPage(QWizardPage):
    """Every row checked, nothing written yet: the problems, the rows skipped as already on file."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(tr("检查结果"))
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.model = problems_model()
        self.view = QTableView()
        configure_table(self.view)
        self.view.setModel(self.model)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)

    def initializePage(self) -> None:
        self.summary.setText(tr("正在检查每一行…"))
        self.model.set_rows([])
        self.w.run_check()

    def show_report(self, report: ImportReport) -> None:
        if report.problems:
            self.summary.setText(
                tr(
                    "发现 {n} 处错误，不能导入。请改正文件后重新选择（一个学员也不会导入）。",
                    n=len(report.problems),
                )
            )
            self.summary.setStyleSheet(f"color: {WARN};")
        else:
            self.summary.setText(
                tr(
                    "全部有效：将导入 {n} 名学员；{k} 名已在系统中，将跳过（见下表）。",
                    n=report.imported,
                    k=len(report.skipped),
                )
            )
            self.summary.setStyleSheet("")
        self.model.set_rows([*report.problems, *report.skipped])
        emit(self.completeChanged)

    def isComplete(self) -> bool:
        report = self.w.report
        return report is not None and report.ok and report.imported > 0


class ImportPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(tr("导入"))
        self.bar = QProgressBar()
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.bar.setValue(0)
        self.w.run_import()

    def isComplete(self) -> bool:
        return self.w.imported is not None


class ImportWizard(QWizard):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sheet: Sheet | None = None
        self.sheet_path = ""
        self.report: ImportReport | None = None
        self.imported: ImportReport | None = None
        self.running: Op[ImportReport] | None = None
        self.setWindowTitle(tr("导入学员"))
        self.file_page, self.map_page = FilePage(self), MapPage(self)
        self.report_page, self.import_page = ReportPage(self), ImportPage(self)
        for page in (self.file_page, self.map_page, self.report_page, self.import_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.NextButton, tr("下一步"))
        self.setButtonText(QWizard.WizardButton.BackButton, tr("上一步"))
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("完成"))
        self.setButtonText(QWizard.WizardButton.CancelButton, tr("取消"))
        self.setButtonText(QWizard.WizardButton.CommitButton, tr("开始导入"))
        self.report_page.setCommitPage(True)
        self.resize(820, 600)

    def header(self) -> list[str]:
        return self.sheet.header if self.sheet is not None else []

    # --- reading the file --------------------------------------------------------------------------------
    def read(self, path: str) -> bool:
        """True when ``path`` has been read; otherwise starts reading it and moves on when done."""
        if self.sheet is not None and path == self.sheet_path:
            return True
        self.sheet = None
        self.file_page.show_error("")
        op = Op(lambda: read_sheet(path)).with_progress(tr("正在读取文件…"), self)
        op.success(lambda sheet: self._read(path, sheet)).failure(self._unreadable).run()
        return False

    def _read(self, path: str, sheet: Sheet) -> None:
        if not sheet.header:
            self.file_page.show_error(tr("文件为空"))
            return
        self.sheet, self.sheet_path = sheet, path
        self.map_page.show_preview(preview(sheet.header, sheet.rows, PREVIEW_ROWS))
        QTimer.singleShot(0, self.next)

    def _unreadable(self, exc: BaseException) -> None:
        if not isinstance(exc, InstDeskError):
            from ui.messages import show_exception

            show_exception(exc)
            return
        self.file_page.show_error(error_text(exc))

    # --- the report and the import ----------------------------------------------------------------------
    def run_check(self) -> None:
        sheet, mapping = self.sheet, self.map_page.mapping()
        if sheet is None:
            return
        self.report = None
        db, actor, today = self.ctx.db, self.ctx.require_actor(), self.ctx.today()
        op = Op(lambda: check_sheet(db, actor, sheet, mapping, today=today))
        op.with_progress(tr("正在检查…"), self).success(self._checked).run()

    def _checked(self, report: ImportReport) -> None:
        self.report = report
        self.report_page.show_report(report)

    def run_import(self) -> None:
        sheet, mapping = self.sheet, self.map_page.mapping()
        if sheet is None or self.running is not None:
            return
        db, actor, today = self.ctx.db, self.ctx.require_actor(), self.ctx.today()
        bar, status = self.import_page.bar, self.import_page.status
        status.setText(tr("正在导入…"))

        def step(phase: str, done: int, total: int) -> None:
            share = done * 50 // max(total, 1) + (50 if phase == "write" else 0)
            call_in_gui(lambda: bar.setValue(share))

        def work() -> ImportReport:  # ``op`` is the Op below: the progress polls its cancel event
            progress = Progress(step, op.cancel_event.is_set)
            return import_sheet(
                db, actor, sheet, mapping, source=Path(self.sheet_path).name, today=today, progress=progress
            )

        op = Op(work)
        op.success(self._imported).failure(self._failed).cancelled(self._cancelled).announce(IMPORT_CHANGES)
        self.running = op
        op.run()

    def _imported(self, report: ImportReport) -> None:
        self.running = None
        if not report.ok:  # the database changed since the check (another desk): nothing was imported
            self.import_page.status.setText(tr("未导入：{n} 处错误", n=len(report.problems)))
            self.report_page.show_report(report)
            return
        self.imported = report
        self.import_page.bar.setValue(100)
        text = tr(
            "已导入 {n} 名学员，跳过 {k} 名已在系统中的学员。", n=report.imported, k=len(report.skipped)
        )
        self.import_page.status.setText(text)
        info(text)
        emit(self.import_page.completeChanged)

    def _failed(self, exc: BaseException) -> None:
        self.running = None
        if isinstance(exc, InstDeskError):
            self.import_page.status.setText(error_text(exc))
            return
        from ui.messages import show_exception

        show_exception(exc)

    def _cancelled(self) -> None:
        self.running = None
        self.import_page.bar.setValue(0)
        self.import_page.status.setText(tr("已取消导入，未导入任何学员"))

    def reject(self) -> None:
        """Cancel while importing stops the import (nothing is kept); otherwise closes."""
        if self.running is not None:
            self.running.cancel()
            return
        super().reject()
