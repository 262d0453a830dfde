"""Bodies of the training-material endpoints: file upload by hash and spot checks (docs/materials.md)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field

from platform_server.schemas import Id, Strict, Text

Sha256 = Annotated[
    str,
    Field(pattern=r"^[0-9a-f]{64}$", description="文件内容的 SHA-256(小写十六进制)/ SHA-256 of the file"),
]


class MissingFilesIn(Strict):
    sha256: list[Sha256] = Field(max_length=1000, description="要问的文件哈希 / hashes to ask about")


class MissingFilesOut(BaseModel):
    missing: list[str] = Field(description="平台上本机构还没有的 / those this institution has not uploaded")


class MaterialFileOut(BaseModel):
    sha256: str
    size_bytes: int
    uploaded_at: str
    created: bool = Field(description="这次上传是否新存了文件 / whether this upload stored the file")


class SpotCheckIn(Strict):
    course_id: Id
    deadline_hours: int = Field(default=72, ge=1, le=24 * 60, description="答复期限(小时)/ hours to answer")
    note: str | None = Text


class SpotAnswerItem(Strict):
    material_id: Id
    sha256: Sha256
    version_label: str | None = Field(default=None, max_length=40)


class SpotAnswerIn(Strict):
    items: list[SpotAnswerItem] = Field(min_length=1, max_length=200)
    note: str | None = Text


class SpotCheckOut(BaseModel):
    id: str
    course_id: str
    course_name: str | None
    note: str | None
    status: str = Field(description="open 待答复 | answered 按时答复 | late 逾期答复")
    requested_at: str
    deadline_at: str
    deadline: dt.date
    answered_at: str | None
    items: list[SpotAnswerItem] | None
