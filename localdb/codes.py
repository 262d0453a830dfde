"""Every family of short English codes the desk stores, compares or sends, one ``StrEnum`` each.

A member *is* its string (``AttendanceStatus.PRESENT == "present"``), so the database values, the wire
values and the CHECK constraints are the codes as they always were; what the enums add is one definition
that the models' ``Mapped[...]`` types, the rules, the sync mapping and the UI's label tables all name, so a
typo is a type error and a label table that misses a member fails its test. Chinese labels live in the
app (messages) and the UI (``tr``). The tuples below feed the models' CHECK constraints.
"""

from __future__ import annotations

from enum import StrEnum


class CategoryScope(StrEnum):
    """What an institution's licence covers: 学科类, 非学科类 or both."""

    SUBJECT = "subject"
    NON_SUBJECT = "non_subject"
    BOTH = "both"


class DeliveryScope(StrEnum):
    """How an institution may teach: 线下, 线上 or both."""

    OFFLINE = "offline"
    ONLINE = "online"
    BOTH = "both"


class SupervisionMode(StrEnum):
    """How prepaid money is protected: an escrow account (资金托管) or a bank guarantee (风险保证金)."""

    ESCROW = "escrow"
    GUARANTEE = "guarantee"


class DisputeResolution(StrEnum):
    """How the contract settles disputes it cannot settle by talks (GF—2021—2604)."""

    COURT = "court"
    ARBITRATION = "arbitration"


class Gender(StrEnum):
    M = "M"
    F = "F"


class StaffKind(StrEnum):
    """教学人员, 教研人员, 其他人员."""

    TEACHING = "teaching"
    RESEARCH = "research"
    OTHER = "other"


