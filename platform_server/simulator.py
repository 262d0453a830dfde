"""A simulated regulator and simulated parents for the bundled demo platform (``serve --simulate``).

``make run`` starts the reference server with this switched on, so a newcomer sees the whole loop without
calling the API: a course submitted for review is decided within seconds, a new staff member's background
check goes 核验中 → 已通过 by itself, and after the institution's first sync the 平台 screen has a refund
request, a 消课 dispute, a complaint and a review to handle. Every decision goes through the server's own
regulator and parent services, exactly as the HTTP API would make it.

The regulator's policy (the README's ``make run`` section tells users):

* What the desk already had before it joined the platform is recognised at once: a course that arrives
  (its first version) with a ``published_at`` — it was on sale before; the platform keeps it ``draft``
  because only the platform may approve — is approved, and a staff member arriving with a recorded check
  (``background_checked_at``; the platform keeps it ``pending``) passes. So after the first sync no
  teacher is 核验中 and 排课 works. Later versions (an edited course, a check submitted from the desk) are
  new business, decided like any submission below.
* A course submitted for review (``pending``) is decided ``decision_delay`` seconds after the simulator
  first saw it: approved, unless its name advertises competition or ahead-of-syllabus training (双减),
  which is rejected with a reason.
* A new staff member's check (``pending``) is decided after the same delay: passed, unless the person is a
  serving primary/secondary school teacher (who may not work for a training institution), which fails.
* Once an institution has filed a training material, the regulator asks (once) for a spot check of that
  material's course, to be answered within 72 hours.
* Parent activity is made once per institution (it is never repeated after it was handled): one refund
  request for two lessons of a recent contract, one dispute of the newest pending 消课 confirmation, one
  complaint and one five-star review of a recent contract — and, so that the desk's 管理评价 has months
  to compare, a history: about one contract in four was reviewed (1–5 stars) and about one in thirty
  complained about, on a day between the contract's start and today, chosen from the contract's id (the
  same contracts give the same history). A 先学后付 family pays its oldest unpaid lesson on the platform.
* A parent reacts to the institution's answer to a dispute ``decision_delay`` seconds after it arrived:
  a roll-call record that shows the child attending (present or late) is accepted (confirmed); one that
  does not is taken to the regulator (escalated). A reversed charge needs nothing more.

``tick`` runs every ``interval`` seconds on a thread, and right after every push (``install``'s
middleware), so what a push brought in is already decided when the same sync cycle pulls.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time as clock_time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from fastapi import FastAPI, Request, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from platform_server import materials, owed_service, parent_service, regulator_service
from platform_server.errors import NotFound, StateConflict
from platform_server.feed import Emitter
from platform_server.models import ConsumptionConfirmation, EntityRow, Institution, RefundRequest, SpotCheck
from platform_server.runtime import Runtime
from platform_server.schemas_materials import SpotCheckIn
from platform_server.schemas_platform import (
    ComplaintIn,
    ConsumptionDecisionIn,
    OwedPaymentIn,
    ParentRefundIn,
    ReviewIn,
)
from platform_server.scope import InstitutionScope, scoped

log = logging.getLogger("platform_server.simulator")

#: words in a course name that the simulated regulator refuses (双减: no competition or ahead-of-syllabus
#: training)
REFUSED_WORDS = ("竞赛", "奥数", "超前", "冲刺")
COURSE_REJECTION = "课程名称涉及学科竞赛或超前培训，不符合“双减”要求，请修改课程名称和内容后重新提交。"
CHECK_FAILURE = "在职中小学教师不得在校外培训机构兼职（“双减”意见），背景核验未通过。"
REFUND_REASON = "孩子学业安排有变，申请退还剩余两次课的费用。"
DISPUTE_REASON = "孩子那天请假没有去上课，不应扣课时。"
COMPLAINT = ComplaintIn(
    subject="上课时间临时调整未提前通知",
    text="本周六的课临时改到晚上，前一天才通知，希望以后至少提前三天告知。",
)
REVIEW_TEXT = "老师很耐心，孩子每次都很期待上课。"
ACCEPTED_ANSWER = "看了点名记录，孩子那天确实上了课，确认消课。"
ESCALATED_ANSWER = "点名记录与实际情况不符，提请监管部门处理。"
#: roll-call statuses in which the child attended the lesson
ATTENDED = ("present", "late", "makeup", "trial")
#: a dispute was raised at some time: the simulated parent does not raise another one
EVER_DISPUTED = ("disputed", "answered", "escalated", "reversed")
REFUND_UNITS = 2
#: the history's share of contracts: one in REVIEW_EVERY was reviewed, one in COMPLAINT_EVERY complained of
REVIEW_EVERY, COMPLAINT_EVERY = 4, 30
HISTORY_RATINGS = (5, 5, 4, 5, 3, 4, 5, 2, 4, 5, 1, 4)
REVIEW_TEXTS = {
    5: "老师讲得清楚，孩子进步很明显。",
    4: "整体不错，希望课后反馈再及时一些。",
    3: "一般，课堂有点吵。",
    2: "换了两次老师，孩子不太适应。",
    1: "上课经常拖堂，沟通也不及时。",
}
HISTORY_COMPLAINTS = (
    {"subject": "教室空调不制冷", "text": "上周两次课教室很热，孩子回家说头疼。"},
    {"subject": "补课安排不合理", "text": "请假后的补课只能排在工作日上午，家长无法接送。"},
    {"subject": "老师临时调换", "text": "没有提前告知就换了老师，孩子不适应。"},
)
SPOT_CHECK_HOURS = 72
SPOT_CHECK_NOTE = "例行抽查：请报送该课程正在使用的培训材料（教材、讲义、课件）的最新版本。"


@dataclass
class Activity:
    """What one tick did (counts), for the log and the tests."""

    approved: int = 0
    rejected: int = 0
    passed: int = 0
    failed: int = 0
    parent_events: list[str] = field(default_factory=list)
    spot_checks: int = 0

    def __bool__(self) -> bool:
        decided = self.approved or self.rejected or self.passed or self.failed
        return bool(decided or self.parent_events or self.spot_checks)


class Simulator:
    """The demo's regulator and parents; ``start()`` runs ``tick`` on a thread until ``stop()``."""

    def __init__(self, rt: Runtime, decision_delay: float = 3.0, interval: float = 1.0) -> None:
        self.rt = rt
        self.decision_delay = decision_delay
        self.interval = interval
        self._first_seen: dict[tuple[str, str, str, int], float] = {}
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="platform-simulator", daemon=True)

    def start(self) -> Simulator:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)

    def _run(self) -> None:
        while not self._stopped.wait(self.interval):
            try:
                self.tick()
            except Exception:  # a bug must not end the demo's regulator: logged, tried again next round
                log.exception("simulator tick failed")

    def tick(self) -> Activity:
        """Decide what is due and add the parent activity an institution has not had yet."""
        done = Activity()
        with self._lock:
            for scope in self._institutions():
                self._regulate(scope, done)
                self._parents(scope, done)
        if done:
            log.info("simulator: %s", done)
        return done

    # ------------------------------------------------------------ regulator

    def _institutions(self) -> list[InstitutionScope]:
        with self.rt.sessionmaker() as session:
            ids = session.scalars(select(Institution.id).order_by(Institution.created_at))
            return [InstitutionScope(inst) for inst in ids]

    @contextmanager
    def _session(self, scope: InstitutionScope) -> Iterator[Session]:
        """A session that sees ``scope``'s rows only (``platform_server.scope``)."""
        with self.rt.sessionmaker() as session, scoped(session, scope):
            yield session

    def _waiting(self, scope: InstitutionScope, entity: str, field_name: str, value: str) -> list[EntityRow]:
        status = EntityRow.payload[field_name].as_string()
        with self._session(scope) as session:
            return list(
                session.scalars(
                    select(EntityRow).where(
                        EntityRow.entity == entity, EntityRow.deleted.is_(False), status == value
                    )
                )
            )

    def _due(self, row: EntityRow) -> bool:
        """Whether ``decision_delay`` seconds passed since this version of the row was first seen."""
        key = (row.institution_id, row.entity, row.entity_id, row.version)
        first = self._first_seen.setdefault(key, clock_time.monotonic())
        return clock_time.monotonic() - first >= self.decision_delay

    def _regulate(self, scope: InstitutionScope, done: Activity) -> None:
        for row in self._waiting(scope, "course", "review_status", "draft"):
            if _history(row, "published_at"):  # on sale before the platform: recognised at once
                self._decide_course(scope, row.entity_id, None, done, submit_first=True)
        for row in self._waiting(scope, "course", "review_status", "pending"):
            if self._due(row):
                refused = any(word in str(row.payload.get("name") or "") for word in REFUSED_WORDS)
                self._decide_course(scope, row.entity_id, COURSE_REJECTION if refused else None, done)
        for row in self._waiting(scope, "staff", "background_check", "pending"):
            if _history(row, "background_checked_at") or self._due(row):
                failed = bool(row.payload.get("serving_school_teacher"))
                self._decide_check(scope, row.entity_id, CHECK_FAILURE if failed else None, done)
        self._spot_check(scope, done)

    def _spot_check(self, scope: InstitutionScope, done: Activity) -> None:
        """Once per institution, when it has filed a material: a spot check of that material's course."""
        with self._session(scope) as session:
            if _count(session, select(SpotCheck.id)):
                return
            material = _newest(session, "material")
            if material is None:
                return
            course_id = str(material.payload.get("course_id"))
            body = SpotCheckIn(course_id=course_id, deadline_hours=SPOT_CHECK_HOURS, note=SPOT_CHECK_NOTE)
            try:
                materials.request_spot_check(session, self.rt, scope, body)
                session.commit()
            except NotFound as exc:  # the course was deleted meanwhile: nothing to check
                session.rollback()
                log.info("simulator: no spot check (%s)", exc)
                return
        done.spot_checks += 1

    def _decide_course(
        self,
        scope: InstitutionScope,
        course_id: str,
        rejection: str | None,
        done: Activity,
        submit_first: bool = False,
    ) -> None:
        with self._session(scope) as session:
            try:
                if submit_first:
                    _submit(session, self.rt, scope, course_id)
                regulator_service.review_course(
                    session, self.rt, scope, course_id, rejection is None, rejection
                )
                session.commit()
            except (NotFound, StateConflict) as exc:  # changed by the desk meanwhile: next round
                session.rollback()
                log.info("simulator: course %s not decided (%s)", course_id, exc)
                return
        if rejection is None:
            done.approved += 1
        else:
            done.rejected += 1

    def _decide_check(
        self, scope: InstitutionScope, staff_id: str, failure: str | None, done: Activity
    ) -> None:
        result = "failed" if failure else "passed"
        with self._session(scope) as session:
            try:
                regulator_service.record_background_check(session, self.rt, scope, staff_id, result, failure)
                session.commit()
            except NotFound as exc:
                session.rollback()
                log.info("simulator: staff %s not checked (%s)", staff_id, exc)
                return
        if failure:
            done.failed += 1
        else:
            done.passed += 1

    # ------------------------------------------------------------ parents

    def _parents(self, scope: InstitutionScope, done: Activity) -> None:
        makers: list[tuple[str, Callable[[Session, InstitutionScope], bool]]] = [
            ("refund_request", self._refund_request),
            ("dispute", self._dispute),
            ("dispute_reply", self._reply_to_answers),
            ("complaint", self._complaint),
            ("review", self._review),
            ("owed_payment", self._pay_owed),
        ]
        for name, make in makers:
            with self._session(scope) as session:
                try:
                    made = make(session, scope)
                    session.commit()
                except (NotFound, StateConflict) as exc:
                    session.rollback()
                    log.info("simulator: no %s yet (%s)", name, exc)
                    continue
            if made:
                done.parent_events.append(name)

    def _refund_request(self, session: Session, scope: InstitutionScope) -> bool:
        if _count(session, select(RefundRequest.id)):
            return False
        contract = _newest(session, "contract", status="active")
        if contract is None:
            return False
        units = Decimal(str(contract.payload.get("total_units") or 0))
        fee = int(contract.payload.get("fee_fen") or contract.payload.get("amount_fen") or 0)
        if units < REFUND_UNITS or fee <= 0:
            return False
        amount = int(fee * REFUND_UNITS // units)
        body = ParentRefundIn(
            contract_id=contract.entity_id, units=str(REFUND_UNITS), amount_fen=amount, reason=REFUND_REASON
        )
        parent_service.request_refund(session, self.rt, scope, body)
        return True

    def _dispute(self, session: Session, scope: InstitutionScope) -> bool:
        disputed = select(ConsumptionConfirmation.id).where(
            ConsumptionConfirmation.status.in_(EVER_DISPUTED)
            | ConsumptionConfirmation.answered_at.is_not(None)
        )
        if _count(session, disputed):
            return False
        newest = session.scalar(
            select(ConsumptionConfirmation.attendance_id)
            .where(ConsumptionConfirmation.status == "pending")
            .order_by(ConsumptionConfirmation.created_on.desc(), ConsumptionConfirmation.attendance_id.desc())
            .limit(1)
        )
        if newest is None:
            return False
        body = ConsumptionDecisionIn(decision="dispute", reason=DISPUTE_REASON)
        parent_service.decide_consumption(session, self.rt, scope, newest, body)
        return True

    def _reply_to_answers(self, session: Session, scope: InstitutionScope) -> bool:
        """Accept a roll-call answer that shows the child attending, escalate one that does not."""
        answered = session.scalars(
            select(ConsumptionConfirmation).where(ConsumptionConfirmation.status == "answered")
        ).all()
        replied = False
        for conf in answered:
            key = (scope.institution_id, "answer", conf.id, 0)
            first = self._first_seen.setdefault(key, clock_time.monotonic())
            if clock_time.monotonic() - first < self.decision_delay:
                continue
            record = conf.answer_record or {}
            attended = record.get("student_status") in ATTENDED
            body = ConsumptionDecisionIn(
                decision="confirm" if attended else "escalate",
                reason=ACCEPTED_ANSWER if attended else ESCALATED_ANSWER,
            )
            parent_service.decide_consumption(session, self.rt, scope, conf.attendance_id, body)
            replied = True
        return replied

    def _complaint(self, session: Session, scope: InstitutionScope) -> bool:
        if _newest(session, "complaint") is not None:
            return False
        contract = _newest(session, "contract", status="active")
        if contract is None:
            return False
        for past in history(session, self.rt, COMPLAINT_EVERY):
            body = ComplaintIn(
                **HISTORY_COMPLAINTS[past.pick % len(HISTORY_COMPLAINTS)], contract_id=past.contract_id
            )
            parent_service.file_complaint(session, self.rt, scope, body, at=past.at)
        body = COMPLAINT.model_copy(update={"contract_id": contract.entity_id})
        parent_service.file_complaint(session, self.rt, scope, body)
        return True

    def _review(self, session: Session, scope: InstitutionScope) -> bool:
        # waits for a contract (not just an approved course): the history needs the families' contracts
        if _newest(session, "review") is not None:
            return False
        contract = _newest(session, "contract", status="active")
        if contract is None:
            return False
        for past in history(session, self.rt, REVIEW_EVERY):
            rating = HISTORY_RATINGS[past.pick % len(HISTORY_RATINGS)]
            body = ReviewIn(contract_id=past.contract_id, rating=rating, text=REVIEW_TEXTS[rating])
            parent_service.post_review(session, self.rt, scope, body, at=past.at)
        body = ReviewIn(contract_id=contract.entity_id, rating=5, text=REVIEW_TEXT)
        parent_service.post_review(session, self.rt, scope, body)
        return True

    def _pay_owed(self, session: Session, scope: InstitutionScope) -> bool:
        """A 先学后付 family pays its oldest unpaid lesson on the platform (once per institution)."""
        if _newest(session, "owed_payment", source="platform") is not None:
            return False
        lesson = _newest(session, "receivable_entry", kind="lesson")
        student_id = lesson.payload.get("student_id") if lesson is not None else None
        if not isinstance(student_id, str):
            return False
        owed = owed_service.owed_lessons(session, scope, student_id)
        if not owed:
            return False
        oldest = owed[0]
        body = OwedPaymentIn(amount_fen=oldest["owed_fen"], lesson_entry_ids=[oldest["lesson_entry_id"]])
        owed_service.pay(session, self.rt, scope, student_id, body)
        return True


@dataclass(frozen=True)
class Past:
    """One contract's event in the simulated history: when, and a number to pick its content with."""

    contract_id: str
    at: datetime
    pick: int


def history(session: Session, rt: Runtime, every: int) -> list[Past]:
    """About one live contract in ``every`` of the scoped institution, each with a moment between its
    start and yesterday (local 19:00), all chosen from the contract's id: the same contracts always give
    the same history."""
    today = rt.clock.today()
    found = []
    contracts = session.scalars(
        select(EntityRow).where(EntityRow.entity == "contract", EntityRow.deleted.is_(False))
    )
    for row in contracts:
        digest = int.from_bytes(hashlib.sha256(f"{every}/{row.entity_id}".encode()).digest()[:8], "big")
        start = _start_day(row.payload)
        if digest % every or start is None or start >= today:
            continue
        day = start + timedelta(days=digest // every % (today - start).days)
        found.append(Past(row.entity_id, datetime.combine(day, time(11), tzinfo=UTC), digest // every))
    return sorted(found, key=lambda p: (p.at, p.contract_id))


def _start_day(payload: dict[str, Any]) -> date | None:
    value = payload.get("start_date") or str(payload.get("signed_at") or "")[:10]
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _history(row: EntityRow, vetted_at: str) -> bool:
    """A row as it first reached the platform (version 1), carrying the desk's earlier vetting: the
    course was on sale, the check was recorded. Later versions (an edited course, a check submitted
    from the desk) are new business and wait for a decision like anything submitted."""
    return row.version == 1 and bool(row.payload.get(vetted_at))


def _count(session: Session, query: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def _newest(session: Session, entity: str, **equal: str) -> EntityRow | None:
    """The scoped institution's most recently changed live row of ``entity`` with these payload values."""
    conditions = [EntityRow.payload[key].as_string() == value for key, value in equal.items()]
    return session.scalar(
        select(EntityRow)
        .where(EntityRow.entity == entity, EntityRow.deleted.is_(False), *conditions)
        .order_by(EntityRow.updated_seq.desc())
        .limit(1)
    )


def _submit(session: Session, rt: Runtime, scope: InstitutionScope, course_id: str) -> None:
    """draft → pending, as the desk's own submission would (the review itself then decides)."""
    emitter = Emitter(session, scope, rt.clock.now(), rt.clock.today())
    state = regulator_service.live_row(emitter, "course", course_id)
    emitter.put(state, "update", {**state.payload, "review_status": "pending"}, None)
    emitter.flush()


def install(app: FastAPI, simulator: Simulator) -> None:
    """Run a tick right after each push has been committed, so the same sync cycle pulls its outcome."""

    @app.middleware("http")
    async def tick_after_push(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        if (
            request.method == "POST"
            and request.url.path.endswith("/sync/push")
            and response.status_code == 200
        ):
            await run_in_threadpool(simulator.tick)
        return response
