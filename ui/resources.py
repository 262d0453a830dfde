"""Where the app's resources are: ``resources/`` of the source tree, or of a frozen (PyInstaller) build."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def i18n_dir() -> Path:
    """The committed ``.ts`` sources and the ``.qm`` files built from them (gitignored)."""
    return resources_dir() / "i18n"
