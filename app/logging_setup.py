"""Logging as infrastructure: one logger per layer, a rotating file in the user log directory.

Identity numbers, passwords and tokens never reach the log: a filter masks anything shaped like one,
so a careless ``log.info("%s", row)`` cannot leak them either.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

from app.paths import log_dir

LAYERS = ("instdesk", "app", "localdb", "sync", "ui", "platform_server")
LOG_FILE_NAME = "instdesk.log"

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_SECRET = re.compile(
    r"(?i)((?:password|passwd|token|secret|authorization|refresh_token|access_token)[\"']?\s*[:=]\s*[\"']?)"
    r"([^\s\"',}]+)"
)
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")


def redact(text: str) -> str:
    """Mask identity numbers and anything that looks like a credential."""
    text = _ID_NUMBER.sub(r"\1********\2", text)
    text = _BEARER.sub(r"\1***", text)
    return _SECRET.sub(r"\1***", text)


class RedactingFilter(logging.Filter):
    """Rewrites every record's final message through ``redact``."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = redact(record.getMessage())
        record.msg = message
        record.args = None
        return True


class _InstDeskFileHandler(logging.handlers.RotatingFileHandler):
    """The rotating file handler this module installs (so a second call can find and replace it)."""


def configure_logging(level: int = logging.INFO, directory: Path | None = None) -> Path:
    """Send every layer's logger to one rotating file; returns the log file path."""
    folder = directory or log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE_NAME
    handler = _InstDeskFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    for layer in LAYERS:
        logger = logging.getLogger(layer)
        logger.setLevel(level)
        for old in [h for h in logger.handlers if isinstance(h, _InstDeskFileHandler)]:
            logger.removeHandler(old)  # configuring again (another directory) replaces, never doubles
            old.close()
        logger.addHandler(handler)
    return path
