"""Typed settings: defaults, round trips through the INI file, a version."""

from __future__ import annotations

from pathlib import Path

from ui.settings import Settings


def test_defaults_and_round_trip(tmp_path: Path, qapp: object) -> None:
    settings = Settings.at(tmp_path / "s.ini")
    assert settings.language == "zh_CN" and settings.server_url == "" and settings.version == Settings.VERSION
    settings.server_url = "http://127.0.0.1:8765"
    settings.first_run_done = True
    settings.window_geometry = b"\x01\x02"
    settings.sync()
    again = Settings.at(tmp_path / "s.ini")
    assert again.server_url == "http://127.0.0.1:8765"
    assert again.first_run_done is True
    assert again.window_geometry == b"\x01\x02"
    assert "password" not in (tmp_path / "s.ini").read_text().lower()
