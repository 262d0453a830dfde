"""The sync engine the UI and the CLI use: login/logout, one sync cycle, and a background loop.

A cycle is: handshake (protocol, clock skew) → push the outbox → pull the feed (or download a snapshot on
a new desk or after ``reset_required``). Failures are coded ``SyncError``s: transient ones are retried by
``run`` with backoff and full jitter (``Retry-After`` honoured); ones that need a person (log in again,
upgrade, a keyring) stop automatic retries until ``wake()`` — no crash loop. One cycle runs at a time.
"""

from __future__ import annotations

import datetime as dt
import logging
import socket
import threading
import time
from collections.abc import Callable

import httpx
from sqlalchemy import Connection

from app.db import Database
from localdb.ids import new_id
from localdb.types import format_utc
from sync import state
from sync.answers import send_answers
from sync.backoff import Backoff
from sync.client import DEFAULT_TIMEOUT, ApiClient, Meta
from sync.credentials import TokenStore, usable_keyring
from sync.dispute_answers import send_dispute_answers
from sync.errors import PlatformLost, ResetRequired, SyncError
from sync.materials import fetch_files, send_spot_answers, upload_files
from sync.pull import Puller
from sync.push import BATCH, Pusher, PushResult, pending_count
from sync.resend import request_resend, resend_lost_rows, resend_requested
from sync.restored import realign_after_restore
from sync.snapshot import SnapshotLoader, SnapshotResult
from sync.status import Progress, StatusBoard, SyncReport, SyncStatus

log = logging.getLogger("sync.engine")
OFFLINE_CODES = frozenset({"sync.offline", "sync.timeout"})


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _login_refused(stored: dict[str, str | None]) -> bool:
    """The last sync of a logged-in desk failed because the platform refused its login."""
    error = stored.get(state.LAST_ERROR) or ""
    return bool(stored.get(state.DEVICE_ID)) and error.startswith("sync.login_required")


def _sum(a: PushResult, b: PushResult) -> PushResult:
    return PushResult(
        a.applied + b.applied,
        a.duplicates + b.duplicates,
        a.conflicts + b.conflicts,
        a.rejected + b.rejected,
        a.batches + b.batches,
    )


