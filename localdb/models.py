"""All ORM models of the local database (import them from here).

Definitions live in ``models_master`` (master data), ``models_trade`` (contracts, money, attendance) and
``models_local`` (local-only tables); this module is the stable import point for the other layers.
"""

from __future__ import annotations

from localdb.base import Base, MasterMixin, SyncedMixin, mirror_scalar_defaults
from localdb.models_local import (
    AppUser,
    AuditLog,
    DeskCounter,
    LocalSetting,
    Notice,
    SyncCapture,
    SyncOutbox,
    SyncProblem,
    SyncState,
)
from localdb.models_master import (
    Campus,
    Course,
    Guardian,
    Institution,
    Klass,
    KlassMember,
    LessonSession,
    PolicyProfile,
    Room,
    ScheduleRule,
    Staff,
    Student,
)
from localdb.models_material import Material, MaterialFile, SpotCheckAnswer
from localdb.models_owed import OwedPayment, OwedReminder, ReceivableEntry
from localdb.models_platform import (  # noqa: F401  (sync tables)
    DisputeAnswer,
    PlatformInbox,
    RefundAnswer,
    SyncOutboxSeq,
)
from localdb.models_summary import MoneyDay, MoneyMonth, SessionTally  # noqa: F401  (statistics caches)
from localdb.models_trade import Attendance, Contract, LedgerEntry, MakeupEntitlement, Payment, Refund

__all__ = [
    "AppUser",
    "Attendance",
    "AuditLog",
    "Base",
    "Campus",
    "Contract",
    "Course",
    "DeskCounter",
    "Guardian",
    "Institution",
    "Klass",
    "KlassMember",
    "LedgerEntry",
    "LessonSession",
    "LocalSetting",
    "Notice",
    "OwedPayment",
    "OwedReminder",
    "MakeupEntitlement",
    "MasterMixin",
    "Material",
    "MaterialFile",
    "Payment",
    "PolicyProfile",
    "ReceivableEntry",
    "Refund",
    "Room",
    "ScheduleRule",
    "Staff",
    "SpotCheckAnswer",
    "Student",
    "SyncCapture",
    "SyncOutbox",
    "SyncProblem",
    "SyncState",
    "SyncedMixin",
]

metadata = Base.metadata
mirror_scalar_defaults(metadata)
# MODELS-READY
