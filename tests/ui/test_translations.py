"""Every visible string has an English translation, the .qm builds and loads, Qt's own catalogue too."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from ui import i18n
from ui.i18n import install_translators, tr
from ui.i18n_catalog import TS_FILE, missing, read_ts, wanted
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


def test_english_works_in_a_fresh_checkout_without_a_compiled_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shown: list[Message]
) -> None:
    """``instdesk gui`` right after a clone (no .qm yet) or a pull that changed the .ts: compiled."""
    shutil.copyfile(TS_FILE, tmp_path / TS_FILE.name)
    monkeypatch.setattr(i18n, "i18n_dir", lambda: tmp_path)
    qm = tmp_path / "instdesk_en.qm"
    try:
        assert "instdesk_en" in install_translators("en") and tr("学员") == "Student"
        assert qm.stat().st_size > 0
        qm.write_bytes(b"stale")  # an old .qm (its .ts changed since): compiled again
        os.utime(qm, (1, 1))
        assert "instdesk_en" in install_translators("en") and tr("学员") == "Student"
        assert qm.read_bytes() != b"stale"
    finally:
        install_translators("zh_CN")