class SyncEngine:
    """Sync of one local database with one platform server (``server_url`` or the one stored at login)."""

    def __init__(
        self,
        db: Database,
        server_url: str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        page_limit: int = 5000,
        batch: int = BATCH,
        interval: float = 30.0,
        now: Callable[[], dt.datetime] = _utcnow,
    ) -> None:
        self.db = db
        self.transport = transport
        self.timeout = timeout
        self.page_limit = page_limit
        self.batch = batch
        self.interval = interval
        self.now = now
        self.status = StatusBoard()
        self._cycle_lock = threading.Lock()
        self._wake = threading.Event()
        stored = self._state()
        self.server_url = (server_url or stored.get(state.SERVER_URL) or "").rstrip("/") or None
        self.uscc = stored.get(state.USCC)
        self._client: ApiClient | None = None
        self._resent = 0  # rows re-sent in the current cycle
        expired = _login_refused(stored)
        self.status.update(
            logged_in=bool(stored.get(state.DEVICE_ID)) and not expired,
            login_expired=expired,
            **self._counts(),
        )

    # ------------------------------------------------------------ public API

    def login(self, uscc: str, password: str, device_name: str | None = None) -> str:
        """Log this desk in (a new device on the server); returns the device id. Data comes with sync."""
        if not self.server_url:
            raise SyncError("sync.not_configured")
        uscc = uscc.strip().upper()
        stored = self._state()
        if stored.get(state.USCC) not in (None, uscc) and self._has_data():
            raise SyncError("sync.other_institution", current=stored.get(state.USCC), wanted=uscc)
        usable_keyring()  # before the server creates a device we could not keep
        client = self._new_client(uscc)
        client.handshake()
        name = device_name or socket.gethostname() or "InstDesk"
        result = client.login(uscc, password, name)
        with self.db.transaction() as session:
            self._remember_device(session.connection(), uscc, result.device_id, name, stored)
            state.put(session.connection(), state.LAST_ERROR, None)  # a refused login is over
        self._replace_client(client, uscc)
        self.status.update(logged_in=True, login_expired=False, last_error=None, last_error_code=None)
        self._wake.set()
        return result.device_id

    def logout(self) -> None:
        """Revoke this device on the server (if reachable) and forget its tokens here."""
        client = self._client_or_none()
        if client is not None:
            try:
                client.logout()
            except SyncError as exc:
                log.warning("logout: server not told (%s)", exc.code)
            client.tokens.forget()
        with self.db.transaction() as session:
            state.put(session.connection(), state.DEVICE_ID, None)
        self._replace_client(None, self.uscc)
        self.status.update(logged_in=False)

    def sync_once(self) -> SyncReport:
        """One full cycle; raises ``SyncError`` (also recorded in ``status``) when it fails."""
        with self._cycle_lock:
            self.status.update(running=True, progress=None)
            started = time.monotonic()
            try:
                report = self._cycle(started)
            except SyncError as exc:
                self._failed(exc)
                raise
            finally:
                self.status.update(running=False, progress=None, **self._counts())
            self._succeeded()
            return report

    def run(self, stop_event: threading.Event, interval: float | None = None) -> None:
        """Sync until ``stop_event`` is set: every ``interval`` seconds, or sooner after ``wake()``."""
        backoff = Backoff()
        period = self.interval if interval is None else interval
        while not stop_event.is_set():
            delay: float | None = period
            try:
                self.sync_once()
                backoff.reset()
            except SyncError as exc:
                delay = backoff.next_delay(exc.retry_after) if exc.transient else None
            except Exception:  # a bug: logged with details, retried later, never kills the thread
                log.exception("sync cycle failed")
                delay = backoff.next_delay()
            self.status.update(next_attempt_in=delay)
            self._sleep(stop_event, delay)

    def wake(self) -> None:
        """Sync now (after a local change, a login, or the user's "sync now")."""
        self._wake.set()

    def close(self) -> None:
        self._replace_client(None, self.uscc)

    def snapshot(self) -> SyncStatus:
        return self.status.snapshot()

    def login_state(self) -> str:
        """``logged_out`` (never logged in, or logged out), ``expired`` (the platform refused this desk's
        login: the last sync failed with ``sync.login_required``, or the keyring no longer holds its
        token) or ``logged_in``. Reads the keyring, not the network."""
        stored = self._state()
        if not stored.get(state.DEVICE_ID):
            return "logged_out"
        if _login_refused(stored):
            return "expired"
        client = self._client_or_none()
        if client is None or client.tokens.refresh_token() is None:
            return "expired"
        return "logged_in"

    def api(self) -> ApiClient:
        """The logged-in API client (for reconciliation such as ``instdesk check --server``)."""
        client = self._client_or_none()
        if client is None or not self._state().get(state.DEVICE_ID):
            raise SyncError("sync.login_required")
        client.handshake()
        return client

    # ------------------------------------------------------------ the cycle

    def _cycle(self, started: float) -> SyncReport:
        client = self._client_or_none()
        device_id = self._state().get(state.DEVICE_ID)
        if client is None or not device_id:
            raise SyncError("sync.login_required")
        meta = client.handshake()
        device_id = self._ensure_device(client, device_id)
        self.status.update(online=True, clock_skew_seconds=meta.skew_seconds)
        self._note_epoch(meta)
        self._resent = 0
        realign_after_restore(self.db, client, device_id)  # this desk restored from its own backup
        self._resend_if_requested(client)
        upload_files(self.db, client)  # material files the platform lacks, before their metadata is filed
        pushed = self._push(client, device_id)
        send_answers(self.db, client)  # refund-request answers typed offline; the pull brings their outcome
        send_spot_answers(self.db, client)  # spot-check answers name materials the push has just filed
        send_dispute_answers(self.db, client)  # 消课 dispute answers, after the push (a reversal's entry)
        snap, pulled, reset = None, None, False
        if self._state().get(state.CURSOR) is None:
            snap = self._snapshot(client)
        else:
            try:
                pulled = Puller(self.db, client, limit=self.page_limit, progress=self._progress("pull")).run()
            except ResetRequired as exc:
                reset = True
                if exc.ahead:  # the platform lost changes this desk had seen: re-send before the reload
                    self._resend(client)
                    pushed = _sum(pushed, self._push(client, device_id))
                snap = self._snapshot(client)
        fetch_files(self.db, client)  # files of materials another desk filed
        return SyncReport(
            pushed=pushed.applied,
            duplicates=pushed.duplicates,
            conflicts=pushed.conflicts,
            rejected=pushed.rejected,
            pulled=pulled.changes if pulled else 0,
            applied=(pulled.applied if pulled else 0) + (snap.applied if snap else 0),
            inbox=pulled.inbox if pulled else 0,
            pull_problems=(pulled.problems if pulled else 0) + (snap.problems if snap else 0),
            snapshot_rows=snap.rows if snap else 0,
            reset=reset,
            seconds=time.monotonic() - started,
            clock_skew_seconds=meta.skew_seconds,
            resent=self._resent,
        )

    def _push(self, client: ApiClient, device_id: str) -> PushResult:
        """Drain the outbox; a platform that lost acknowledged ops gets this desk's rows again first."""
        progress = self._progress("push")
        try:
            return Pusher(self.db, client, device_id, batch=self.batch, progress=progress).run()
        except PlatformLost as lost:
            log.warning("platform lost acknowledged ops (%s)", lost)
            self._resend(client)
            return Pusher(self.db, client, device_id, batch=self.batch, progress=progress).run()

    def _note_epoch(self, meta: Meta) -> None:
        """Remember the platform's first epoch; a different one later means it was restored: re-send."""
        if meta.epoch is None:
            return
        stored = self._state().get(state.EPOCH)
        if stored == meta.epoch:
            return
        with self.db.transaction() as session:
            conn = session.connection()
            if stored is not None:
                log.warning("platform epoch changed: it was restored from a backup")
                request_resend(conn)
            else:
                state.put(conn, state.EPOCH, meta.epoch)

    def _resend_if_requested(self, client: ApiClient) -> None:
        with self.db.reading() as session:
            wanted = resend_requested(session.connection())
        if wanted:
            self._resend(client)

    def _resend(self, client: ApiClient) -> None:
        """Queue again what the platform lost (``sync.resend``); counted in this cycle's report."""
        self.status.update(progress=Progress("resend", 0))
        self._resent += resend_lost_rows(self.db, client, limit=self.page_limit).queued

    def _ensure_device(self, client: ApiClient, device_id: str) -> str:
        """Get an access token; if the token belongs to another device than the database says (a crash
        between a login's keyring write and its commit), the token wins: it is what the server knows."""
        if client.tokens.access_token is not None:
            return device_id
        current = client.refresh().device_id
        if current != device_id:
            log.warning("device changed to the one of the stored token")
            stored = self._state()
            with self.db.transaction() as session:
                self._remember_device(
                    session.connection(),
                    self.uscc or "",
                    current,
                    stored.get(state.DEVICE_NAME) or "",
                    stored,
                )
        return current

    def _snapshot(self, client: ApiClient) -> SnapshotResult:
        loader = SnapshotLoader(self.db, client, limit=self.page_limit, progress=self._progress("snapshot"))
        return loader.run()

    def _progress(self, phase: str) -> Callable[[int], None]:
        def report(done: int) -> None:
            self.status.update(progress=Progress(phase, done))

        return report

    # ------------------------------------------------------------ helpers

    def _succeeded(self) -> None:
        now = self.now()
        with self.db.transaction() as session:
            state.put(session.connection(), state.LAST_SUCCESS, format_utc(now))
            state.put(session.connection(), state.LAST_ERROR, None)
        self.status.update(
            last_success=now, last_error=None, last_error_code=None, online=True, login_expired=False
        )

    def _failed(self, exc: SyncError) -> None:
        log.warning("sync failed: %s (%s)", exc.code, exc)
        try:
            with self.db.transaction() as session:
                state.put(session.connection(), state.LAST_ERROR, f"{exc.code}: {exc}")
        except Exception:  # the database may be the problem; the status still tells the user
            log.exception("could not record the sync error")
        online = False if exc.code in OFFLINE_CODES else self.status.snapshot().online
        refused = exc.code == "sync.login_required"
        logged_in = self.status.snapshot().logged_in and not refused
        expired = refused and self._has_device()
        self.status.update(
            last_error=str(exc),
            last_error_code=exc.code,
            online=online,
            logged_in=logged_in,
            login_expired=expired or (self.status.snapshot().login_expired and not logged_in),
        )

    def _sleep(self, stop_event: threading.Event, delay: float | None) -> None:
        deadline = None if delay is None else time.monotonic() + delay
        while not stop_event.is_set():
            remaining = 0.25 if deadline is None else min(0.25, deadline - time.monotonic())
            if remaining <= 0 or self._wake.wait(remaining):
                break
        self._wake.clear()

    def _state(self) -> dict[str, str | None]:
        with self.db.reading() as session:
            return state.get_many(session.connection())

    def _counts(self) -> dict[str, int]:
        with self.db.reading() as session:
            conn = session.connection()
            problems = conn.exec_driver_sql("SELECT count(*) FROM sync_problem WHERE resolved_at IS NULL")
            return {"pending_ops": pending_count(conn), "problems": int(problems.scalar() or 0)}

    def _has_device(self) -> bool:
        try:
            return bool(self._state().get(state.DEVICE_ID))
        except Exception:  # the database may be the problem (see _failed)
            return False

    def _has_data(self) -> bool:
        with self.db.reading() as session:
            conn = session.connection()
            return conn.exec_driver_sql("SELECT 1 FROM institution LIMIT 1").first() is not None

    def _remember_device(
        self, conn: Connection, uscc: str, device_id: str, name: str, stored: dict[str, str | None]
    ) -> None:
        if stored.get(state.DEVICE_ID) != device_id:
            conn.exec_driver_sql("DELETE FROM sync_outbox_seq")  # a new device numbers its ops from 1
            state.put(conn, state.NEXT_SEQ, 1)
            state.put(conn, state.ACKED_SEQ, 0)
        for key, value in (
            (state.SERVER_URL, self.server_url),
            (state.USCC, uscc),
            (state.DEVICE_ID, device_id),
            (state.DEVICE_NAME, name),
        ):
            state.put(conn, key, value)

    def _new_client(self, uscc: str) -> ApiClient:
        assert self.server_url is not None
        tokens = TokenStore(self.server_url, uscc, self._desk_key())
        return ApiClient(
            self.server_url, tokens, transport=self.transport, timeout=self.timeout, now=self.now
        )

    def _desk_key(self) -> str:
        """This database's random keyring id, made once (see ``credentials.account_key``)."""
        key = self._state().get(state.DESK_KEY)
        if key is None:
            key = new_id()
            with self.db.transaction() as session:
                state.put(session.connection(), state.DESK_KEY, key)
        return key

    def _client_or_none(self) -> ApiClient | None:
        if self._client is None and self.server_url and self.uscc:
            self._client = self._new_client(self.uscc)
        return self._client

    def _replace_client(self, client: ApiClient | None, uscc: str | None) -> None:
        if self._client is not None and self._client is not client:
            self._client.close()
        self._client, self.uscc = client, uscc
