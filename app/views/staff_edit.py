"""Editing a staff member's own facts (the catalogue has ``add_staff`` but no edit yet).

Role-checked, validated as at hiring (ID number, mobile, serving school teacher refused), audited and
written in one transaction. The 准入查询 result is not editable here: the platform owns it. Belongs in
``app.services.staffing`` once that module's owner takes it over.
"""

from __future__ import annotations

from dataclasses import fields

from app.db import Database, audit
from app.permissions import Actor, Permission, require
from app.rules.staff import check_can_hire
from app.services._common import get_live, require_choice, staff_facts
from app.services.staffing import StaffInput
from app.validators import validate_id_number, validate_mobile, validate_name
from app.views.staff import StaffRow, staff_row
from localdb import codes
from localdb.models import Staff

#: fields of ``StaffInput`` a staff edit writes as given (the ID number only when a new one is typed)
_PLAIN = ("kind", "employment", "teacher_cert_no", "teacher_cert_subject", "ability_cert_no",
          "serving_school_teacher", "hired_on", "campus_id")  # fmt: skip


def _apply(row: Staff, data: StaffInput) -> list[str]:
    changed = []
    values = {f.name: getattr(data, f.name) for f in fields(data) if f.name in _PLAIN}
    values["name"] = validate_name(data.name, "姓名")
    values["phone"] = validate_mobile(data.phone) if data.phone else None
    if data.id_number:
        card = validate_id_number(data.id_number)
        values["id_number"], values["gender"] = card.number, card.gender
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed.append(key)
    return changed


def update_staff(db: Database, actor: Actor, staff_id: str, data: StaffInput) -> StaffRow:
    """Save the edited facts of a staff member; refuses what ``add_staff`` would refuse."""
    require(actor, Permission.MANAGE_STAFF)
    require_choice("kind", data.kind, codes.STAFF_KINDS)
    require_choice("employment", data.employment, codes.EMPLOYMENTS)
    with db.transaction() as session:
        row = get_live(session, Staff, staff_id)
        changed = _apply(row, data)
        check_can_hire(staff_facts(row))
        if changed:
            audit(
                session,
                actor,
                "staff.update",
                "staff",
                row.id,
                fields=sorted(k for k in changed if k != "id_number"),
            )
    return staff_row(db, actor, staff_id)
