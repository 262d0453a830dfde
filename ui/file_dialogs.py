"""Save dialogs that speak Chinese and start in the user's Documents folder with a Chinese default name.

Qt's own dialog (not the platform's) is used so that the ``qtbase_zh_CN`` catalogue applies everywhere,
including a headless desktop with no platform theme; ``ui.i18n`` adds the few strings that catalogue misses.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from ui.documents import documents_dir
from ui.i18n import tr


def save_dialog(parent: QWidget | None, title: str, default_name: str, name_filter: str) -> QFileDialog:
    """A configured, not yet shown save dialog (tests drive it; ``ask_save_path`` shows it)."""
    dialog = QFileDialog(parent, title, str(documents_dir() / default_name), name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, tr("保存"))
    dialog.setLabelText(QFileDialog.DialogLabel.Reject, tr("取消"))
    dialog.selectFile(default_name)
    suffix = Path(default_name).suffix.lstrip(".")
    if suffix:
        dialog.setDefaultSuffix(suffix)
    dialog.filterSelected.connect(lambda chosen: _follow_filter(dialog, chosen))
    return dialog


def _follow_filter(dialog: QFileDialog, name_filter: str) -> None:
    """Choosing "CSV (*.csv)" makes a typed name without extension a .csv, and renames the default."""
    found = re.search(r"\*\.(\w+)", name_filter)
    if not found:
        return
    suffix = found.group(1)
    dialog.setDefaultSuffix(suffix)
    typed = dialog.selectedFiles()
    if typed:
        dialog.selectFile(Path(typed[0]).with_suffix("." + suffix).name)


def ask_save_path(parent: QWidget | None, title: str, default_name: str, name_filter: str) -> Path | None:
    """Ask where to save; ``None`` when the user cancels."""
    dialog = save_dialog(parent, title, default_name, name_filter)
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])
