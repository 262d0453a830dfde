"""Validate one spreadsheet row of a student: every problem of the row, each with its column and reason.

Pure functions over cell values (no database), so the import can check every row before writing any and
report them all at once. Values are normalised the way the forms do (validators of ``app.validators``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from app.errors import InstDeskError
from app.io import labels
from app.pinyin import name_keys as _name_keys
from app.validators import validate_id_number, validate_mobile, validate_name


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One reason a row cannot be imported: spreadsheet row number, column header, Chinese reason."""

    row: int
    column: str
    reason: str


@dataclass
class StudentRow:
    """A valid row, ready to insert (SQL column names)."""

    row: int
    student: dict[str, Any] = field(default_factory=dict)
    guardian: dict[str, Any] | None = None


@cache
def name_keys(name: str) -> tuple[str, str]:
    """Pinyin keys, cached per name: the dictionary lookup dominates validation and names repeat."""
    return _name_keys(name)


class _Problem(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.reason = column, reason


def _text(value: object, column: str) -> str:
    """A cell as text; numbers as written (13800138000.0 → '13800138000'); formulas refused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise _Problem(column, "应为文本")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("="):
        raise _Problem(column, "单元格包含公式，请将其粘贴为数值后再导入")
    return text


def _date(value: object, column: str) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value, column)
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?", text)
    try:
        if match is None:
            raise ValueError(text)
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise _Problem(column, "日期格式不正确，应为 YYYY-MM-DD") from None


def _choice(value: object, column: str, table: dict[str, str]) -> str | None:
    text = _text(value, column)
    if not text:
        return None
    if text not in table:
        raise _Problem(column, f"取值“{text}”无效，可选：{'、'.join(table)}")
    return table[text]


def _check(fn: Any, column: str, *args: Any) -> Any:
    """Run a validator of ``app.validators``; its Chinese message becomes the reason for ``column``."""
    try:
        return fn(*args)
    except InstDeskError as exc:
        raise _Problem(column, exc.message) from None


def _identity(cells: dict[str, object], today: date) -> dict[str, Any]:
    number = _text(cells.get("证件号码"), "证件号码").upper()
    id_type = _choice(cells.get("证件类型"), "证件类型", labels.ID_TYPES) or "id_card"
    raw = cells.get("证件号码")
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raise _Problem("证件号码", "证件号码应以文本格式保存（数值格式会丢失末位数字）")
    gender = _choice(cells.get("性别"), "性别", labels.GENDERS)
    birth = _date(cells.get("出生日期"), "出生日期")
    if number and id_type == "id_card":
        info = _check(lambda: validate_id_number(number, today=today), "证件号码")
        if gender and gender != info.gender:
            raise _Problem("性别", "性别与身份证号码不一致")
        if birth and birth != info.birth_date:
            raise _Problem(
                "出生日期",
                f"出生日期{birth.isoformat()}与身份证号码中的出生日期{info.birth_date.isoformat()}不一致",
            )
        number, gender, birth = info.number, info.gender, info.birth_date
    return {"id_type": id_type, "id_number": number or None, "gender": gender, "birth_date": birth}


def _guardian(cells: dict[str, object]) -> dict[str, Any] | None:
    name = _text(cells.get("监护人姓名"), "监护人姓名")
    relation = _text(cells.get("监护人关系"), "监护人关系")
    phone = _text(cells.get("监护人手机"), "监护人手机")
    if not name:
        if phone or relation:
            raise _Problem("监护人姓名", "填写了监护人关系或手机时，监护人姓名不能为空")
        return None
    return {
        "name": _check(validate_name, "监护人姓名", name, "监护人姓名"),
        "relation": relation or None,
        "phone": _check(validate_mobile, "监护人手机", phone) if phone else None,
    }


def _attempt(problems: list[tuple[str, str]], fn: Any, *args: Any) -> Any:
    """Run one field's check; a problem is recorded (not raised) so every field gets looked at."""
    try:
        return fn(*args)
    except _Problem as exc:
        problems.append((exc.column, exc.reason))
        return None


def _name(cells: dict[str, object]) -> str:
    return str(_check(validate_name, "姓名", _text(cells.get("姓名"), "姓名"), "姓名"))


def _phone(cells: dict[str, object]) -> str | None:
    text = _text(cells.get("手机号"), "手机号")
    return str(_check(validate_mobile, "手机号", text)) if text else None


def _student(cells: dict[str, object], today: date, problems: list[tuple[str, str]]) -> dict[str, Any]:
    name = _attempt(problems, _name, cells) or ""
    identity = _attempt(problems, _identity, cells, today) or {}
    phone = _attempt(problems, _phone, cells)
    stage = _attempt(problems, _choice, cells.get("学段"), "学段", labels.STAGES)
    free = {key: _attempt(problems, _text, cells.get(col), col) or None for key, col in _FREE_TEXT}
    full, initials = name_keys(name) if name else ("", "")
    return {
        "name": name,
        "name_pinyin": full,
        "name_initials": initials,
        **identity,
        **free,
        "stage": stage,
        "phone": phone,
        "phone_rev": phone[::-1] if phone else None,
    }


_FREE_TEXT = (("school", "学校"), ("grade", "年级"), ("card_code", "卡号"))


def validate_row(
    row: int, cells: dict[str, object], today: date
) -> tuple[StudentRow | None, list[RowProblem]]:
    """The row ready to insert, or every problem found in it (one per column at most)."""
    found: list[tuple[str, str]] = []
    result = StudentRow(row)
    result.student = _student(cells, today, found)
    result.guardian = _attempt(found, _guardian, cells)
    problems = [RowProblem(row, column, reason) for column, reason in found]
    return (None if problems else result), problems
