"""Query pieces the read models share."""

from __future__ import annotations

from sqlalchemy import ScalarSelect, func, select

from localdb.models import Klass, KlassMember


def current_members() -> ScalarSelect[int]:
    """The number of students currently in the class of the enclosing query's ``Klass`` row."""
    return (
        select(func.count(KlassMember.id))
        .where(
            KlassMember.klass_id == Klass.id, KlassMember.deleted_at.is_(None), KlassMember.left_on.is_(None)
        )
        .scalar_subquery()
    )
