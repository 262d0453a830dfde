"""Identifiers and personal fields: check digits of GB 32100 and GB 11643, masking, mobiles, names."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.validators import (
    USCC_CHARSET,
    IdCardInfo,
    make_id_number,
    make_uscc,
    mask_id_number,
    validate_id_number,
    validate_mobile,
    validate_name,
    validate_uscc,
)

VALID_USCC = "91350100M000100Y43"
TODAY = date(2026, 6, 1)


def test_valid_uscc_example() -> None:
    assert validate_uscc(VALID_USCC) == VALID_USCC
    assert validate_uscc(" 91350100m000100y43 ") == VALID_USCC
    assert validate_uscc("９１350100M000100Y43") == VALID_USCC  # full-width digits


def test_uscc_wrong_check_char_names_the_expected_one() -> None:
    with pytest.raises(ValidationError) as info:
        validate_uscc("91350100M000100Y44")
    assert info.value.code == "uscc.checksum"
    assert info.value.params == {"expected": "3", "actual": "4"}
    assert "3" in str(info.value)


@pytest.mark.parametrize("position", range(17))
def test_uscc_single_wrong_character_is_caught(position: int) -> None:
    char = VALID_USCC[position]
    replacement = USCC_CHARSET[(USCC_CHARSET.index(char) + 1) % 31]
    wrong = VALID_USCC[:position] + replacement + VALID_USCC[position + 1 :]
    with pytest.raises(ValidationError) as info:
        validate_uscc(wrong)
    assert info.value.code == "uscc.checksum"


@pytest.mark.parametrize(
    ("code", "length"), [("91350100M000100Y4", 17), ("91350100M000100Y433", 19), ("", 0)]
)
def test_uscc_length(code: str, length: int) -> None:
    with pytest.raises(ValidationError) as info:
        validate_uscc(code)
    assert info.value.code == "uscc.length"
    assert info.value.params["length"] == length


@pytest.mark.parametrize(("bad", "char"), [("I", "I"), ("O", "O"), ("S", "S"), ("V", "V"), ("Z", "Z")])
def test_uscc_charset(bad: str, char: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_uscc("91350100" + bad + "000100Y43")
    assert info.value.code == "uscc.charset"
    assert info.value.params == {"position": 9, "char": char}


@given(st.text(alphabet=USCC_CHARSET, min_size=17, max_size=17))
def test_make_uscc_round_trips(prefix: str) -> None:
    code = make_uscc(prefix)
    assert code[:17] == prefix
    assert validate_uscc(code) == code
    assert make_uscc("91350100M000100Y4") == VALID_USCC


def test_make_uscc_refuses_bad_prefix() -> None:
    with pytest.raises(ValidationError):
        make_uscc("123")
    with pytest.raises(ValidationError):
        make_uscc("91350100I000100Y4")


@pytest.mark.parametrize(
    ("number", "info"),
    [
        ("11010519491231002X", IdCardInfo("11010519491231002X", date(1949, 12, 31), "F", "110105")),
        ("11010519491231002x", IdCardInfo("11010519491231002X", date(1949, 12, 31), "F", "110105")),
        ("440524188001010014", IdCardInfo("440524188001010014", date(1880, 1, 1), "M", "440524")),
    ],
)
def test_valid_id_numbers(number: str, info: IdCardInfo) -> None:
    assert validate_id_number(number, today=TODAY) == info


@pytest.mark.parametrize("position", range(17))
def test_id_single_wrong_digit_is_caught(position: int) -> None:
    good = "440524188001010014"
    digit = str((int(good[position]) + 1) % 10)
    wrong = good[:position] + digit + good[position + 1 :]
    with pytest.raises(ValidationError) as info:
        validate_id_number(wrong, today=TODAY)
    assert info.value.code in {"id_number.checksum", "id_number.birth_date", "id_number.format"}


def test_id_checksum_names_expected() -> None:
    with pytest.raises(ValidationError) as info:
        validate_id_number("110105194912310021", today=TODAY)
    assert info.value.code == "id_number.checksum"
    assert info.value.params == {"expected": "X", "actual": "1"}


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("11010519491231002", "id_number.length"),
        ("110105194912310", "id_number.length"),  # the obsolete 15-digit form
        ("1101051949123100XX", "id_number.format"),
        ("A1010519491231002X", "id_number.format"),
        ("01010519491231002X", "id_number.format"),
        ("110105194902300021", "id_number.birth_date"),  # 30 February
        ("110105203001010021", "id_number.birth_date"),  # in the future
        ("110105170001010021", "id_number.birth_date"),
    ],
)
def test_id_number_errors(number: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_id_number(number, today=TODAY)
    assert info.value.code == code


@given(
    st.integers(min_value=110000, max_value=829999),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.integers(min_value=0, max_value=999),
)
def test_make_id_number_round_trips(area: int, birth: date, seq: int) -> None:
    number = make_id_number(str(area), birth, seq)
    info = validate_id_number(number, today=TODAY)
    assert info.number == number
    assert info.birth_date == birth
    assert info.area_code == str(area)
    assert info.gender == ("M" if seq % 2 else "F")


def test_make_id_number_refuses_bad_parts() -> None:
    with pytest.raises(ValidationError):
        make_id_number("11010", date(2015, 1, 1), 1)
    with pytest.raises(ValidationError):
        make_id_number("110105", date(2015, 1, 1), 1000)
    assert make_id_number("110105", date(1949, 12, 31), 2) == "11010519491231002X"


def test_mask_id_number() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number("11010519491231002x") == "110105********002X"
    assert mask_id_number("12345") == "*****"
    assert mask_id_number("") == ""


@given(st.text(alphabet="0123456789X", min_size=11, max_size=30))
def test_mask_keeps_only_first_six_and_last_four(text: str) -> None:
    masked = mask_id_number(text)
    assert len(masked) == len(text)
    assert masked[:6] == text[:6] and masked[-4:] == text[-4:]
    assert set(masked[6:-4]) == {"*"}


@pytest.mark.parametrize(
    "text",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "008613812345678",
        "8613812345678",
        "19912345678",
        "１３８１２３４５６７８",
    ],
)
def test_mobile_accepted(text: str) -> None:
    assert validate_mobile(text)[-4:] == "5678"
    assert len(validate_mobile(text)) == 11


@pytest.mark.parametrize(
    "text", ["12812345678", "1381234567", "138123456789", "10012345678", "", "abc", "+1 4155552671"]
)
def test_mobile_rejected(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_mobile(text)
    assert info.value.code == "mobile.invalid"


def test_validate_name() -> None:
    assert validate_name("  张三 ", "学生姓名") == "张三"
    assert validate_name("买买提·艾力", "学生姓名") == "买买提·艾力"
    assert validate_name("x" * 50, "姓名") == "x" * 50
    cases = [
        ("", "name.empty"),
        ("   ", "name.empty"),
        ("x" * 51, "name.too_long"),
        ("张\x00三", "name.invalid_chars"),
        ("张\n三", "name.invalid_chars"),
        ("张\u200b三", "name.invalid_chars"),
    ]
    for text, code in cases:
        with pytest.raises(ValidationError) as info:
            validate_name(text, "学生姓名")
        assert info.value.code == code
        assert info.value.params["field"] == "学生姓名"
        assert "学生姓名" in str(info.value)
