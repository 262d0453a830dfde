"""Validators for identifiers and personal fields, with the check-digit arithmetic of the standards.

统一社会信用代码 follows GB 32100-2015 and 公民身份号码 GB 11643-1999 (weights and check characters as in
docs/domain.md). Each validator normalises what a person may reasonably type (spaces, full-width characters,
lower-case x) and returns the canonical form, or raises a ``ValidationError`` whose code says which part
is wrong and whose parameters carry what was expected.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from app.errors import InstDeskError, ValidationError

MESSAGES: dict[str, str] = {
    "uscc.length": "统一社会信用代码应为18位，当前为{length}位",
    "uscc.charset": "统一社会信用代码第{position}位含有无效字符“{char}”",
    "uscc.checksum": "统一社会信用代码校验位错误：应为“{expected}”，实际为“{actual}”",
    "id_number.length": "身份证号码应为18位，当前为{length}位",
    "id_number.format": "身份证号码格式不正确：前17位应为数字，最后一位为数字或X",
    "id_number.birth_date": "身份证号码中的出生日期无效：{birth}",
    "id_number.checksum": "身份证号码校验位错误：应为“{expected}”，实际为“{actual}”",
    "mobile.invalid": "手机号码不正确：应为11位中国大陆手机号",
    "name.empty": "{field}不能为空",
    "name.too_long": "{field}不能超过{max_length}个字符",
    "name.invalid_chars": "{field}含有控制字符",
    "name.formula_start": "{field}不能以“{char}”开头（表格软件会把它当作公式执行）",
}
InstDeskError.register(MESSAGES)

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
#: the earliest birth year accepted; the standard's own example (440524188001010014) is born in 1880
EARLIEST_BIRTH_YEAR = 1850
NAME_MAX_LENGTH = 50
#: first characters that make Excel, WPS and LibreOffice read a cell as a formula (CSV injection); a name
#: starting with one would run as a formula when an export is opened, so names may not (docs/file-safety.md)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Gender = Literal["M", "F"]


def _fold(text: str) -> str:
    """Full-width to half-width, upper-case, without the spaces people paste in."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()


def _require_str(value: Any, code: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(code, length=0, text=repr(value))
    return value


# --- 统一社会信用代码 -------------------------------------------------------------------------------


def uscc_check_char(prefix17: str) -> str:
    """The 18th character of a 统一社会信用代码 for its first 17 (already valid) characters."""
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(prefix17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def _check_uscc_charset(code: str) -> None:
    for position, char in enumerate(code, start=1):
        if char not in USCC_CHARSET:
            raise ValidationError("uscc.charset", position=position, char=char)


def validate_uscc(code: str) -> str:
    """Return the normalised (upper-case) code if its length, characters and check character are right."""
    folded = _fold(_require_str(code, "uscc.length"))
    if len(folded) != 18:
        raise ValidationError("uscc.length", length=len(folded))
    _check_uscc_charset(folded)
    expected = uscc_check_char(folded[:17])
    if folded[17] != expected:
        raise ValidationError("uscc.checksum", expected=expected, actual=folded[17])
    return folded


def make_uscc(prefix17: str) -> str:
    """Complete 17 characters with their check character (for demo data and tests)."""
    folded = _fold(prefix17)
    if len(folded) != 17:
        raise ValidationError("uscc.length", length=len(folded))
    _check_uscc_charset(folded)
    return folded + uscc_check_char(folded)


# --- 公民身份号码 -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IdCardInfo:
    """What an 18-digit 身份证号码 tells: the number itself, birth date, gender and area code."""

    number: str
    birth_date: date
    gender: Gender
    area_code: str


def id_check_char(prefix17: str) -> str:
    """The 18th character of an ID number for its first 17 digits."""
    total = sum(int(c) * w for c, w in zip(prefix17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def _birth_date(number: str, today: date | None) -> date:
    text = number[6:14]
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError as exc:
        raise ValidationError("id_number.birth_date", birth=text) from exc
    if born.year < EARLIEST_BIRTH_YEAR or born > (today or date.today()):
        raise ValidationError("id_number.birth_date", birth=text)
    return born


def validate_id_number(text: str, *, today: date | None = None) -> IdCardInfo:
    """Validate an 18-digit ID number (GB 11643) and derive birth date and gender from it.

    A lower-case ``x`` is accepted and returned upper-case. ``today`` bounds the birth date (injectable so
    tests do not depend on the clock).
    """
    number = _fold(_require_str(text, "id_number.length"))
    if len(number) != 18:
        raise ValidationError("id_number.length", length=len(number))
    if not re.fullmatch(r"[1-9]\d{16}[\dX]", number):
        raise ValidationError("id_number.format")
    born = _birth_date(number, today)
    expected = id_check_char(number[:17])
    if number[17] != expected:
        raise ValidationError("id_number.checksum", expected=expected, actual=number[17])
    gender: Gender = "M" if int(number[16]) % 2 == 1 else "F"
    return IdCardInfo(number=number, birth_date=born, gender=gender, area_code=number[:6])


def make_id_number(area: str, birth: date, seq: int) -> str:
    """Build a valid ID number from a 6-digit area code, a birth date and a sequence 0–999.

    An odd sequence gives a man, an even one a woman, as in the standard.
    """
    if not re.fullmatch(r"[1-9]\d{5}", area):
        raise ValidationError("id_number.format")
    if isinstance(seq, bool) or not 0 <= seq <= 999:
        raise ValidationError("id_number.format")
    prefix = f"{area}{birth:%Y%m%d}{seq:03d}"
    return prefix + id_check_char(prefix)


def mask_id_number(text: str) -> str:
    """Hide the middle of an identity number: ``110105********002X`` (first 6 and last 4 kept).

    Anything too short to keep 10 characters and still hide something is masked completely.
    """
    number = _fold(text)
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


# --- mobile and names -------------------------------------------------------------------------------


def validate_mobile(text: str) -> str:
    """Return the 11-digit mainland mobile number, tolerating spaces, dashes and a +86/0086 prefix."""
    folded = re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", _require_str(text, "mobile.invalid")))
    for prefix in ("+86", "0086"):
        if folded.startswith(prefix):
            folded = folded[len(prefix) :]
            break
    else:
        if len(folded) == 13 and folded.startswith("86"):
            folded = folded[2:]
    if not re.fullmatch(r"1[3-9]\d{9}", folded):
        raise ValidationError("mobile.invalid")
    return folded


def validate_name(text: str, field: str) -> str:
    """Return the stripped name (1–50 characters, no control characters, not starting like a formula);
    ``field`` names it in errors."""
    if not isinstance(text, str) or not text.strip():
        raise ValidationError("name.empty", field=field)
    name = text.strip()
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError("name.too_long", field=field, max_length=NAME_MAX_LENGTH)
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name):
        raise ValidationError("name.invalid_chars", field=field)
    if name.startswith(FORMULA_START):
        raise ValidationError("name.formula_start", field=field, char=name[0])
    return name
