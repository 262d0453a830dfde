"""Training materials (培训材料) of a course, the files they point to and answers to spot checks.

``material`` is synced master data (metadata only); the file itself is stored outside the database in a
content-addressed folder (``app.material_store``) and uploaded to the platform by hash. ``material_file``
and ``spot_check_answer`` are local-only (never captured). See docs/materials.md. Import them from
``localdb.models``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from localdb import codes
from localdb.base import Base, MasterMixin, choice
from localdb.types import Code, UtcDateTime, utc_now


class Material(MasterMixin, Base):
    """One material of a course: its metadata and the hash of its current version's file.

    A new version replaces ``sha256``/``size_bytes``/``version_label`` (the row's ``version`` and the audit
    log keep the history; the platform keeps every filed version's file). ``klass_ids`` is a JSON array of
    the ids of the classes that use it.
    """

    __tablename__ = "material"
    __table_args__ = (choice("kind", codes.MATERIAL_KINDS),)

    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[codes.MaterialKind] = mapped_column(
        Code(codes.MaterialKind, 12), nullable=False, default=codes.MaterialKind.HANDOUT
    )
    version_label: Mapped[str] = mapped_column(String(40), nullable=False, default="1")
    author: Mapped[str | None] = mapped_column(String(100))
    reviewer: Mapped[str | None] = mapped_column(String(50))
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    klass_ids: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    file_name: Mapped[str] = mapped_column(String(200), nullable=False)


class MaterialFile(Base):
    """A file in the desk's content-addressed store; ``uploaded_at`` once the platform holds it."""

    __tablename__ = "material_file"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    stored_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utc_now)
    uploaded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SpotCheckAnswer(Base):
    """The desk's answer to a platform spot check (抽查) of a course's materials, kept until sent.

    ``items`` is JSON: ``[{"material_id", "sha256", "version_label"}]`` as they were when answered (a
    later edit of a material does not change what was answered). ``sync.materials`` sends ``pending``
    ones and records the outcome: ``sent`` (in time), ``late`` (the platform took it after the deadline)
    or ``failed`` (refused, reason in ``last_error``).
    """

    __tablename__ = "spot_check_answer"
    __table_args__ = (
        choice("state", codes.SPOT_ANSWER_STATES),
        Index("ix_spot_check_answer_state", "state"),
    )

    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    items: Mapped[str] = mapped_column(Text, nullable=False, server_default=text("'[]'"))
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[codes.SpotAnswerState] = mapped_column(
        Code(codes.SpotAnswerState, 10), nullable=False, default=codes.SpotAnswerState.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utc_now)
    settled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
