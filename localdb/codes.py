"""Allowed values of the enum-like code columns (short English codes; Chinese labels live in the app/UI).

Each tuple feeds a CHECK constraint in the models, so the app can validate against the same source.
"""

from __future__ import annotations

CATEGORY_SCOPES = ("subject", "non_subject", "both")
DELIVERY_SCOPES = ("offline", "online", "both")
SUPERVISION_MODES = ("escrow", "guarantee")
#: how the contract settles disputes it cannot settle by talks (GF—2021—2604: a court or an arbitration body)
DISPUTE_RESOLUTIONS = ("court", "arbitration")
GENDERS = ("M", "F")
STAFF_KINDS = ("teaching", "research", "other")
EMPLOYMENTS = ("full_time", "part_time")
BACKGROUND_CHECKS = ("none", "pending", "passed", "failed")
COURSE_CATEGORIES = ("subject", "non_subject")
DELIVERIES = ("offline", "online")
STAGES = ("preschool", "compulsory", "high_school", "other")
ABSENT_POLICIES = ("charge", "free")
CLASS_FORMATS = ("one_to_one", "small", "large")
REVIEW_STATUSES = ("draft", "pending", "approved", "rejected")
SESSION_STATUSES = ("scheduled", "held", "cancelled")
ID_TYPES = ("id_card", "passport", "other")
SERVICE_CATEGORIES = ("offline_subject", "online_subject", "offline_non_subject", "online_non_subject")
CONTRACT_STATUSES = ("active", "closed", "refunded")
ORIGINS = ("desk", "platform")
PAYMENT_METHODS = ("cash", "wechat", "alipay", "bank_card", "transfer", "platform")
LEDGER_KINDS = ("purchase", "gift", "refund", "adjust", "expire", "reverse")
ATTENDANCE_STATUSES = ("present", "late", "leave", "absent", "trial", "makeup")
MAKEUP_STATUSES = ("open", "used", "expired", "cancelled")
REFUND_SOURCES = ("desk", "platform")
ROLES = ("front_desk", "manager", "stats")
COUNTER_KINDS = ("receipt", "contract")
OUTBOX_OPS = ("insert", "update", "delete")
OUTBOX_STATES = ("pending", "sending")
PROBLEM_KINDS = ("rejected", "conflict")
ANSWER_DECISIONS = ("agree", "reject")
#: a desk's answer to a platform request: waiting to be sent, accepted, refused as already decided, failed
ANSWER_STATES = ("pending", "sent", "conflict", "failed")
#: what a notice (a change the desk should hear about) is about
NOTICE_KINDS = ("course_review", "staff_check", "refund_request", "dispute", "sync_problem")
