"""Translations: every visible string goes through ``tr()``; Chinese source strings are the default.

``tr("今日课程")`` looks the Chinese text up in the ``InstDesk`` context of the installed translator (English
when the language is ``en``), and formats ``{name}`` parameters afterwards. Strings must be literals so
``scripts/update_ts.py`` can find them. Error messages of the core are translated by code in ``ui.errors``
through the ``errors`` context. ``install_translators`` also loads Qt's own ``qtbase_*`` catalogue.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ui.resources import i18n_dir

CONTEXT = "InstDesk"
ERRORS_CONTEXT = "errors"
LANGUAGES = {"zh_CN": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"
log = logging.getLogger("ui.i18n")

_installed: list[QTranslator] = []

#: Strings of Qt's own file dialog that ``qtbase_zh_CN`` (Qt 6) lacks: the labels gained an ``&`` shortcut
#: after the catalogue was last translated, so the dialog showed "Look in" and "Files of type" in English.
QT_ZH_CN_GAPS: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QFileSystemModel", "Computer"): "计算机",
    ("QFileDialog", "Computer"): "计算机",
}


class GapTranslator(QTranslator):
    """Fills in the few Qt strings ``qtbase_zh_CN`` misses (``QT_ZH_CN_GAPS``); everything else falls
    through to the other installed translators."""

    def isEmpty(self) -> bool:  # Qt's name
        return False

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None is Qt's null string ("no translation here"); an empty string would blank every text
        return QT_ZH_CN_GAPS.get((context, source))


# (context, source) → translation. Table models call tr() for every painted cell; a lookup through the
# installed translators costs far more than a dict hit. Cleared whenever the translators change.
_cache: dict[tuple[str, str], str] = {}


def tr(text: str, **params: Any) -> str:
    """The translation of a Chinese literal, with ``{name}`` parameters filled in."""
    translated = translate(CONTEXT, text)
    return translated.format(**params) if params else translated


def translate(context: str, text: str) -> str:
    key = (context, text)
    found = _cache.get(key)
    if found is None:
        found = QCoreApplication.translate(context, text)
        if QCoreApplication.instance() is not None:  # no translator can be installed before the app
            _cache[key] = found
    return found


def clear_cache() -> None:
    _cache.clear()


def qm_path(language: str) -> str:
    return str(i18n_dir() / f"instdesk_{language}.qm")


def _load(translator: QTranslator, name: str, directory: str) -> bool:
    return translator.load(name, directory)


def ensure_compiled(language: str, directory: Path | None = None) -> None:
    """In a source checkout, compile ``instdesk_<language>.ts`` when its ``.qm`` is missing or older.

    ``make`` compiles the catalogues when it installs and before ``make run``, and the frozen build
    carries them (build.spec); this covers ``python -m instdesk gui`` straight after a clone or a pull that
    changed the ``.ts``. A frozen build has no ``.ts`` and is left alone.
    """
    folder = directory or i18n_dir()
    ts = folder / f"instdesk_{language}.ts"
    qm = ts.with_suffix(".qm")
    if getattr(sys, "frozen", False) or not ts.exists():
        return
    if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
        return
    from ui.i18n_catalog import build_qm

    try:
        build_qm(ts, qm)
    except (OSError, subprocess.CalledProcessError) as exc:
        log.warning("could not compile %s (%s): the interface stays in Chinese", ts.name, exc)


def install_translators(language: str) -> list[str]:
    """Install InstDesk's and Qt's catalogues for ``language``; returns what was loaded."""
    app = QCoreApplication.instance()
    clear_cache()
    if app is None:
        return []
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(QLocale(language))
    loaded: list[str] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_name = "qtbase_zh_CN" if language.startswith("zh") else f"qtbase_{language}"
    candidates = [] if language.startswith("en") else [(qt_name, qt_dir)]
    if language != DEFAULT_LANGUAGE:
        ensure_compiled(language)
        candidates.append((f"instdesk_{language}", str(i18n_dir())))
    if language.startswith("zh"):
        gaps = GapTranslator(app)
        app.installTranslator(gaps)
        _installed.append(gaps)
    for name, directory in candidates:
        translator = QTranslator(app)
        if _load(translator, name, directory):
            app.installTranslator(translator)
            _installed.append(translator)
            loaded.append(name)
        else:
            log.warning("translation %s not found in %s", name, directory)
    clear_cache()
    return loaded
