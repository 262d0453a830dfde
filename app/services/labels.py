"""What the user calls each kind of row (a table name → its Chinese label), for messages and the inbox."""

from __future__ import annotations

ENTITY_LABELS = {
    "campus": "校区",
    "room": "教室",
    "staff": "员工",
    "course": "课程",
    "klass": "班级",
    "klass_member": "班级成员",
    "student": "学员",
    "guardian": "监护人",
    "lesson_session": "课次",
    "schedule_rule": "排课规则",
    "contract": "合同",
    "ledger_entry": "流水",
    "app_user": "用户",
    "material": "培训材料",
}
