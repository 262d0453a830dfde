"""Pinyin search keys for names, so the front desk finds 张三 by ``zhangsan`` or ``zs``.

Readings come from pypinyin. Its phrase dictionary reads many 多音字 as in ordinary words (单 dan,
曾 ceng, 解 jie), but a name starts with a surname, read by its surname reading (单 shan, 曾 zeng,
解 xie). pypinyin 0.55 has no surname style, so the first character (or a compound surname) is read from
the table below; each entry is one of pypinyin's own readings of that character (a test checks it).
Changing pypinyin's global dictionaries is avoided on purpose: it would change every other caller.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: surname readings of characters whose ordinary reading differs
SURNAME_READINGS: dict[str, str] = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "区": "ou",
    "朴": "piao",
    "仇": "qiu",
    "查": "zha",
    "翟": "zhai",
    "覃": "qin",
    "乐": "yue",
    "盖": "ge",
    "缪": "miao",
    "繁": "po",
    "召": "shao",
    "种": "chong",
    "秘": "bi",
    "员": "yun",
    "长": "chang",
    "重": "chong",
    "尉": "wei",
    "隗": "wei",
    "莘": "shen",
    "句": "gou",
    "冼": "xian",
    "宿": "su",
    "藏": "zang",
    "那": "na",
    "折": "she",
    "车": "che",
    "沈": "shen",
    "任": "ren",
    "华": "hua",
    "柏": "bai",
    "薄": "bo",
    "纪": "ji",
    "燕": "yan",
    "阚": "kan",
}

#: compound surnames whose reading must not come from the ordinary word
COMPOUND_SURNAMES: dict[str, tuple[str, str]] = {
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "长孙": ("zhang", "sun"),
    "单于": ("chan", "yu"),
    "澹台": ("tan", "tai"),
    "令狐": ("ling", "hu"),
    "欧阳": ("ou", "yang"),
    "上官": ("shang", "guan"),
    "司马": ("si", "ma"),
    "诸葛": ("zhu", "ge"),
    "皇甫": ("huang", "fu"),
    "夏侯": ("xia", "hou"),
    "宇文": ("yu", "wen"),
    "慕容": ("mu", "rong"),
    "公孙": ("gong", "sun"),
    "司徒": ("si", "tu"),
}

_NON_KEY = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


_SEGMENT = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")


def _surname_split(name: str) -> tuple[list[str], str]:
    """Split off the surname's syllables (when its reading is special) and return the rest of the name."""
    compound = COMPOUND_SURNAMES.get(name[:2])
    if compound is not None:
        return list(compound), name[2:]
    single = SURNAME_READINGS.get(name[:1])
    if single is not None:
        return [single], name[1:]
    return [], name


def _han_syllables(text: str, *, leading: bool) -> tuple[str, ...]:
    """Toneless readings of a run of Chinese characters; the name's leading run starts with the surname."""
    surname, rest = _surname_split(text) if leading else ([], text)
    return (*surname, *_readings(rest))


@lru_cache(maxsize=65_536)
def _readings(text: str) -> tuple[str, ...]:
    """pypinyin's readings of a run, cached: given names repeat (a roster import reads 50,000 names, and
    pypinyin's phrase lookup is most of the cost of validating a row)."""
    # imported here: loading pypinyin's dictionaries costs ~0.45 s, which start-up need not pay
    from pypinyin import Style, lazy_pinyin

    return tuple(s.lower() for s in lazy_pinyin(text, style=Style.NORMAL))


def _clean(part: str) -> str:
    """Only ASCII letters and digits survive (no spaces, dots or the ``·`` of transliterated names)."""
    return re.sub(r"[^0-9a-z]", "", part.lower())


def name_keys(name: str) -> tuple[str, str]:
    """Full pinyin and initials of a name: ``'张三'`` → ``('zhangsan', 'zs')``.

    Letters and digits in a name are kept lower-case and whole in both keys
    (``'Anna李'`` → ``('annali', 'annal')``); punctuation and spaces are dropped.
    """
    text = unicodedata.normalize("NFKC", name).strip()
    full: list[str] = []
    initials: list[str] = []
    for index, segment in enumerate(_SEGMENT.split(text)):
        if index % 2 == 0:  # split() puts the non-Chinese runs at even positions
            full.append(_clean(segment))
            initials.append(_clean(segment))
            continue
        syllables = [_clean(s) for s in _han_syllables(segment, leading=index == 1 and not full[0])]
        full.extend(syllables)
        initials.extend(s[:1] for s in syllables)
    return "".join(full), "".join(initials)


def normalise_query(q: str) -> str:
    """A search text as keys are stored: full-width folded, lower-case, ü as v, no spaces or apostrophes.

    Chinese characters are kept, so a query can match a name prefix as well as a pinyin key.
    """
    text = unicodedata.normalize("NFKC", q).lower().replace("ü", "v")
    return _NON_KEY.sub("", text)
