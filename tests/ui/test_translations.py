"""Every visible string has an English translation, the .qm builds and loads, Qt's own catalogue too."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ui.i18n import install_translators, tr
from ui.i18n_catalog import missing, read_ts, wanted
from ui.messages import Message


def test_every_string_has_an_english_translation() -> None:
    gaps = missing(read_ts(), wanted())
    assert gaps == [], "untranslated (run scripts/update_ts.py and translate): " + repr(gaps[:10])


def test_english_is_loaded_and_chinese_is_the_default(shown: list[Message]) -> None:
    assert tr("学员") == "学员"
    loaded = install_translators("en")
    try:
        assert "instdesk_en" in loaded
        assert tr("学员") == "Student"
        assert tr("找到 {n} 名学员", n=3) == "3 students found"
        assert QCoreApplication.translate("QDialogButtonBox", "&Cancel")  # Qt's own catalogue answers
    finally:
        install_translators("zh_CN")
    assert tr("学员") == "学员"
