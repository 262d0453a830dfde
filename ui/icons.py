"""Icons from the Material Design set that ``qtawesome`` ships (no icon is drawn by hand).

``qtawesome`` loads its fonts on first use (~0.1 s), after the ``QApplication`` exists; icons are cached.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

#: the icon of each screen and action, by the key the code uses
NAMES = {
    "today": "mdi6.view-dashboard-outline",
    "frontdesk": "mdi6.account-check-outline",
    "students": "mdi6.account-school-outline",
    "owed": "mdi6.cash-clock",
    "courses": "mdi6.book-open-page-variant-outline",
    "schedule": "mdi6.calendar-month-outline",
    "staff": "mdi6.badge-account-horizontal-outline",
    "users": "mdi6.account-key-outline",
    "platform": "mdi6.bell-outline",
    "stats": "mdi6.chart-bar",
    "settings": "mdi6.cog-outline",
    "sign_out": "mdi6.logout",
    "quit": "mdi6.power",
    "sync": "mdi6.sync",
    "close": "mdi6.close",
    "info": "mdi6.information-outline",
    "success": "mdi6.check-circle-outline",
    "warning": "mdi6.alert-circle-outline",
}
NORMAL = "#52606d"
ACTIVE = "#2f6fed"


@cache
def icon(key: str, color: str = NORMAL, active_color: str = ACTIVE) -> QIcon:
    """The icon for ``key`` (a key of ``NAMES``), drawn in ``active_color`` when checked or selected."""
    import qtawesome

    found: QIcon = qtawesome.icon(
        NAMES[key],
        color=color,
        color_active=active_color,
        color_on=active_color,
        color_on_active=active_color,
    )
    return found
