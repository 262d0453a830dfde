"""Demo enrolments: who joins which class when, and the contracts and payments that pay for it.

Six months are two quarters, and one charge may cover at most three months (docs/domain.md), so a student who
stays gets a first contract from joining to the end of its quarter and a renewal for the second quarter,
signed a week before it starts (when at most a few 课时 are left, as the renewal rule requires). Every
contract is checked with ``check_charge`` — the same rule as the enrolment form — before it is written;
for renewals with a provable upper bound of the units left (every lesson of the first contract before the
renewal day charged except the most leaves a contract may have).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from app.demo import catalog
from app.demo.people import Row, SeededIds, local_noon
from app.demo.school import ClassPlan
from app.policy import PolicyParams
from app.rules.charge import ChargeRequest, add_months, check_charge

METHODS = ("wechat", "alipay", "bank_card", "cash", "transfer")


@dataclass
class ContractPlan:
    id: str
    student_id: str
    klass: ClassPlan
    start: date
    end: date
    units: int
    fee_fen: int
    sign_date: date
    signed_at: datetime
    renews: ContractPlan | None = None
    number: str = ""
    status: str = "active"
    charged_units: int = 0  # whole 课时 charged so far (filled by the lesson pass)
    leaves: int = 0

    @property
    def fen_per_lesson(self) -> int:
        return self.klass.spec.unit_price_fen * catalog.UNITS_PER_LESSON


@dataclass
class MemberPlan:
    student_id: str
    klass: ClassPlan
    joined: date
    contracts: list[ContractPlan] = field(default_factory=list)
    refund_on: date | None = None

    def contract_on(self, day: date) -> ContractPlan | None:
        for contract in self.contracts:
            if contract.start <= day <= contract.end:
                return contract
        return None


def quarters(window: tuple[date, date]) -> list[tuple[date, date]]:
    """The window split into two three-month periods."""
    middle = add_months(window[0], 3)
    return [(window[0], middle - timedelta(days=1)), (middle, window[1])]


def _join_date(rng: random.Random, window: tuple[date, date]) -> date:
    """60% are there from the start; the others join at the start of a later month."""
    if rng.random() < 0.6:
        return window[0]
    return add_months(window[0], rng.randrange(1, 6))


def _lessons(klass: ClassPlan, start: date, end: date) -> int:
    return klass.lessons_between(start, end)


def _renewal_bound(prev: ContractPlan, sign: date) -> Decimal:
    before = _lessons(prev.klass, prev.start, sign - timedelta(days=1))
    charged_at_least = max(0, before - catalog.MAX_LEAVES_PER_CONTRACT) * catalog.UNITS_PER_LESSON
    return Decimal(max(0, prev.units - charged_at_least))


def _contract(
    rng: random.Random, ids: SeededIds, member: MemberPlan, period: tuple[date, date], params: PolicyParams
) -> ContractPlan | None:
    start, end = max(period[0], member.joined), period[1]
    lessons = _lessons(member.klass, start, end)
    if lessons == 0:
        return None
    units = lessons * catalog.UNITS_PER_LESSON
    prev = member.contracts[-1] if member.contracts else None
    sign = period[0] - timedelta(days=7) if prev else start - timedelta(days=rng.randrange(0, 11))
    fee = units * member.klass.spec.unit_price_fen
    remaining = _renewal_bound(prev, sign) if prev else Decimal(0)
    check_charge(ChargeRequest(Decimal(units), fee, start, end, sign, remaining), params)
    signed_at = local_noon(sign) + timedelta(minutes=rng.randrange(0, 9 * 60))
    return ContractPlan(
        ids.next(), member.student_id, member.klass, start, end, units, fee, sign, signed_at, prev
    )


def plan_members(
    rng: random.Random,
    ids: SeededIds,
    students: list[Row],
    choices: list[str],
    classes: list[ClassPlan],
    window: tuple[date, date],
    params: PolicyParams,
) -> list[MemberPlan]:
    """Seat each student (``choices[i]`` = course name) in a class of that course, with contracts."""
    open_classes: dict[str, list[ClassPlan]] = {}
    for klass in classes:
        open_classes.setdefault(klass.spec.name, []).append(klass)
    members: list[MemberPlan] = []
    for student, course in zip(students, choices, strict=True):
        queue = open_classes[course]
        klass = queue[0]
        klass.size += 1
        if klass.size >= catalog.CLASS_CAPACITY:
            queue.pop(0)
        member = MemberPlan(student["id"], klass, _join_date(rng, window))
        for period in quarters(window):
            if period[1] >= member.joined:
                contract = _contract(rng, ids, member, period, params)
                if contract is not None:
                    member.contracts.append(contract)
        if member.contracts and rng.random() < catalog.REFUND_SHARE:
            last = member.contracts[-1]
            refund_on = last.start + timedelta(days=rng.randrange(14, 41))
            if refund_on < last.end:
                member.refund_on, last.status = refund_on, "refunded"
        members.append(member)
    return members


def number_contracts(members: list[MemberPlan], desk: str) -> dict[tuple[str, int], int]:
    """Gapless contract numbers per year in signing order; returns the last number per (kind, year)."""
    contracts = sorted((c for m in members for c in m.contracts), key=lambda c: (c.signed_at, c.id))
    last: dict[tuple[str, int], int] = {}
    for contract in contracts:
        year = contract.sign_date.year
        n = last[("contract", year)] = last.get(("contract", year), 0) + 1
        last[("receipt", year)] = n
        contract.number = f"{desk}-{year}-{n:06d}"
    return last


def money_rows(ids: SeededIds, members: list[MemberPlan], desk: str) -> dict[str, list[Row]]:
    """Contract, class membership, payment and purchase ledger rows (signing order)."""
    rows: dict[str, list[Row]] = {"contract": [], "klass_member": [], "payment": [], "ledger_entry": []}
    contracts = sorted((c for m in members for c in m.contracts), key=lambda c: (c.signed_at, c.id))
    for c in contracts:
        stamp = {"created_at": c.signed_at, "updated_at": c.signed_at}
        rows["contract"].append(_contract_row(c, desk, stamp))
        receipt = c.number  # the same gapless per-desk format as next_number gives receipts
        rows["payment"].append(
            {
                "id": ids.next(),
                "receipt_no": receipt,
                "contract_id": c.id,
                "student_id": c.student_id,
                "amount_fen": c.fee_fen,
                "method": METHODS[int(c.id[-1], 16) % len(METHODS)],
                "paid_at": c.signed_at,
                "desk_code": desk,
                "received_by": "demo",
                **stamp,
            }
        )
        rows["ledger_entry"].append(
            {
                "id": ids.next(),
                "contract_id": c.id,
                "student_id": c.student_id,
                "course_id": c.klass.course_id,
                "kind": "purchase",
                "units_x100": Decimal(c.units),
                "amount_fen": c.fee_fen,
                "reason": c.number,
                "created_by": "demo",
                **stamp,
            }
        )
    for m in members:
        if m.contracts:
            first = m.contracts[0]
            stamp = {"created_at": first.signed_at, "updated_at": first.signed_at}
            rows["klass_member"].append(
                {
                    "id": ids.next(),
                    "klass_id": m.klass.id,
                    "student_id": m.student_id,
                    "contract_id": first.id,
                    "joined_on": m.joined,
                    "left_on": m.refund_on,
                    **stamp,
                }
            )
    return rows


def _contract_row(c: ContractPlan, desk: str, stamp: Row) -> Row:
    spec = c.klass.spec
    return {
        "id": c.id,
        "contract_no": c.number,
        "student_id": c.student_id,
        "course_id": c.klass.course_id,
        "klass_id": c.klass.id,
        "service_category": f"offline_{spec.category}",
        "adviser": "前台",
        "total_units_x100": Decimal(c.units),
        "gift_units_x100": Decimal(0),
        "units_per_session_x100": Decimal(catalog.UNITS_PER_LESSON),
        "schedule_text": f"每周{'一二三四五六日'[c.klass.weekday]} {c.klass.start}–{c.klass.end}",
        "start_date": c.start,
        "end_date": c.end,
        "class_format": "small",
        "min_class_size": 5,
        "fee_fen": c.fee_fen,
        "supervision_mode": "escrow",
        "signed_at": c.signed_at,
        "status": c.status,
        "origin": "desk",
        "desk_code": desk,
        "renews_contract_id": c.renews.id if c.renews else None,
        **stamp,
    }
