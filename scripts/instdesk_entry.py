"""Entry script of the frozen app (build.spec): the ``instdesk`` command line, ``gui`` when no command."""

from __future__ import annotations

import sys

from instdesk.cli import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
