"""The one place where local rows and the platform's wire payloads are translated, both ways.

Local rows are stored in SQLite shapes (units as integer hundredths in ``*_x100`` columns, booleans as 0/1,
instants as naive UTC text). On the wire the platform speaks its own shapes, which its statistics and
consumption rules read: units as decimal strings under the name without ``_x100`` (``"units": "1.50"``),
booleans as JSON booleans, instants as ISO 8601 with ``Z``. Rows the platform creates itself (parent
purchases) also use their own field names (``units``, ``amount_fen``, ``channel``, ``supervision``...);
``ALIASES`` and the derivations below map them onto local columns. Anything that cannot be stored exactly
raises ``MappingError``: the row becomes a sync problem instead of a crash or a half-applied page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Boolean, Date, Integer

from app.pinyin import name_keys
from localdb.codes import LEGACY_UNDONE_NOTE, ORIGINS, Origin
from localdb.errors import LocalDbError
from localdb.models import metadata
from localdb.schema import SYNCED_TABLES, TOMBSTONE_TABLES
from localdb.types import Units, UtcDateTime, format_utc, parse_utc, units_to_x100
from sync.errors import MappingError
from sync.wire import JsonObject

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: Looks up one column of one local row (``table, id, column``): rows of the same page first, then the db.
Lookup = Callable[[str, str, str], Any]

#: Platform field names → local wire names, per entity (applied only when the local name is absent).
ALIASES: Mapping[str, Mapping[str, str]] = {
    "contract": {
        "units": "total_units",
        "amount_fen": "fee_fen",
        "supervision": "supervision_mode",
        "source": "origin",
    },
    "ledger_entry": {"occurred_at": "created_at"},
}


@dataclass(frozen=True)
class TableSpec:
    """What the mapping needs to know about one synced table, read from the models' metadata."""

    name: str
    columns: frozenset[str]
    x100: frozenset[str]
    bools: frozenset[str]
    instants: frozenset[str]
    dates: frozenset[str]
    ints: frozenset[str]
    required: frozenset[str]
    tombstone: bool


@cache
def spec(entity: str) -> TableSpec:
    """The spec of a synced table (``KeyError`` for anything else)."""
    if entity not in SYNCED_TABLES:
        raise KeyError(entity)
    table = metadata.tables[entity]
    kinds: dict[str, set[str]] = {"x100": set(), "bool": set(), "instant": set(), "date": set(), "int": set()}
    required = set()
    for col in table.columns:
        kind = _kind(col.type)
        if kind:
            kinds[kind].add(col.name)
        if not col.nullable and col.server_default is None and col.name not in ("id", "version"):
            required.add(col.name)
    return TableSpec(
        entity,
        frozenset(c.name for c in table.columns),
        frozenset(kinds["x100"]),
        frozenset(kinds["bool"]),
        frozenset(kinds["instant"]),
        frozenset(kinds["date"]),
        frozenset(kinds["int"]),
        frozenset(required),
        entity in TOMBSTONE_TABLES,
    )


def _kind(sql_type: Any) -> str | None:
    if isinstance(sql_type, Units):
        return "x100"
    if isinstance(sql_type, UtcDateTime):
        return "instant"
    if isinstance(sql_type, Boolean):
        return "bool"
    if isinstance(sql_type, Date):
        return "date"
    if isinstance(sql_type, Integer):
        return "int"
    return None


# ---------------------------------------------------------------- outbound: local row → wire payload


def to_wire(entity: str, row: Mapping[str, Any]) -> JsonObject:
    """A captured local row (the outbox's JSON) in the platform's shapes."""
    s = spec(entity)
    out: JsonObject = {}
    for key, value in row.items():
        if key == "version":
            continue  # the server owns versions; the row's local copy is stale by definition
        if key in s.x100:
            out[key[:-5]] = None if value is None else str(Decimal(int(value)).scaleb(-2))
        elif key in s.bools:
            out[key] = None if value is None else bool(value)
        elif key in s.instants and isinstance(value, str):
            out[key] = value.replace(" ", "T", 1) + "Z" if len(value) == 26 else value
        else:
            out[key] = value
    if entity == "refund" and row.get("platform_request_id"):
        # the platform's name for it: the request this refund carries out (agreed, escrow returned once)
        out["refund_request_id"] = row["platform_request_id"]
    return out


# ---------------------------------------------------------------- inbound: wire payload → local columns


Converter = Callable[[Any], Any]
#: what a SQLite INTEGER holds
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


#: How one wire key is stored: its local column, the type a value of it is stored as it comes (``None``:
#: always converted) and the converter for every other non-null value.
_Target = tuple[str, type | None, Converter]


