"""消课异议: the institution answers a parent's dispute of a charged lesson (docs/sync.md, 消课异议).

A charged lesson opens a confirmation window (``deadline``: the platform's working days; the window ends
when the platform's Shanghai date reaches it). Within it the parent confirms or disputes. A dispute is
answered by the institution, before the same deadline, in one of two ways:

* ``roll_call``: the roll-call record of that lesson (who called it, when, the class list). The parent
  gets a new window to accept (``confirmed``) or take it to the regulator (``escalated``); silence counts
  as acceptance (``auto_confirmed``). A dispute left unanswered when the window ends goes to the regulator.
* ``reverse``: the institution gives the charge back (its desk books a reversing ledger entry). The lesson
  is ``reversed``: its money is never released to the institution, and if it was already released (the
  reversal came after a confirmation) the escrow takes it back (``reclaim``).

A roll-call answer after the window has closed (auto-confirmed, escalated) is refused, and so is any
answer to a reversed or withdrawn lesson: each refusal is a 409 carrying the confirmation's status (for a
dispute whose window has closed before the deadline run got to it: ``escalated``, what that run makes of it).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_server.clock import add_working_days
from platform_server.errors import NotFound, StateConflict
from platform_server.escrow import EscrowLedger
from platform_server.feed import Emitter
from platform_server.models import ConsumptionConfirmation, EscrowEntry
from platform_server.platform_ops import DEADLINE_OUTCOME, DISPUTE_OPEN, emit_confirmation
from platform_server.runtime import Runtime
from platform_server.schemas import ReverseAnswerIn, RollCallAnswerIn
from platform_server.scope import InstitutionScope, scoped

#: states in which the institution may give a charge back (everything but a reversed or withdrawn lesson)
REVERSIBLE = ("pending", *DISPUTE_OPEN, "confirmed", "auto_confirmed")
#: what the regulator lists: disputes open or settled by the institution
REGULATOR_SEES = (*DISPUTE_OPEN, "reversed")


def window_closed(conf: ConsumptionConfirmation, emitter: Emitter) -> bool:
    """The platform closes the window when its Shanghai date reaches the deadline (see ``run_deadlines``)."""
    return conf.deadline <= emitter.today


def _confirmation(session: Session, scope: InstitutionScope, confirmation_id: str) -> ConsumptionConfirmation:
    with scoped(session, scope):
        conf = session.scalar(
            select(ConsumptionConfirmation).where(ConsumptionConfirmation.id == confirmation_id)
        )
    if conf is None:
        raise NotFound()
    return conf


def answer_dispute(
    session: Session,
    rt: Runtime,
    scope: InstitutionScope,
    confirmation_id: str,
    body: RollCallAnswerIn | ReverseAnswerIn,
) -> ConsumptionConfirmation:
    """Answer a dispute with the roll-call record, or reverse the charge (see the module's rules)."""
    emitter = Emitter(session, scope, rt.clock.now(), rt.clock.today())  # locks the institution
    conf = _confirmation(session, scope, confirmation_id)
    if isinstance(body, RollCallAnswerIn):
        if conf.status != "disputed":
            raise StateConflict(status=conf.status, deadline=conf.deadline.isoformat())
        if window_closed(conf, emitter):  # what the next deadline run makes of it (it may not have run yet)
            raise StateConflict(status=DEADLINE_OUTCOME[conf.status], deadline=conf.deadline.isoformat())
        conf.status = "answered"
        conf.answer_record = body.record.model_dump()
        # the parent's turn: a new window to accept or escalate, as long as the first one
        conf.deadline = add_working_days(emitter.today, rt.settings.confirm_working_days)
    else:
        if conf.status not in REVERSIBLE:
            raise StateConflict(status=conf.status, deadline=conf.deadline.isoformat())
        _reclaim_release(session, scope, emitter, conf)
        conf.status, conf.decided_at = "reversed", emitter.now
    conf.answer_kind, conf.answer_text, conf.answered_at = body.decision, body.text, emitter.now
    emit_confirmation(emitter, conf)
    with scoped(session, scope):
        session.flush()
    emitter.flush()
    return conf


def _reclaim_release(
    session: Session, scope: InstitutionScope, emitter: Emitter, conf: ConsumptionConfirmation
) -> None:
    """A lesson already released to the institution: the escrow takes back what that release moved."""
    with scoped(session, scope):
        released = session.scalar(
            select(EscrowEntry.amount_fen).where(
                EscrowEntry.kind == "release", EscrowEntry.ref_id == conf.attendance_id
            )
        )
    if released:
        EscrowLedger(session, emitter).record("reclaim", "attendance", conf.attendance_id, int(released))


def regulator_disputes(session: Session, scope: InstitutionScope) -> list[ConsumptionConfirmation]:
    """The disputes of one institution the regulator follows, newest first."""
    with scoped(session, scope):
        return list(
            session.scalars(
                select(ConsumptionConfirmation)
                .where(ConsumptionConfirmation.status.in_(REGULATOR_SEES))
                .order_by(ConsumptionConfirmation.created_on.desc(), ConsumptionConfirmation.id)
            )
        )
