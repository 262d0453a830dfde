"""`make run`: demo data, the bundled platform server on a loopback port, the app signed in.

Same as ``python -m instdesk gui --demo``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from instdesk.demo import run_demo

if __name__ == "__main__":
    raise SystemExit(run_demo())
