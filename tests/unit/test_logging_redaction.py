from __future__ import annotations

import logging
from pathlib import Path

from app.logging_setup import configure_logging, redact


def test_identity_numbers_are_masked() -> None:
    assert redact("学员 11010519491231002X 报名") == "学员 110105********002X 报名"


def test_credentials_are_masked() -> None:
    text = redact('password=hunter2 {"refresh_token": "abc.def"} Authorization: Bearer xyz123')
    assert "hunter2" not in text and "abc.def" not in text and "xyz123" not in text


def test_log_file_never_contains_secrets(tmp_path: Path) -> None:
    path = configure_logging(directory=tmp_path)
    logging.getLogger("app.test").warning("login %s token=%s", "440524188001010014", "s3cret")
    for handler in logging.getLogger("app").handlers:
        handler.flush()
    content = path.read_text(encoding="utf-8")
    assert "440524188001010014" not in content and "s3cret" not in content
    assert "440524********0014" in content


def test_configuring_again_replaces_the_file_handler(tmp_path: Path) -> None:
    configure_logging(directory=tmp_path / "first")
    second = configure_logging(directory=tmp_path / "second")
    logging.getLogger("app.test").warning("only in the second file")
    handlers = [h for h in logging.getLogger("app").handlers if isinstance(h, logging.FileHandler)]
    assert len(handlers) == 1
    handlers[0].flush()
    assert "only in the second file" in second.read_text(encoding="utf-8")
