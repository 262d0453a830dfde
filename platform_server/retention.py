"""Change-feed retention: old changes are deleted; cursors before them must reset (410)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from platform_server.models import Change, InstitutionCounter
from platform_server.runtime import Runtime


def prune_changes(session: Session, rt: Runtime) -> int:
    """Delete changes older than the retention, a contiguous prefix per institution."""
    cutoff = rt.clock.now() - dt.timedelta(days=rt.settings.retention_days)
    stmt = (
        select(Change.institution_id, func.max(Change.server_seq))
        .where(Change.created_at < cutoff)
        .group_by(Change.institution_id)
    )
    removed = 0
    for institution_id, max_seq in session.execute(stmt).all():
        result = session.execute(
            delete(Change).where(Change.institution_id == institution_id, Change.server_seq <= max_seq)
        )
        removed += int(getattr(result, "rowcount", 0) or 0)
        session.execute(
            update(InstitutionCounter)
            .where(
                InstitutionCounter.institution_id == institution_id, InstitutionCounter.pruned_seq < max_seq
            )
            .values(pruned_seq=max_seq)
        )
    return removed
