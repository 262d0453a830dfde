"""Demo people: students with guardians and staff, with valid identity numbers and mobiles.

Everything is drawn from one seeded ``random.Random`` and ids come from ``SeededIds``, so the same seed
gives the same people with the same ids. Identity numbers are built with the real check digit
(``make_id_number``) and kept unique; pinyin keys come from the same ``name_keys`` the app uses.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from app.demo import catalog
from app.pinyin import name_keys
from app.validators import make_id_number

Row = dict[str, Any]
_SURNAME_WEIGHTS = [1.0 / (i + 4) for i in range(len(catalog.SURNAMES))]


class SeededIds:
    """UUIDv7-shaped ids from a seed: time-ordered (fast B-tree inserts) and reproducible.

    The 48-bit time field starts at ``base`` and advances one millisecond per id; the random fields come
    from a generator seeded with the demo seed. Real v7 ids use the clock, which would make two runs differ.
    """

    def __init__(self, seed: int, base: datetime) -> None:
        self._rng = random.Random(f"ids/{seed}")
        self._ms = int(base.timestamp() * 1000)

    def next(self) -> str:
        self._ms += 1
        rand = self._rng.getrandbits(74)
        value = (
            (self._ms << 80) | (0x7 << 76) | ((rand >> 62) << 64) | (0b10 << 62) | (rand & ((1 << 62) - 1))
        )
        h = f"{value:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@cache
def keys(name: str) -> tuple[str, str]:
    """Pinyin keys of a name (cached: common names repeat thousands of times)."""
    return name_keys(name)


def person_name(rng: random.Random, surname: str | None = None) -> str:
    """A plausible Chinese name: a weighted common surname and one or two given characters."""
    if surname is None:
        compound = rng.random() < 0.01
        surname = rng.choice(catalog.COMPOUND_SURNAMES) if compound else _surname(rng)
    size = 2 if rng.random() < 0.7 else 1
    return surname + "".join(rng.choice(catalog.GIVEN_CHARS) for _ in range(size))


def _surname(rng: random.Random) -> str:
    return rng.choices(catalog.SURNAMES, weights=_SURNAME_WEIGHTS)[0]


def mobile(rng: random.Random) -> str:
    """A valid mainland mobile number (11 digits, a real operator prefix)."""
    return rng.choice(catalog.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


class IdNumbers:
    """Unique, valid identity numbers: real district codes, the right parity for the gender."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def make(self, birth: date, gender: str) -> str:
        while True:
            area = self._rng.choice(catalog.DISTRICTS)[0]
            seq = self._rng.randrange(500) * 2 + (1 if gender == "M" else 0)
            number = make_id_number(area, birth, seq)
            if number not in self._used:
                self._used.add(number)
                return number


def _birth(rng: random.Random, on: date, min_age: int, max_age: int) -> date:
    age_days = rng.randrange(min_age * 365, max_age * 365 + 364)
    return on - timedelta(days=age_days)


def _grade(birth: date, on: date) -> int:
    """School grade index 0–8 (一年级…九年级) from age on ``on`` (school starts at six)."""
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    return max(0, min(8, age - 6))


def student_rows(
    rng: random.Random, ids: SeededIds, count: int, on: date, when: datetime
) -> tuple[list[Row], list[Row]]:
    """``count`` school-age students (义务教育) and one guardian each; the guardian's mobile is theirs."""
    numbers = IdNumbers(rng)
    students: list[Row] = []
    guardians: list[Row] = []
    for n in range(count):
        gender = rng.choice("MF")
        name = person_name(rng)
        birth = _birth(rng, on, 7, 14)
        grade = _grade(birth, on)
        district = rng.choice(catalog.DISTRICTS)[1]
        school = f"{district}第{rng.randrange(1, 30)}{'小学' if grade < 6 else '中学'}"
        phone = mobile(rng)
        full, initials = keys(name)
        sid = ids.next()
        stamp = {"created_at": when, "updated_at": when}
        students.append(
            {
                "id": sid,
                "name": name,
                "name_pinyin": full,
                "name_initials": initials,
                "gender": gender,
                "birth_date": birth,
                "id_type": "id_card",
                "id_number": numbers.make(birth, gender),
                "school": school,
                "grade": catalog.GRADES[grade],
                "stage": "compulsory",
                "phone": phone,
                "phone_rev": phone[::-1],
                "card_code": f"K{n + 1:06d}",
                **stamp,
            }
        )
        guardians.append(_guardian(rng, ids.next(), sid, name, phone, stamp))
    return students, guardians


def _guardian(rng: random.Random, gid: str, sid: str, child: str, phone: str, stamp: Row) -> Row:
    relation = rng.choices(
        [r for r, _ in catalog.GUARDIAN_RELATIONS], [w for _, w in catalog.GUARDIAN_RELATIONS]
    )[0]
    surname = child[:2] if child[:2] in catalog.COMPOUND_SURNAMES else child[:1]
    name = person_name(rng, surname if relation != "母亲" else None)
    return {"id": gid, "student_id": sid, "name": name, "relation": relation, "phone": phone, **stamp}


def staff_row(
    rng: random.Random, ids: SeededIds, numbers: IdNumbers, campus_id: str, when: datetime, **role: Any
) -> Row:
    """One adult staff member whose pre-hire check passed; ``role`` sets kind and certificates."""
    gender = rng.choice("MF")
    birth = _birth(rng, when.date(), 24, 50)
    return {
        "id": ids.next(),
        "name": person_name(rng),
        "gender": gender,
        "id_number": numbers.make(birth, gender),
        "phone": mobile(rng),
        "kind": "teaching",
        "employment": "full_time" if rng.random() < 0.8 else "part_time",
        "serving_school_teacher": False,
        "background_check": "passed",
        "background_checked_at": when - timedelta(days=30),
        "hired_on": (when - timedelta(days=20)).date(),
        "campus_id": campus_id,
        "created_at": when,
        "updated_at": when,
        **role,
    }


def local_noon(day: date) -> datetime:
    """An instant on ``day`` in the institution's working hours (10:00 Asia/Shanghai = 02:00 UTC)."""
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)
