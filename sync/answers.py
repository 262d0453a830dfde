"""Send the desk's answers to platform refund requests (``refund_answer``) and record what came back.

Runs in every sync cycle after the push and before the pull, so the pull right after brings the request's
new status into the inbox. Each pending answer is one ``POST /v1/refund-requests/{id}/respond``:

* taken → ``sent`` (``server_status`` = the request's status the platform answered with);
* 409, the request is no longer awaiting an answer → ``conflict`` with the platform's status, kept for the
  user and never resent — except when that status is what we asked for (our own answer whose reply was
  lost, or a colleague's identical one): then it is ``sent``;
* 404 or another refusal of the request → ``failed`` with the platform's reason, never resent;
* offline, timeout, a busy server or a malformed reply → still ``pending`` (attempts and the error kept):
  sent again next cycle. Such a failure does not fail the cycle, so the pull still runs.

Login and protocol errors are raised: the whole cycle needs a person then.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from app.db import Database
from localdb.codes import AnswerState
from localdb.models_platform import RefundAnswer
from localdb.types import utc_now
from sync.client import ApiClient
from sync.errors import SyncError

log = logging.getLogger("sync.answers")
#: the request status each decision leads to
OUTCOME = {"agree": "agreed", "reject": "rejected"}
#: transient failures after which the next answers would fail the same way: stop for this cycle
STOP_CODES = frozenset({"sync.offline", "sync.timeout", "sync.server_error"})


@dataclass(frozen=True)
class AnswersResult:
    sent: int = 0
    conflicts: int = 0
    failed: int = 0
    waiting: int = 0  # still pending after this cycle (sent again next cycle)


def send_answers(db: Database, client: ApiClient) -> AnswersResult:
    """Send every pending answer once, oldest first; record each outcome in its own transaction."""
    with db.reading() as session:
        pending = session.execute(
            select(RefundAnswer.request_id, RefundAnswer.decision, RefundAnswer.reason)
            .where(RefundAnswer.state == AnswerState.PENDING)
            .order_by(RefundAnswer.created_at, RefundAnswer.request_id)
        ).all()
    counts = {AnswerState.SENT: 0, AnswerState.CONFLICT: 0, AnswerState.FAILED: 0}
    waiting = 0
    for index, (request_id, decision, reason) in enumerate(pending):
        try:
            reply = client.respond_refund(request_id, decision, reason)
        except SyncError as exc:
            if not exc.transient and exc.code not in ("sync.state_conflict", "sync.rejected_request"):
                raise
            if exc.transient:
                _retry_later(db, request_id, exc)
                waiting += 1
                if exc.code in STOP_CODES:
                    waiting += len(pending) - index - 1
                    log.info("refund answers: %s, %d left for the next cycle", exc.code, waiting)
                    break
                continue
            state = str(exc.params.get("state", ""))
            outcome = AnswerState.SENT if state == OUTCOME.get(decision) else _refused(exc)
            _settle(db, request_id, outcome, state or None, None if outcome == AnswerState.SENT else str(exc))
            counts[outcome] += 1
        else:
            _settle(db, request_id, AnswerState.SENT, str(reply["status"]), None)
            counts[AnswerState.SENT] += 1
    result = AnswersResult(
        counts[AnswerState.SENT], counts[AnswerState.CONFLICT], counts[AnswerState.FAILED], waiting
    )
    if pending:
        log.info("refund answers: %s", result)
    return result


def _refused(exc: SyncError) -> AnswerState:
    return AnswerState.CONFLICT if exc.code == "sync.state_conflict" else AnswerState.FAILED


def _settle(
    db: Database, request_id: str, state: AnswerState, server_status: str | None, error: str | None
) -> None:
    with db.transaction() as session:
        answer = session.get(RefundAnswer, request_id)
        if answer is None or answer.state != AnswerState.PENDING:
            return  # changed meanwhile (cannot happen with one writer; never overwrite an outcome)
        answer.state, answer.server_status, answer.last_error = state, server_status, error
        answer.attempts += 1
        answer.settled_at = utc_now()


def _retry_later(db: Database, request_id: str, exc: SyncError) -> None:
    with db.transaction() as session:
        answer = session.get(RefundAnswer, request_id)
        if answer is not None and answer.state == "pending":
            answer.attempts += 1
            answer.last_error = f"{exc.code}: {exc}"
