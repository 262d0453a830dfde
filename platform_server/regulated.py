"""Server-authoritative fields of pushed rows (course review, staff background check)."""

from __future__ import annotations

from platform_server.wire import JsonObject

CLIENT_REVIEW_MOVES = {("draft", "pending"), ("rejected", "pending"), (None, "draft"), (None, "pending")}
PLATFORM_CHECK_RESULTS = frozenset({"passed", "failed"})
KEPT_NOTE = "{field} 由平台决定,已保留平台的值 / {field} is decided by the platform; its value was kept"
#: What parents buy: an approved course that changes any of these goes back to review (``pending``).
REVIEWED_FIELDS = (
    "name", "price_fen", "units_per_lesson", "lessons_per_package", "minutes_per_lesson", "category",
    "subject", "stage", "delivery", "class_format", "pay_after_learning", "absent_policy",
)  # fmt: skip
BACK_TO_REVIEW_NOTE = (
    "已上架课程的{fields}有变更,已重新提交审核 / The approved course changed ({fields}): back to review"
)


def merge_regulated(
    entity: str, server: JsonObject | None, pushed: JsonObject
) -> tuple[JsonObject, str | None]:
    """Return the payload to store and a note when a regulated field was overridden."""
    if entity == "course":
        return _course(server, pushed)
    if entity == "staff":
        return _staff(server, pushed)
    return pushed, None


def _course(server: JsonObject | None, pushed: JsonObject) -> tuple[JsonObject, str | None]:
    changed = _reviewed_changes(server, pushed)
    if changed:
        out = {**pushed, "review_status": "pending", "review_reason": None}
        return out, BACK_TO_REVIEW_NOTE.format(fields=", ".join(changed))
    before = server.get("review_status") if server else None
    wanted = pushed.get("review_status", before)
    out = dict(pushed)
    out["review_reason"] = server.get("review_reason") if server else None
    if wanted == before or (before, wanted) in CLIENT_REVIEW_MOVES:
        out["review_status"] = wanted if wanted is not None else "draft"
        return out, None
    out["review_status"] = before if before is not None else "draft"
    return out, KEPT_NOTE.format(field="review_status")


def _reviewed_changes(server: JsonObject | None, pushed: JsonObject) -> list[str]:
    """The reviewed fields an update changes on a course the platform approved (none for other states)."""
    if not server or server.get("review_status") != "approved":
        return []
    return [f for f in REVIEWED_FIELDS if f in pushed and pushed[f] != server.get(f)]


def _staff(server: JsonObject | None, pushed: JsonObject) -> tuple[JsonObject, str | None]:
    before = server.get("background_check") if server else None
    wanted = pushed.get("background_check", before)
    out = dict(pushed)
    if before in PLATFORM_CHECK_RESULTS:
        out["background_check"] = before
        return out, None if wanted == before else KEPT_NOTE.format(field="background_check")
    if wanted in PLATFORM_CHECK_RESULTS:
        out["background_check"] = before if before is not None else "pending"
        return out, KEPT_NOTE.format(field="background_check")
    out["background_check"] = wanted
    return out, None
