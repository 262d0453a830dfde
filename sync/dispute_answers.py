"""Send the desk's answers to parents' 消课 disputes (``dispute_answer``) and record what came back.

Runs in every sync cycle after the push (so a reversal's ledger entry is on the platform first) and before
the pull, which brings the confirmation's new status into the inbox. Each pending answer is one
``POST /v1/consumption-confirmations/{id}/answer``, with the outcomes of ``sync.answers``:

* taken → ``sent`` (``server_status`` = the confirmation's status in the platform's reply);
* 409, the confirmation no longer allows it (the window closed: auto-confirmed, or escalated to the
  regulator) → ``conflict`` with the platform's status, never resent — unless that status is the one our
  answer leads to (our own answer whose reply was lost): then ``sent``;
* 404 or another refusal → ``failed`` with the platform's reason, never resent;
* offline, timeout, a busy server or a malformed reply → still ``pending``, sent again next cycle.
"""

from __future__ import annotations

import json
import logging

from sqlalchemy import select

from app.db import Database
from localdb.codes import AnswerState, DisputeDecision
from localdb.models_platform import DisputeAnswer
from localdb.types import utc_now
from sync.answers import STOP_CODES, AnswersResult
from sync.client import ApiClient
from sync.errors import SyncError

log = logging.getLogger("sync.dispute_answers")
#: the confirmation status each answer leads to
OUTCOME = {DisputeDecision.ROLL_CALL: "answered", DisputeDecision.REVERSE: "reversed"}


def send_dispute_answers(db: Database, client: ApiClient) -> AnswersResult:
    """Send every pending dispute answer once, oldest first; each outcome in its own transaction."""
    with db.reading() as session:
        pending = session.execute(
            select(
                DisputeAnswer.confirmation_id,
                DisputeAnswer.decision,
                DisputeAnswer.text,
                DisputeAnswer.record,
            )
            .where(DisputeAnswer.state == AnswerState.PENDING)
            .order_by(DisputeAnswer.created_at, DisputeAnswer.confirmation_id)
        ).all()
    counts = {AnswerState.SENT: 0, AnswerState.CONFLICT: 0, AnswerState.FAILED: 0}
    waiting = 0
    for index, (confirmation_id, decision, text, record) in enumerate(pending):
        try:
            reply = client.answer_dispute(
                confirmation_id, decision, text, json.loads(record) if record else None
            )
        except SyncError as exc:
            if not exc.transient and exc.code not in ("sync.state_conflict", "sync.rejected_request"):
                raise
            if exc.transient:
                _retry_later(db, confirmation_id, exc)
                waiting += 1
                if exc.code in STOP_CODES:
                    waiting += len(pending) - index - 1
                    log.info("dispute answers: %s, %d left for the next cycle", exc.code, waiting)
                    break
                continue
            state = str(exc.params.get("state", ""))
            if state == OUTCOME.get(decision):
                outcome = AnswerState.SENT
            elif exc.code == "sync.state_conflict":
                outcome = AnswerState.CONFLICT
            else:
                outcome = AnswerState.FAILED
            error = None if outcome == AnswerState.SENT else str(exc)
            _settle(db, confirmation_id, outcome, state or None, error)
            counts[outcome] += 1
        else:
            _settle(db, confirmation_id, AnswerState.SENT, str(reply["status"]), None)
            counts[AnswerState.SENT] += 1
    sent, conflicts, failed = (
        counts[AnswerState.SENT],
        counts[AnswerState.CONFLICT],
        counts[AnswerState.FAILED],
    )
    result = AnswersResult(sent, conflicts, failed, waiting)
    if pending:
        log.info("dispute answers: %s", result)
    return result


def _settle(
    db: Database, confirmation_id: str, state: AnswerState, server_status: str | None, error: str | None
) -> None:
    with db.transaction() as session:
        answer = session.get(DisputeAnswer, confirmation_id)
        if answer is None or answer.state != AnswerState.PENDING:
            return  # never overwrite an outcome
        answer.state, answer.server_status, answer.last_error = state, server_status, error
        answer.attempts += 1
        answer.settled_at = utc_now()


def _retry_later(db: Database, confirmation_id: str, exc: SyncError) -> None:
    with db.transaction() as session:
        answer = session.get(DisputeAnswer, confirmation_id)
        if answer is not None and answer.state == AnswerState.PENDING:
            answer.attempts += 1
            answer.last_error = f"{exc.code}: {exc}"
