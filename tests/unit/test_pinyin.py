"""Pinyin search keys: full pinyin and initials, surname readings, queries."""

from __future__ import annotations

import pytest
from pypinyin import Style, pinyin

from app.pinyin import COMPOUND_SURNAMES, SURNAME_READINGS, name_keys, normalise_query


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("张三", ("zhangsan", "zs")),
        ("单雄信", ("shanxiongxin", "sxx")),
        ("曾国藩", ("zengguofan", "zgf")),
        ("解缙", ("xiejin", "xj")),
        ("区小明", ("ouxiaoming", "oxm")),
        ("朴树", ("piaoshu", "ps")),
        ("仇英", ("qiuying", "qy")),
        ("尉迟恭", ("yuchigong", "ycg")),
        ("欧阳修", ("ouyangxiu", "oyx")),
        ("长孙无忌", ("zhangsunwuji", "zswj")),
        ("吕布", ("lvbu", "lb")),
        ("李乐乐", ("lilele", "lll")),
        ("Anna李", ("annali", "annal")),
        ("买买提·艾力", ("maimaitiaili", "mmtal")),
        (" 王 小二 ", ("wangxiaoer", "wxe")),
        ("王2", ("wang2", "w2")),
        ("", ("", "")),
    ],
)
def test_name_keys(name: str, keys: tuple[str, str]) -> None:
    assert name_keys(name) == keys


def test_only_the_leading_surname_gets_the_surname_reading() -> None:
    assert name_keys("王单")[0] == "wangdan"
    assert name_keys("单单")[0] == "shandan"


@pytest.mark.parametrize("char", sorted(SURNAME_READINGS))
def test_surname_readings_are_readings_pypinyin_knows(char: str) -> None:
    readings = pinyin(char, style=Style.NORMAL, heteronym=True)[0]
    assert SURNAME_READINGS[char] in readings


def test_compound_surnames_are_two_characters() -> None:
    assert all(len(surname) == 2 and len(readings) == 2 for surname, readings in COMPOUND_SURNAMES.items())


def test_normalise_query() -> None:
    assert normalise_query(" Zhang San ") == "zhangsan"
    assert normalise_query("ZS") == "zs"
    assert normalise_query("xi'an") == "xian"
    assert normalise_query("Lü") == "lv"
    assert normalise_query("张 三") == "张三"
    assert normalise_query("ｚｓ") == "zs"
    assert normalise_query("5678") == "5678"