class Employment(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"


class BackgroundCheck(StrEnum):
    """A staff member's 准入查询 (background check) as the platform answered it."""

    NONE = "none"
    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"


class CourseCategory(StrEnum):
    SUBJECT = "subject"
    NON_SUBJECT = "non_subject"


class Delivery(StrEnum):
    OFFLINE = "offline"
    ONLINE = "online"


class Stage(StrEnum):
    PRESCHOOL = "preschool"
    COMPULSORY = "compulsory"
    HIGH_SCHOOL = "high_school"
    OTHER = "other"


class AbsentPolicy(StrEnum):
    CHARGE = "charge"
    FREE = "free"


class ClassFormat(StrEnum):
    ONE_TO_ONE = "one_to_one"
    SMALL = "small"
    LARGE = "large"


class ReviewStatus(StrEnum):
    """A course's review by the platform: drafted at the desk, submitted, then approved or rejected."""

    DRAFT = "draft"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


class IdType(StrEnum):
    ID_CARD = "id_card"
    PASSPORT = "passport"
    OTHER = "other"


class ServiceCategory(StrEnum):
    OFFLINE_SUBJECT = "offline_subject"
    ONLINE_SUBJECT = "online_subject"
    OFFLINE_NON_SUBJECT = "offline_non_subject"
    ONLINE_NON_SUBJECT = "online_non_subject"


class ContractStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"
    REFUNDED = "refunded"


class Origin(StrEnum):
    DESK = "desk"
    PLATFORM = "platform"


class PaymentMethod(StrEnum):
    CASH = "cash"
    WECHAT = "wechat"
    ALIPAY = "alipay"
    BANK_CARD = "bank_card"
    TRANSFER = "transfer"
    PLATFORM = "platform"


class LedgerKind(StrEnum):
    PURCHASE = "purchase"
    GIFT = "gift"
    REFUND = "refund"
    ADJUST = "adjust"
    EXPIRE = "expire"
    REVERSE = "reverse"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    LATE = "late"
    LEAVE = "leave"
    ABSENT = "absent"
    TRIAL = "trial"
    MAKEUP = "makeup"


class MakeupStatus(StrEnum):
    OPEN = "open"
    USED = "used"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class RefundSource(StrEnum):
    DESK = "desk"
    PLATFORM = "platform"


class CounterKind(StrEnum):
    RECEIPT = "receipt"
    CONTRACT = "contract"


class OutboxOp(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"


class ProblemKind(StrEnum):
    """Why a local change did not take on the platform."""

    REJECTED = "rejected"
    CONFLICT = "conflict"


class AnswerDecision(StrEnum):
    AGREE = "agree"
    REJECT = "reject"


class AnswerState(StrEnum):
    """A desk's answer to a platform request: waiting to be sent, accepted, refused as already decided,
    failed."""

    PENDING = "pending"
    SENT = "sent"
    CONFLICT = "conflict"
    FAILED = "failed"


class DisputeDecision(StrEnum):
    """How the desk answers a parent's 消课 dispute: the lesson's roll-call record, or the charge given
    back (``dispute_answer.decision``)."""

    ROLL_CALL = "roll_call"
    REVERSE = "reverse"


class ConfirmationStatus(StrEnum):
    """The platform's status of a 消课 confirmation (``consumption_confirmation``, docs/sync.md 消课异议):
    awaiting the parent, confirmed by them or by the window's end, disputed, answered by the institution,
    with the regulator, the charge reversed, or withdrawn (the lesson was undone)."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    AUTO_CONFIRMED = "auto_confirmed"
    DISPUTED = "disputed"
    ANSWERED = "answered"
    ESCALATED = "escalated"
    REVERSED = "reversed"
    CANCELLED = "cancelled"


class NoticeKind(StrEnum):
    """What a notice (a change the desk should hear about) is about."""

    COURSE_REVIEW = "course_review"
    STAFF_CHECK = "staff_check"
    REFUND_REQUEST = "refund_request"
    DISPUTE = "dispute"
    SYNC_PROBLEM = "sync_problem"


class InboxKind(StrEnum):
    """The tabs of the 平台 inbox: what the platform sent down, and the desk's own sync problems."""

    REFUND = "refund"
    DISPUTE = "dispute"
    COMPLAINT = "complaint"
    REVIEW = "review"
    PROBLEM = "problem"


class InboxStatus(StrEnum):
    """The platform's status of an inbox item the desk shows (refund requests, 消课 disputes, complaints)
    and of the desk's own sync problems."""

    REQUESTED = "requested"
    AGREED = "agreed"
    AUTO_AGREED = "auto_agreed"
    REJECTED = "rejected"
    DISPUTED = "disputed"
    OPEN = "open"
    CONFLICT = "conflict"


class CheckIn(StrEnum):
    """What the barcode scanner answers for one card."""

    CHECKED_IN = "checked_in"
    ALREADY = "already"
    NOT_IN_CLASS = "not_in_class"
    OWING = "owing"  # marked with no 课时 left, owed
    NO_UNITS = "no_units"  # refused: owing is forbidden
    EXPIRED = "expired"  # refused: only a contract past its end date has 课时
    UNKNOWN_CARD = "unknown_card"


class PushOutcome(StrEnum):
    """The platform's answer to one pushed op (docs/sync.md, "Push")."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    REJECTED = "rejected"


class Billing(StrEnum):
    """How a contract is paid: a prepaid package, or 先学后付 (docs/pay_after.md)."""

    PREPAID = "prepaid"
    PAY_AFTER = "pay_after"


class ReceivableKind(StrEnum):
    """A 先学后付 receivable entry: a lesson owed (+), its reversal (−), a payment against it (−)."""

    LESSON = "lesson"
    REVERSE = "reverse"
    PAYMENT = "payment"


class OwedPaymentSource(StrEnum):
    """Where a 先学后付 payment was taken: at the desk or on the platform's parent side."""

    DESK = "desk"
    PLATFORM = "platform"


class MaterialKind(StrEnum):
    """What a training material (培训材料) is: 教材, 讲义, 课件 or another kind (docs/materials.md)."""

    TEXTBOOK = "textbook"
    HANDOUT = "handout"
    SLIDES = "slides"
    OTHER = "other"


class MaterialFiling(StrEnum):
    """Where a material stands with the platform: not pushed yet, metadata filed but the file not
    uploaded, or filed (a read-model state, not stored)."""

    LOCAL = "local"
    FILE_PENDING = "file_pending"
    FILED = "filed"


class SpotCheckStatus(StrEnum):
    """The platform's status of a spot check: waiting for an answer, answered in time, answered late."""

    OPEN = "open"
    ANSWERED = "answered"
    LATE = "late"


class SpotAnswerState(StrEnum):
    """The desk's answer to a platform spot check: waiting to be sent, taken in time, taken late, refused."""

    PENDING = "pending"
    SENT = "sent"
    LATE = "late"
    FAILED = "failed"


#: the note an undo wrote before migration 0010 made ``attendance.undone`` a column; undo still writes it
#: so desks older than that migration (which read the note) see the row as undone, and a row pulled from
#: such a desk (no ``undone`` on the wire) is read as undone when it carries it. Nothing else reads it.
LEGACY_UNDONE_NOTE = "已撤销点名"


def values(codes: type[StrEnum]) -> tuple[str, ...]:
    """The stored strings of a code family, in definition order (for CHECK constraints and choices)."""
    return tuple(member.value for member in codes)


CATEGORY_SCOPES = values(CategoryScope)
DELIVERY_SCOPES = values(DeliveryScope)
SUPERVISION_MODES = values(SupervisionMode)
DISPUTE_RESOLUTIONS = values(DisputeResolution)
GENDERS = values(Gender)
STAFF_KINDS = values(StaffKind)
EMPLOYMENTS = values(Employment)
BACKGROUND_CHECKS = values(BackgroundCheck)
COURSE_CATEGORIES = values(CourseCategory)
DELIVERIES = values(Delivery)
STAGES = values(Stage)
ABSENT_POLICIES = values(AbsentPolicy)
CLASS_FORMATS = values(ClassFormat)
REVIEW_STATUSES = values(ReviewStatus)
SESSION_STATUSES = values(SessionStatus)
ID_TYPES = values(IdType)
SERVICE_CATEGORIES = values(ServiceCategory)
CONTRACT_STATUSES = values(ContractStatus)
ORIGINS = values(Origin)
PAYMENT_METHODS = values(PaymentMethod)
LEDGER_KINDS = values(LedgerKind)
ATTENDANCE_STATUSES = values(AttendanceStatus)
MAKEUP_STATUSES = values(MakeupStatus)
REFUND_SOURCES = values(RefundSource)
BILLINGS = values(Billing)
RECEIVABLE_KINDS = values(ReceivableKind)
OWED_PAYMENT_SOURCES = values(OwedPaymentSource)
ROLES = ("front_desk", "manager", "stats")  # the enum is app.permissions.Role (it carries permissions)
COUNTER_KINDS = values(CounterKind)
OUTBOX_OPS = values(OutboxOp)
OUTBOX_STATES = values(OutboxState)
PROBLEM_KINDS = values(ProblemKind)
ANSWER_DECISIONS = values(AnswerDecision)
ANSWER_STATES = values(AnswerState)
DISPUTE_DECISIONS = values(DisputeDecision)
CONFIRMATION_STATUSES = values(ConfirmationStatus)
NOTICE_KINDS = values(NoticeKind)
MATERIAL_KINDS = values(MaterialKind)
SPOT_ANSWER_STATES = values(SpotAnswerState)
