"""Rows as the pure rules (``app/rules``) see them."""

from __future__ import annotations

from app.rules.staff import StaffFacts
from localdb.models import Staff


def staff_facts(staff: Staff) -> StaffFacts:
    """The staff row as the pure staff rules see it."""
    return StaffFacts(
        kind=staff.kind,
        employment=staff.employment,
        background_check=staff.background_check,
        teacher_cert_subject=staff.teacher_cert_subject,
        ability_cert_no=staff.ability_cert_no,
        serving_school_teacher=staff.serving_school_teacher,
    )
