"""``python -m instdesk``: the same entry point as the ``instdesk`` console script."""

from __future__ import annotations

import sys

from instdesk.cli import main

sys.exit(main())