@cache
def _plan(entity: str) -> dict[str, _Target]:
    """Wire key → its target; a units column answers to both of its names."""
    s = spec(entity)
    plan = {col: _target(s, col, "raw") for col in s.columns}
    for col in s.x100:
        plan[_base(col)] = _target(s, col, "units")
        plan[col] = _target(s, col, "x100")
    return plan


def _target(s: TableSpec, col: str, tag: str) -> _Target:
    convert = _converter(s, col, tag)
    # text and integers are stored as they come (a bool is no int here: ``type(True) is bool``)
    kept: type | None = str if convert is _str else int if convert is _int else None
    return (col, kept, convert)


def from_wire(entity: str, payload: Mapping[str, Any], lookup: Lookup) -> dict[str, Any]:
    """Local column values (storage form) for a pulled payload; only columns the payload speaks about."""
    source = _with_aliases(entity, payload) if entity in ALIASES else payload
    plan = _plan(entity)
    values: dict[str, Any] = {}
    for key, raw in source.items():
        target = plan.get(key)
        if target is None:
            continue
        col, kept, convert = target
        # most values are stored as they come (a snapshot maps hundreds of thousands of rows); an integer
        # SQLite cannot hold goes to its converter, which refuses it
        if raw is None or (type(raw) is kept and (kept is str or INT64_MIN <= cast(int, raw) <= INT64_MAX)):
            values[col] = raw
            continue
        try:
            values[col] = convert(raw)
        except (ValueError, TypeError, InvalidOperation, LocalDbError) as exc:
            raise MappingError(f"{entity}.{col}: {raw!r} ({exc})") from exc
    _derive(entity, source, values, lookup)
    return values


