"""Before Qt starts: is there a screen to show a window on, and can Qt's X11 platform plugin load?

Without this check Qt decides by itself: with no display it tries xcb and aborts the process (a core
dump, exit 134), and with a display but a missing ``libxcb-*`` library it aborts with a long plugin
message. ``display_problem`` returns one clear Chinese + English line instead (``None`` when the window
can open). Qt-free on purpose: ``instdesk gui`` calls it before importing PySide6. The packages a
Debian/Ubuntu desktop needs are listed in the README (requirements of ``make run``).
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

#: shared libraries Qt's xcb platform plugin loads (PySide6 6.x), with the Debian/Ubuntu package of each
XCB_LIBRARIES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11-xcb.so.1": "libx11-xcb1",
}


def _loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_xcb_packages(loads: Callable[[str], bool] = _loads) -> list[str]:
    """The Debian/Ubuntu packages whose library Qt's xcb plugin would fail to load."""
    return [package for soname, package in XCB_LIBRARIES.items() if not loads(soname)]


def display_problem(
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    loads: Callable[[str], bool] = _loads,
) -> str | None:
    """Why no window can be shown here (one line, Chinese / English), or ``None`` when it can.

    Only Linux and the other X11/Wayland systems are checked: Windows and macOS always have a screen.
    An explicit ``QT_QPA_PLATFORM`` (offscreen for tests, wayland, vnc, …) is the user's choice and is
    left to Qt.
    """
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if platform.startswith(("win", "darwin", "cygwin")) or env.get("QT_QPA_PLATFORM"):
        return None
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return (
            "没有可用的显示器（DISPLAY 和 WAYLAND_DISPLAY 均未设置），无法打开窗口。"
            " / No display found (neither DISPLAY nor WAYLAND_DISPLAY is set): cannot open a window."
        )
    # A frozen build may carry its own copies of these libraries where dlopen by name does not look.
    if env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY") and not getattr(sys, "frozen", False):
        missing = missing_xcb_packages(loads)
        if missing:
            packages = " ".join(missing)
            return (
                f"缺少 Qt 显示所需的系统库，请先安装：sudo apt-get install {packages}"
                f" / Qt's X11 platform needs these packages: {packages}"
            )
    return None
