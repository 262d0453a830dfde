"""Plain exceptions of the storage layer.

``localdb`` is the bottom layer and must not import ``app``; the layers above translate these into their
own error types (or show ``str(error)``, which is already a plain Chinese message a person can act on).
"""

from __future__ import annotations


class LocalDbError(Exception):
    """Base class of everything ``localdb`` raises on purpose."""


class InvalidUnits(LocalDbError, ValueError):
    """A lesson-unit value that cannot be stored exactly as hundredths of a 课时."""


class NaiveDatetime(LocalDbError, ValueError):
    """A datetime without a time zone: storing it would silently guess the zone."""


class StorageError(LocalDbError):
    """The database file could not be written; ``str()`` is a message for the user."""

    default_message = "数据库无法写入。"

    def __init__(self, message: str | None = None, *, detail: str | None = None) -> None:
        super().__init__(message or self.default_message)
        self.detail = detail


class StorageFull(StorageError):
    """The disk (or the database's page limit) is full."""

    default_message = "磁盘空间已满，数据未保存。请清理磁盘空间后重试。"


class DatabaseLocked(StorageError):
    """Another program holds the write lock longer than the busy timeout."""

    default_message = (
        "数据库正被其他程序占用，请稍后重试；如持续出现，请关闭其他打开此数据库的 InstDesk 窗口。"
    )


class ReadOnlyDatabase(StorageError):
    """The file or its folder is read-only for this user."""

    default_message = "数据库文件为只读，无法保存。请检查文件及所在文件夹的写入权限。"


class CorruptDatabase(StorageError):
    """SQLite reports the file is not a database or is malformed."""

    default_message = "数据库文件已损坏或不是 InstDesk 数据库。请从备份恢复。"


class CannotOpenDatabase(StorageError):
    """SQLite cannot open the file (a missing folder, no permission, a path that is not a file)."""

    default_message = "无法打开数据库文件：请检查文件夹是否存在以及读写权限。"


class NotInstDeskDatabase(StorageError):
    """The file exists but is not an InstDesk database (empty, another format, another program's SQLite)."""

    default_message = "该文件不是 InstDesk 数据库。"


class NewerSchema(StorageError):
    """The database was migrated by a newer InstDesk: its schema revision is unknown to this one."""

    default_message = "数据库由更新版本的 InstDesk 创建，请升级后再打开。"

    def __init__(self, revision: str) -> None:
        super().__init__(detail=revision)
        self.revision = revision
