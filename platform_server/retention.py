"""Change-feed retention: old changes are deleted; cursors before them must reset (410)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from platform_server.models import Change, InstitutionCounter
from platform_server.runtime import Runtime
from platform_server.scope import InstitutionScope, scoped, unscoped


def prune_changes(session: Session, rt: Runtime) -> int:
    """Delete changes older than the retention, a contiguous prefix per institution."""
    cutoff = rt.clock.now() - dt.timedelta(days=rt.settings.retention_days)
    stmt = (
        select(Change.institution_id, func.max(Change.server_seq))
        .where(Change.created_at < cutoff)
        .group_by(Change.institution_id)
    )
    with unscoped(session, "retention sweep: finds each institution's expired prefix"):
        expired = session.execute(stmt).all()
    removed = 0
    for institution_id, max_seq in expired:
        with scoped(session, InstitutionScope(institution_id)):
            result = session.execute(delete(Change).where(Change.server_seq <= max_seq))
            removed += int(getattr(result, "rowcount", 0) or 0)
            session.execute(
                update(InstitutionCounter)
                .where(InstitutionCounter.pruned_seq < max_seq)
                .values(pruned_seq=max_seq)
            )
    return removed
