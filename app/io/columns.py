"""Which column of a roster holds which student field: the automatic mapping from the header names real
rosters use (``app.io.labels.HEADER_ALIASES``), shared by ``instdesk import students`` and the import
wizard, whose drop-downs may then change any of it.

A mapping is one entry per header cell: the canonical field (one of ``STUDENT_HEADERS``) or ``None`` for
a column that is not imported. Reading the file is ``app.io.reader``'s job; this module only looks at the
header cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.io import labels
from app.io.student_rows import RowProblem

Mapping = list[str | None]

UNKNOWN = "无法识别的列名（请使用导入模板中的列名）"
DUPLICATE = "列名重复"
MISSING = "缺少必需的列"


def _field(cell: str, has_guardian_name: bool, has_guardian_phone: bool) -> str:
    if labels.clean_header(cell) in labels.CONTACT_PHONE_HEADERS and has_guardian_name:
        return "手机号" if has_guardian_phone else "监护人手机"
    return labels.canonical_header(cell)


def auto_mapping(header: Sequence[str]) -> Mapping:
    """The field of each header cell, or ``None`` for an unknown, empty or repeated one."""
    named = {labels.canonical_header(cell) for cell in header}
    guardian_name, guardian_phone = "监护人姓名" in named, "监护人手机" in named
    mapping: Mapping = []
    for cell in header:
        field = _field(cell, guardian_name, guardian_phone)
        known = field in labels.STUDENT_HEADERS and field not in mapping
        mapping.append(field if known else None)
    return mapping


def header_problems(header: Sequence[str]) -> list[RowProblem]:
    """What the command line refuses in a header: unknown and repeated names (the wizard lets the user
    choose instead)."""
    problems = []
    for cell, field in zip(header, auto_mapping(header), strict=True):
        name = labels.canonical_header(cell)
        if field is None and name:
            reason = DUPLICATE if name in labels.STUDENT_HEADERS else UNKNOWN
            problems.append(RowProblem(1, cell, reason))
    return problems


def mapping_problems(header: Sequence[str], mapping: Sequence[str | None]) -> list[RowProblem]:
    """A chosen mapping's problems: a field chosen for two columns, a required field chosen for none."""
    problems = []
    seen: set[str] = set()
    for cell, field in zip(header, mapping, strict=False):
        if field is not None and field in seen:
            problems.append(RowProblem(1, cell, DUPLICATE))
        elif field is not None:
            seen.add(field)
    problems += [RowProblem(1, name, MISSING) for name in labels.REQUIRED_HEADERS if name not in seen]
    return problems


def columns_of(mapping: Sequence[str | None]) -> dict[str, int]:
    """Field → column index (the first column chosen for it)."""
    columns: dict[str, int] = {}
    for index, field in enumerate(mapping):
        if field is not None:
            columns.setdefault(field, index)
    return columns


@dataclass(frozen=True)
class RosterPreview:
    """What the wizard shows before anything is checked: the header, its automatic mapping, the first rows
    (as text) and how many data rows there are."""

    header: tuple[str, ...]
    mapping: tuple[str | None, ...]
    rows: tuple[tuple[str, ...], ...]
    total_rows: int


def preview(
    header: Sequence[str], rows: Sequence[tuple[int, Sequence[object]]], count: int = 8
) -> RosterPreview:
    def text(cell: object) -> str:
        return "" if cell is None else str(cell)

    first = tuple(tuple(text(c) for c in cells) for _n, cells in rows[:count])
    return RosterPreview(tuple(header), tuple(auto_mapping(header)), first, len(rows))
