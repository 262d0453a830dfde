"""Training materials from the shell: ``materials list | add | version | file | checks | answer``.

``add`` and ``version`` copy the file into the material store beside the database (at most 50 MiB);
``file`` runs one sync, which uploads the files the platform lacks and files the metadata; ``checks``
lists the platform's spot checks with the time left; ``answer`` answers one (sent by the next sync).
See docs/materials.md.
"""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from instdesk.cli_common import Context, add_parser, out

if TYPE_CHECKING:
    from app.views.materials import MaterialRow, SpotCheckItem

    Sub = argparse._SubParsersAction[argparse.ArgumentParser]

KIND_LABELS = {"textbook": "教材", "handout": "讲义", "slides": "课件", "other": "其他"}
FILING_LABELS = {"local": "待报送", "file_pending": "文件待上传", "filed": "已报送"}
CHECK_LABELS = {"open": "待答复", "answered": "已答复", "late": "逾期答复"}
ANSWER_LABELS = {
    "pending": "答复待同步",
    "sent": "平台已收到",
    "late": "平台已收到（逾期）",
    "failed": "平台未接受",
}


def register(sub: Sub) -> None:
    group = sub.add_parser("materials", help="培训材料：列出、添加、新版本、报送平台、抽查答复")
    actions = group.add_subparsers(dest="materials_command", metavar="ACTION")
    p = add_parser(actions, "list", _list, "列出课程的培训材料及报送状态")
    p.add_argument("--course", help="课程 id（默认全部课程）")
    p = add_parser(actions, "add", _add, "添加培训材料（文件不超过 50 MB）")
    p.add_argument("--course", required=True, help="课程 id")
    p.add_argument("--title", required=True, help="材料名称")
    p.add_argument("--file", required=True, type=Path, help="文件路径")
    p.add_argument("--kind", choices=list(KIND_LABELS), default="handout", help="类型（默认讲义）")
    p.add_argument("--version", default="1", help="版本号（默认 1）")
    p.add_argument("--author", help="作者或来源")
    p.add_argument("--reviewer", help="审核人")
    p.add_argument("--reviewed-on", type=date.fromisoformat, help="审核日期 YYYY-MM-DD")
    p.add_argument(
        "--class", dest="classes", action="append", default=[], help="使用该材料的班级 id（可重复）"
    )
    p = add_parser(actions, "version", _version, "上传材料的新版本")
    p.add_argument("material", help="材料 id")
    p.add_argument("--file", required=True, type=Path, help="新版本的文件")
    p.add_argument("--version", required=True, help="新版本号")
    p.add_argument("--reviewer", help="审核人")
    p.add_argument("--reviewed-on", type=date.fromisoformat, help="审核日期 YYYY-MM-DD")
    add_parser(actions, "file", _file, "报送到平台：同步一次（只上传平台还没有的文件）")
    add_parser(actions, "checks", _checks, "列出平台的材料抽查请求和剩余时间")
    p = add_parser(actions, "answer", _answer, "答复抽查（默认报送该课程的全部材料），下次同步时发送")
    p.add_argument("check", help="抽查请求 id（materials checks 的第一列）")
    p.add_argument(
        "--material", dest="materials", action="append", default=[], help="只报送这些材料（可重复）"
    )
    p.add_argument("--note", help="附言")


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / (1024 * 1024):.1f} MB"


def _row(row: MaterialRow, course_name: str) -> None:
    out(
        row.material_id,
        course_name,
        row.title,
        KIND_LABELS[row.kind],
        f"第{row.version_label}版",
        row.author or "—",
        row.reviewer or "—",
        row.reviewed_on or "—",
        row.klass_names or "—",
        _size(row.size_bytes),
        FILING_LABELS[row.filing],
    )


def _list(args: argparse.Namespace, ctx: Context) -> int:
    from app.views.courses import count_courses, list_courses
    from app.views.materials import course_materials

    db, actor = ctx.db(), ctx.actor()
    courses = [(c.course_id, c.name) for c in list_courses(db, actor, 0, count_courses(db, actor))]
    shown = 0
    for course_id, name in courses:
        if args.course and course_id != args.course:
            continue
        for row in course_materials(db, actor, course_id):
            _row(row, name)
            shown += 1
    if not shown:
        print("没有培训材料")
    return 0


def _add(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.materials import MaterialInput, add_material

    data = MaterialInput(
        args.course,
        args.title,
        args.kind,
        args.version,
        args.author,
        args.reviewer,
        args.reviewed_on,
        tuple(args.classes),
    )
    info = add_material(ctx.db(), ctx.actor(), data, args.file)
    out(info.material_id, f"已添加“{info.title}”（{_size(info.size_bytes)}），下次同步时报送平台")
    return 0


def _version(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.materials import new_version

    info = new_version(
        ctx.db(), ctx.actor(), args.material, args.file, args.version, args.reviewer, args.reviewed_on
    )
    out(info.material_id, f"“{info.title}”已更新为第{info.version_label}版，下次同步时报送平台")
    return 0


def _file(args: argparse.Namespace, ctx: Context) -> int:
    from app.permissions import Permission, require
    from sync.engine import SyncEngine

    db = ctx.db()
    require(ctx.actor(), Permission.SYNC)
    engine = SyncEngine(db)
    try:
        engine.sync_once()
    finally:
        engine.close()
    return _list(argparse.Namespace(course=None), ctx)


def _time_left(item: SpotCheckItem, now: datetime) -> str:
    left = item.time_left(now)
    if item.status != "open" or left is None:
        return "—"
    if left < timedelta(0):
        return "已逾期"
    hours = int(left.total_seconds() // 3600)
    return f"剩 {hours // 24} 天 {hours % 24} 小时" if hours >= 24 else f"剩 {hours} 小时"


def _checks(args: argparse.Namespace, ctx: Context) -> int:
    from app.views.materials import list_spot_checks

    now = datetime.now(UTC)
    items = list_spot_checks(ctx.db(), ctx.actor())
    for item in items:
        deadline = item.deadline_at.astimezone().strftime("%Y-%m-%d %H:%M") if item.deadline_at else "—"
        answer = ANSWER_LABELS.get(item.answer_state or "", "未答复")
        out(
            item.request_id,
            item.course_name,
            CHECK_LABELS.get(item.status, item.status),
            deadline,
            _time_left(item, now),
            answer,
            item.note or "—",
        )
    if not items:
        print("没有材料抽查请求")
    return 0


def _answer(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.materials import answer_spot_check

    result = answer_spot_check(ctx.db(), ctx.actor(), args.check, args.materials or None, args.note)
    out(result.request_id, f"已答复抽查（{len(result.items)} 份材料），将在下次同步时发送给平台")
    return 0
