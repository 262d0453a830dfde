"""Entry script of the frozen app: ``instdesk`` with the full CLI when it exists, else the GUI command."""

from __future__ import annotations

import sys


def main() -> int:
    try:
        from app.cli import main as cli_main
    except ImportError:
        from app.cli_gui import main as gui_main

        return gui_main(sys.argv[1:])
    return int(cli_main(sys.argv[1:]) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
