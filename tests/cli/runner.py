"""Run ``instdesk`` in-process and capture what it printed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from instdesk.cli import main


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def first_id(self) -> str:
        """The id a command printed first (output lines are ``id<TAB>text``)."""
        return self.out.splitlines()[0].split("\t")[0]


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> Result:
    code = main(["--db", str(db), *args])
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)
