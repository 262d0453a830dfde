"""Refresh resources/i18n/instdesk_en.ts from the sources; keep existing translations.

python scripts/update_ts.py                 # add new strings as unfinished, drop vanished ones
python scripts/update_ts.py --import x.json # also take translations from {"context": {"源": "target"}}
python scripts/update_ts.py --check         # exit 1 if a string lacks an English translation
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ui.i18n_catalog import TS_FILE, missing, read_ts, wanted, write_ts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--import", dest="source", type=Path)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    order = wanted()
    catalogue = read_ts()
    if args.source:
        for context, pairs in json.loads(args.source.read_text(encoding="utf-8")).items():
            catalogue.update({(context, s): t for s, t in pairs.items() if t})
    if not args.check:
        write_ts(catalogue, order)
    gaps = missing(catalogue, order)
    for context, source in gaps:
        print(f"untranslated [{context}] {source}")
    print(f"{TS_FILE}: {sum(len(v) for v in order.values())} strings, {len(gaps)} untranslated")
    return 1 if gaps and args.check else 0


if __name__ == "__main__":
    raise SystemExit(main())
