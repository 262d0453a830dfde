"""Work-arounds for bugs of the Qt binding in use.

PySide6 6.12: ``SignalInstance.emit()`` returns ``True`` without taking a reference, so every emit from
Python drops one reference of ``True``; a long session then dies with "bool_dealloc: deallocating True".
Always emit through ``emit(signal, *args)``: it detects the bug once and gives the reference back.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


class _Probe(QObject):
    ping = Signal()


def _emit_drops_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    result: object = probe.ping.emit()  # type: ignore[func-returns-value]
    dropped = sys.getrefcount(True) < before + (1 if result is True else 0)
    if dropped:
        _incref(result)
    del result
    return dropped


EMIT_DROPS_REFERENCE = _emit_drops_reference()


def emit(signal: Any, *args: Any) -> None:
    """``signal.emit(*args)``, repairing the binding's reference count of the result when needed."""
    result = signal.emit(*args)
    if EMIT_DROPS_REFERENCE:
        _incref(result)
