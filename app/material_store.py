"""The content-addressed store of training-material files (docs/materials.md).

A file lives at ``<root>/<first two hex digits>/<remaining 62>`` of its SHA-256, where ``root`` is the
``materials`` folder beside the database. Paths are built from the hash alone (checked to be 64 lowercase
hex digits), never from a file name a person or the platform gave. A file is copied into a temporary file
in the store while it is hashed and counted, synced to disk, then renamed into place: a file that exists
under its hash is complete, and the same content is stored once however often it is added.

Limits: a file must be readable, not empty, and at most ``MAX_FILE_BYTES`` (50 MiB, the platform's own
limit; a scanned textbook fits, a lesson video does not — link to those instead).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from app.errors import InstDeskError, ValidationError

#: the largest file a material may have (the platform refuses bigger ones too)
MAX_FILE_BYTES = 50 * 1024 * 1024
CHUNK = 1024 * 1024
_HASH = re.compile(r"^[0-9a-f]{64}$")
_NAME_JUNK = re.compile(r"[\x00-\x1f\x7f/\\]")

InstDeskError.register(
    {
        "material.too_large": "文件 {name} 有 {size_mb} MB，超过 {limit_mb} MB 的上限",
        "material.empty": "文件 {name} 是空文件（0 字节），不能作为培训材料",
        "material.unreadable": "无法读取文件 {name}：{detail}",
        "material.not_a_file": "{name} 不是文件",
        "material.hash_mismatch": "文件 {name} 的内容与其标识不符（应为 {expected}，实为 {actual}）",
        "material.bad_hash": "文件标识 {sha256} 无效",
        "material.missing_file": "材料文件 {sha256} 不在本机的材料文件夹中",
        "material.store_failed": "无法把文件写入材料文件夹 {path}：{detail}",
    }
)


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size_bytes: int


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def check_hash(sha256: str) -> str:
    """``sha256`` if it is 64 lowercase hex digits (the only thing a store path is made of)."""
    if not isinstance(sha256, str) or not _HASH.match(sha256):
        raise ValidationError("material.bad_hash", sha256=str(sha256)[:80])
    return sha256


def blob_path(root: Path, sha256: str) -> Path:
    digest = check_hash(sha256)
    return root / digest[:2] / digest[2:]


def has_blob(root: Path, sha256: str) -> bool:
    return blob_path(root, sha256).is_file()


def display_name(path_or_name: str | Path) -> str:
    """The name shown for a file: its last path part, without control characters or separators."""
    name = str(path_or_name).replace("\\", "/").rsplit("/", 1)[-1]
    return _NAME_JUNK.sub("", name).strip()[:200] or "file"


def store_file(root: Path, source: Path, limit: int = MAX_FILE_BYTES) -> StoredFile:
    """Copy ``source`` into the store (hashing it on the way); refused when empty, unreadable or too big."""
    name = display_name(source)
    try:
        if not source.is_file():
            raise ValidationError("material.not_a_file", name=name)
        size = source.stat().st_size
        _check_size(name, size, limit)
        with source.open("rb") as stream:
            return store_stream(root, stream, name, limit)
    except OSError as exc:
        raise ValidationError("material.unreadable", name=name, detail=exc.strerror or str(exc)) from exc


def _check_size(name: str, size: int, limit: int) -> None:
    if size > limit:
        raise ValidationError("material.too_large", name=name, size_mb=_mb(size), limit_mb=_mb(limit))
    if size == 0:
        raise ValidationError("material.empty", name=name)


def store_stream(
    root: Path, stream: BinaryIO, name: str, limit: int = MAX_FILE_BYTES, expected: str | None = None
) -> StoredFile:
    """Store what ``stream`` yields (at most ``limit`` bytes: a file that grows while read is refused);
    with ``expected``, content whose hash differs is refused (``material.hash_mismatch``) and not kept."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=".incoming-", dir=root)
    except OSError as exc:
        raise InstDeskError("material.store_failed", path=str(root), detail=str(exc)) from exc
    temp = Path(temp_name)
    try:
        digest, size = _copy_hashing(stream, fd, name, limit)
        _check_size(name, size, limit)
        if expected is not None and digest != expected:
            raise ValidationError("material.hash_mismatch", name=name, expected=expected, actual=digest)
        return _place(root, temp, digest, size)
    finally:
        temp.unlink(missing_ok=True)


def _copy_hashing(stream: BinaryIO, fd: int, name: str, limit: int) -> tuple[str, int]:
    hasher = hashlib.sha256()
    size = 0
    with os.fdopen(fd, "wb") as out:
        for chunk in _chunks(stream):
            size += len(chunk)
            if size > limit:
                raise ValidationError("material.too_large", name=name, size_mb=_mb(size), limit_mb=_mb(limit))
            hasher.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return hasher.hexdigest(), size


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK):
        yield chunk


def _place(root: Path, temp: Path, digest: str, size: int) -> StoredFile:
    """Rename the finished temp file to its hash (kept as it is when that content is already stored)."""
    final = blob_path(root, digest)
    try:
        if not final.is_file():
            final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(temp, 0o600)
            os.replace(temp, final)
    except OSError as exc:
        raise InstDeskError("material.store_failed", path=str(root), detail=str(exc)) from exc
    return StoredFile(digest, size)


def copy_blob(source_root: Path, target_root: Path, sha256: str) -> bool:
    """Copy one stored file between stores (backup ↔ live), checking its hash; False when the source lacks
    it or its content no longer matches its name (a damaged copy is never spread)."""
    source = blob_path(source_root, sha256)
    if has_blob(target_root, sha256):
        return True
    if not source.is_file():
        return False
    try:
        with source.open("rb") as stream:
            store_stream(target_root, stream, sha256, max(MAX_FILE_BYTES, source.stat().st_size), sha256)
    except ValidationError:
        return False
    return True


def file_chunks(root: Path, sha256: str) -> Iterator[bytes]:
    """The stored file's bytes in chunks (for uploading); ``material.missing_file`` when absent."""
    path = blob_path(root, sha256)
    if not path.is_file():
        raise InstDeskError("material.missing_file", sha256=sha256)
    with path.open("rb") as stream:
        yield from _chunks(stream)
