"""The translation catalogue: which strings the app shows, and the ``.ts`` file that translates them.

Used by ``scripts/update_ts.py`` (refresh the committed ``.ts``), ``scripts/build_translations.py``
(``.ts`` → ``.qm`` with ``pyside6-lrelease``) and the tests that fail on an untranslated string.

Three contexts: ``InstDesk`` (every literal passed to ``tr()`` under ``ui/``), ``errors`` (every message
template the core registered with ``InstDeskError.register``) and ``labels`` (role, permission and
entity labels the core puts into error parameters).
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI_DIR = ROOT / "ui"
TS_FILE = ROOT / "resources" / "i18n" / "instdesk_en.ts"
QM_FILE = TS_FILE.with_suffix(".qm")
Catalogue = dict[tuple[str, str], str]  # (context, source) -> translation ("" = missing)


def ui_strings(directory: Path = UI_DIR) -> list[str]:
    """Every string literal passed as the first argument of ``tr(...)`` in the UI sources."""
    found: dict[str, None] = {}
    for path in sorted(directory.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found[node.args[0].value] = None
    return list(found)


def _import_all(package: str) -> None:
    module = importlib.import_module(package)
    for info in pkgutil.walk_packages(module.__path__, package + "."):
        if info.name.endswith(".__main__"):  # runs the command line when imported
            continue
        try:
            importlib.import_module(info.name)
        except ImportError as exc:  # a module another engineer is still writing
            print(f"i18n: skipped {info.name}: {exc}", file=sys.stderr)


def error_templates() -> list[str]:
    """Every message template the core, the sync engine and the command line registered."""
    from app.errors import InstDeskError

    for package in ("app", "sync", "instdesk"):
        _import_all(package)
    return sorted(set(InstDeskError.messages.values()))


def label_strings() -> list[str]:
    from app.permissions import PERMISSION_LABELS, ROLE_LABELS
    from app.services.labels import ENTITY_LABELS

    return sorted({*ROLE_LABELS.values(), *PERMISSION_LABELS.values(), *ENTITY_LABELS.values()})


def wanted() -> dict[str, list[str]]:
    return {"InstDesk": ui_strings(), "errors": error_templates(), "labels": label_strings()}


def read_ts(path: Path = TS_FILE) -> Catalogue:
    if not path.exists():
        return {}
    catalogue: Catalogue = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            node = message.find("translation")
            done = node is not None and node.get("type") not in ("unfinished", "obsolete")
            catalogue[(name, message.findtext("source") or "")] = (
                (node.text or "") if done and node is not None else ""
            )
    return catalogue


def write_ts(catalogue: Catalogue, order: dict[str, list[str]], path: Path = TS_FILE) -> None:
    root = ET.Element("TS", version="2.1", language="en_US", sourcelanguage="zh_CN")
    for context, sources in order.items():
        node = ET.SubElement(root, "context")
        ET.SubElement(node, "name").text = context
        for source in sources:
            message = ET.SubElement(node, "message")
            ET.SubElement(message, "source").text = source
            text = catalogue.get((context, source), "")
            translation = ET.SubElement(message, "translation")
            translation.text = text
            if not text:
                translation.set("type", "unfinished")
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def missing(catalogue: Catalogue, order: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(c, s) for c, sources in order.items() for s in sources if not catalogue.get((c, s))]


def lrelease_command() -> list[str]:
    beside = Path(sys.executable).parent / "pyside6-lrelease"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if found:
        return [found]
    import PySide6

    return [str(Path(PySide6.__file__).parent / "lrelease")]


def build_qm(ts: Path = TS_FILE, qm: Path = QM_FILE) -> Path:
    """Compile ``ts`` into ``qm`` (only when the ``.qm`` is missing or older)."""
    if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
        return qm
    subprocess.run([*lrelease_command(), "-silent", str(ts), "-qm", str(qm)], check=True)
    return qm
