"""``python -m app``: the same entry point as the ``instdesk`` console script."""

from __future__ import annotations

import sys

from app.cli import main

sys.exit(main())
