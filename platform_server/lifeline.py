"""``serve --exit-with-parent PID``: a server started by the desktop demo never outlives the app.

The app stops the server in a ``finally`` when it ends normally. When the app is killed (``kill -9``, a
crash), that code never runs; then on Linux the kernel sends this process SIGTERM (``PR_SET_PDEATHSIG``),
and everywhere a watchdog thread notices that the parent is gone (POSIX: we were re-parented, so
``getppid()`` changed) and sends SIGTERM to ourselves. uvicorn handles SIGTERM as a graceful shutdown.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import signal
import sys
import threading

log = logging.getLogger("platform_server.lifeline")
PR_SET_PDEATHSIG = 1


def _ask_kernel_for_sigterm_on_parent_death() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError) as exc:  # the watchdog still covers it
        log.info("PR_SET_PDEATHSIG unavailable (%s)", exc)


def _windows_process_alive(pid: int) -> bool:
    synchronize, wait_timeout = 0x00100000, 0x102
    kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined,unused-ignore]
    handle = kernel32.OpenProcess(synchronize, False, pid)
    if not handle:
        return False
    try:
        return bool(kernel32.WaitForSingleObject(handle, 0) == wait_timeout)
    finally:
        kernel32.CloseHandle(handle)


def _parent_alive(parent_pid: int) -> bool:
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process there
        return _windows_process_alive(parent_pid)
    if os.getppid() != parent_pid:  # re-parented: the parent has ended
        return False
    try:
        os.kill(parent_pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _terminate_self() -> None:
    """SIGTERM to this process: uvicorn's handler turns it into a graceful shutdown."""
    if sys.platform == "win32":
        signal.raise_signal(signal.SIGTERM)
    else:
        os.kill(os.getpid(), signal.SIGTERM)


def exit_with_parent(parent_pid: int, interval: float = 1.0) -> None:
    """End this process (SIGTERM) when ``parent_pid`` ends; right away if it already has."""
    _ask_kernel_for_sigterm_on_parent_death()
    if not _parent_alive(parent_pid):
        log.warning("parent %s is gone: exiting", parent_pid)
        sys.exit(0)

    def watch() -> None:
        stopped = threading.Event()
        while not stopped.wait(interval):
            if not _parent_alive(parent_pid):
                log.warning("parent %s is gone: shutting down", parent_pid)
                _terminate_self()
                return

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()
