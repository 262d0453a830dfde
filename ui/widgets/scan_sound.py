"""A short sound for each scanner answer, so the desk hears it without looking: a high tone for
已签到, a middle tone for 已签到过, a low double tone for every refusal.

The tones are written once as small WAV files in the temp directory and played with ``QSoundEffect``.
Where Qt Multimedia cannot load (no audio library on the machine) the system beep stands in: once for
good news, twice for a refusal.
"""

from __future__ import annotations

import logging
import math
import struct
import tempfile
import wave
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtWidgets import QApplication

log = logging.getLogger("ui.sound")

#: answer kind → (frequency Hz, number of beeps)
TONES = {"good": (1320, 1), "repeat": (880, 1), "bad": (330, 2)}
RATE = 22050
BEEP_MS = 90


def tone_file(kind: str) -> Path:
    """The WAV file of one answer's tone (16-bit mono), written on first use."""
    freq, beeps = TONES[kind]
    path = Path(tempfile.gettempdir()) / f"instdesk-scan-{kind}.wav"
    if not path.exists():
        samples = bytearray()
        beep = int(RATE * BEEP_MS / 1000)
        for n in range(beeps):
            samples += b"".join(
                struct.pack("<h", int(9000 * math.sin(2 * math.pi * freq * i / RATE))) for i in range(beep)
            )
            if n + 1 < beeps:
                samples += b"\0\0" * (beep // 2)
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(bytes(samples))
    return path


class ScanSound:
    def __init__(self) -> None:
        self.last: str | None = None  # the last answer sounded (tests check it)
        self._effects: dict[str, Any] | None = None

    def _load(self) -> dict[str, Any]:
        if self._effects is None:
            self._effects = {}
            try:
                from PySide6.QtMultimedia import QSoundEffect
            except ImportError as exc:  # e.g. no PulseAudio library: the beep stands in
                log.info("scanner sounds use the system beep (%s)", exc)
                return self._effects
            for kind in TONES:
                effect = QSoundEffect()
                effect.setSource(QUrl.fromLocalFile(str(tone_file(kind))))
                self._effects[kind] = effect
        return self._effects

    def play(self, kind: str) -> None:
        self.last = kind
        effect = self._load().get(kind)
        if effect is not None:
            effect.play()
            return
        QApplication.beep()
        if TONES[kind][1] > 1:
            QTimer.singleShot(BEEP_MS * 2, QApplication.beep)
