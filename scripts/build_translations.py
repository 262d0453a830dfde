"""Build the .qm files from the committed .ts files with pyside6-lrelease (build and test time)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ui.i18n_catalog import build_qm

if __name__ == "__main__":
    print(build_qm())