def _with_aliases(entity: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    source = dict(payload)
    for wire_name, name in ALIASES.get(entity, {}).items():
        if wire_name in source and name not in source and f"{name}_x100" not in source:
            source[name] = source[wire_name]
    return source


def _base(column: str) -> str:
    return column[:-5] if column.endswith("_x100") else column


def _converter(s: TableSpec, col: str, tag: str) -> Converter:
    """How one column's non-null wire value becomes its stored value (chosen once per column)."""
    if col in s.x100:
        return _int if tag == "x100" else _units
    if col in s.bools:
        return _bool
    if col in s.instants:
        return _instant
    if col in s.dates:
        return _date
    if col in s.ints:
        return _int
    return _str


def _units(value: Any) -> int:
    if type(value) is str and (x100 := _plain_units(value)) is not None:
        return x100
    return _x100("units", value)


def _plain_units(text: str) -> int | None:
    """``"12.50"`` or ``"-0.75"`` (what ``to_wire`` writes) in hundredths without a Decimal; None for
    any other form, which takes the exact Decimal path (and its limits: a huge number is refused there)."""
    negative = text.startswith("-")
    whole, _, cents = text[negative:].partition(".")
    plain = whole.isascii() and whole.isdigit() and len(whole) <= 15
    if not (plain and len(cents) == 2 and cents.isascii() and cents.isdigit()):
        return None
    x100 = int(whole) * 100 + int(cents)
    return -x100 if negative else x100


def _date(value: Any) -> str:
    return dt.date.fromisoformat(_text(value)[:10]).isoformat()


def _str(value: Any) -> str:
    return value if isinstance(value, str) else _scalar_text(value)


def _x100(tag: str, value: Any) -> int:
    if tag == "x100":
        return _int(value)
    if isinstance(value, float | bool):
        raise TypeError("units must be a decimal string")
    return units_to_x100(Decimal(str(value)))


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError("boolean is not an integer")
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if not isinstance(value, int):
        raise TypeError("not an integer")
    if not INT64_MIN <= value <= INT64_MAX:
        raise ValueError("integer out of range")
    return value


def _bool(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if value in (0, 1):
        return int(value)
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return int(value.lower() in ("true", "1"))
    raise TypeError("not a boolean")


def _instant(value: Any) -> str:
    """Wire instant → stored text; the form ``to_wire`` writes takes a fast path (snapshots are big)."""
    text = value if type(value) is str else _text(value)
    if len(text) == 27 and text[10] == "T" and text[26] == "Z" and text[19] == ".":
        dt.datetime.fromisoformat(text[:26])  # validates
        return f"{text[:10]} {text[11:26]}"
    return format_utc(parse_utc(text))


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _scalar_text(value: Any) -> str:
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    raise TypeError("expected text")


# ---------------------------------------------------------------- platform-made rows: derived columns


def _derive(entity: str, source: Mapping[str, Any], values: dict[str, Any], lookup: Lookup) -> None:
    derive = _DERIVE.get(entity)
    if derive is not None:
        derive(source, values, lookup)


def _platform_no(values: dict[str, Any], source: Mapping[str, Any]) -> str:
    return "PT-" + str(source.get("id") or values.get("id") or "")[:36]


def _shanghai_date(instant: str | None) -> str | None:
    if not instant:
        return None
    return parse_utc(instant).astimezone(SHANGHAI).date().isoformat()


def _contract(source: Mapping[str, Any], values: dict[str, Any], lookup: Lookup) -> None:
    if "contract_no" not in values and "contract_no" not in source:
        values["contract_no"] = _platform_no(values, source)
    if "origin" in values and values["origin"] not in ORIGINS:
        values["origin"] = Origin.PLATFORM.value
    if "start_date" not in values and values.get("signed_at"):
        values["start_date"] = _shanghai_date(values["signed_at"])
    if "service_category" not in values and values.get("course_id"):
        category = lookup("course", values["course_id"], "category")
        delivery = lookup("course", values["course_id"], "delivery")
        if category is None or delivery is None:
            raise MappingError(f"contract {source.get('id')}: unknown course {values['course_id']}")
        values["service_category"] = f"{delivery}_{category}"


def _payment(source: Mapping[str, Any], values: dict[str, Any], lookup: Lookup) -> None:
    if "receipt_no" not in values:
        values["receipt_no"] = _platform_no(values, source)
    if "method" not in values and source.get("channel"):
        values["method"] = "platform"
        values.setdefault("note", f"平台订单,支付渠道 {source['channel']}")


def _ledger_entry(source: Mapping[str, Any], values: dict[str, Any], lookup: Lookup) -> None:
    if "course_id" not in values and values.get("contract_id"):
        course = lookup("contract", values["contract_id"], "course_id")
        if course is None:
            raise MappingError(f"ledger_entry {source.get('id')}: unknown contract {values['contract_id']}")
        values["course_id"] = course
    if source.get("source") == "platform":
        values.setdefault("created_by", "platform")


def _student(source: Mapping[str, Any], values: dict[str, Any], lookup: Lookup) -> None:
    name = values.get("name")
    if isinstance(name, str) and "name_pinyin" not in values:
        values["name_pinyin"], values["name_initials"] = name_keys(name)
    phone = values.get("phone")
    if isinstance(phone, str) and "phone_rev" not in values:
        values["phone_rev"] = phone[::-1]


def _attendance(source: Mapping[str, Any], values: dict[str, Any], lookup: Lookup) -> None:
    """A row from a desk older than migration 0010 has no ``undone``: its undo wrote the legacy note.

    Such a desk sends whole rows, so a row with ``charged`` and ``note`` but no ``undone`` is one of them
    (and its re-mark, with another note, must clear an ``undone`` set before)."""
    if "undone" not in values and "note" in values and "charged" in values:
        values["undone"] = int(values["note"] == LEGACY_UNDONE_NOTE)


_DERIVE: Mapping[str, Callable[[Mapping[str, Any], dict[str, Any], Lookup], None]] = {
    "contract": _contract,
    "payment": _payment,
    "ledger_entry": _ledger_entry,
    "student": _student,
    "attendance": _attendance,
}


# ---------------------------------------------------------------- platform inbox rows

#: entity → (status key, related-row key, amount key, deadline key) copied out of the payload
INBOX_FIELDS: Mapping[str, tuple[str | None, str | None, str | None, str | None]] = {
    "consumption_confirmation": ("status", "attendance_id", "amount_fen", "deadline"),
    "refund_request": ("status", "contract_id", "amount_fen", "deadline"),
    "complaint": ("status", "contract_id", None, None),
    "review": (None, "course_id", None, None),
    "escrow_entry": ("kind", "ref_id", "amount_fen", None),
    "spot_check": ("status", "course_id", None, "deadline"),
}


def inbox_columns(entity: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """``status``, ``related_id``, ``amount_fen`` and ``deadline`` of a platform-only row."""
    status_key, related_key, amount_key, deadline_key = INBOX_FIELDS.get(entity, ("status", None, None, None))
    out: dict[str, Any] = {"status": None, "related_id": None, "amount_fen": None, "deadline": None}
    try:
        if status_key and payload.get(status_key) is not None:
            out["status"] = str(payload[status_key])[:20]
        if related_key and payload.get(related_key) is not None:
            out["related_id"] = str(payload[related_key])[:64]
        if amount_key and payload.get(amount_key) is not None:
            out["amount_fen"] = _int(payload[amount_key])
        if deadline_key and payload.get(deadline_key) is not None:
            out["deadline"] = dt.date.fromisoformat(_text(payload[deadline_key])[:10]).isoformat()
    except (ValueError, TypeError) as exc:
        raise MappingError(f"{entity}: {exc}") from exc
    return out
