"""The benchmark database: 50,000 students and ~1,000,000 attendance rows, built once and cached.

Built with the demo generator (every row gets exactly the outbox op its capture trigger would write,
written in bulk per batch: ``app.demo.writer``) under ``bench/out/`` (gitignored). The data window is
fixed (``UNTIL``) so every run measures the same rows; the generation time is kept beside the file,
because a cached run cannot re-measure it.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path

from app.demo.generator import generate

OUT = Path(__file__).resolve().parent / "out"
STUDENTS = 50_000
SEED = 1
UNTIL = date(2026, 11, 27)
GENERATION_TARGET_S = 120.0


def database_path(students: int = STUDENTS, seed: int = SEED) -> Path:
    return OUT / f"bench-{students}-{seed}-{UNTIL:%Y%m}.sqlite3"


def ensure_database(
    students: int = STUDENTS, seed: int = SEED, rebuild: bool = False
) -> tuple[Path, dict[str, object]]:
    """The cached database and its generation summary (generating it first when missing)."""
    path = database_path(students, seed)
    meta = path.with_suffix(".json")
    if rebuild:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        meta.unlink(missing_ok=True)
    if path.exists() and meta.exists():
        return path, dict(json.loads(meta.read_text(encoding="utf-8")))
    OUT.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    summary = generate(path, students, seed, until=UNTIL, key=None)  # plain; --encrypted makes a copy
    data = asdict(summary)
    data["date_from"], data["date_to"] = str(summary.date_from), str(summary.date_to)
    meta.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path, data


def report(summary: dict[str, object]) -> str:
    counts = summary["counts"]
    assert isinstance(counts, dict)
    seconds = float(str(summary["seconds"]))
    verdict = "OK" if seconds <= GENERATION_TARGET_S else f"MISS by {seconds - GENERATION_TARGET_S:.1f} s"
    return (
        f"generation: {counts['student']} students, {counts['attendance']} attendance rows, "
        f"{summary['outbox_ops']} outbox ops in {seconds:.1f} s "
        f"(target ≤ {GENERATION_TARGET_S:.0f} s: {verdict}); "
        f"CPU {summary.get('cpu_seconds')} s; phases {summary['phases']}"
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path, summary = ensure_database(rebuild="--rebuild" in args)
    print(f"database: {path}")
    print(report(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
