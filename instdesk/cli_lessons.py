"""The front desk's day from the shell: ``sessions``, ``rollcall``, ``undo-rollcall``, ``refund``."""

from __future__ import annotations

import argparse
from datetime import date

from app.errors import InstDeskError, ValidationError
from app.io.labels import ATTENDANCE_LABELS
from app.money import format_fen
from instdesk.cli_common import Context, add_parser, out, parse_date

InstDeskError.register(
    {
        "cli.bad_mark": (
            "点名格式应为 学员=状态（状态：present/late/leave/absent 或 出勤/迟到/请假/缺勤）：{text}"
        ),
        "cli.unknown_student": "找不到学员“{text}”（可用学员 id 或卡号）",
    }
)
_STATUS_BY_LABEL = {label: code for code, label in ATTENDANCE_LABELS.items()}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_parser(sub, "sessions", _sessions, "列出某天的课")
    p.add_argument("--date", help="日期 YYYY-MM-DD（默认今天）")
    p = add_parser(sub, "rollcall", _rollcall, "点名：学员=状态 …（一次提交整节课）")
    p.add_argument("session", help="课次 id")
    p.add_argument("marks", nargs="+", help="学员 id 或卡号=状态，如 K0001=present 或 K0001=请假")
    p.add_argument("--allow-overdraw", action="store_true", help="课时不足时仍然消课（记为待结清余额）")
    p = add_parser(sub, "undo-rollcall", _undo, "撤销一节课的点名（全部或部分学员）")
    p.add_argument("session", help="课次 id")
    p.add_argument("students", nargs="*", help="只撤销这些学员（id 或卡号）")
    p = add_parser(sub, "refund", _refund, "退费：按未消课时 × 实际单价（或合同约定的全额退费）")
    p.add_argument("contract", help="合同 id")
    p.add_argument("--reason", required=True)
    p.add_argument("--date", help="申请日期（默认今天）")


def _sessions(args: argparse.Namespace, ctx: Context) -> int:
    from app.views.students import today_sessions

    day = parse_date(args.date) if args.date else date.today()
    lines = today_sessions(ctx.db(), ctx.actor(), day)
    for s in lines:
        out(
            s.session_id,
            f"{s.start_time}-{s.end_time}",
            s.course_name,
            s.klass_name,
            s.teacher_name or "—",
            s.room_name or "—",
            f"已点名 {s.marked}/{s.members}",
            s.status,
        )
    if not lines:
        print(f"{day} 没有课")
    return 0


def _student_id(ctx: Context, text: str) -> str:
    """A student id as given, or the student whose card code it is."""
    from sqlalchemy import or_, select

    from localdb.models import Student

    with ctx.db().reading() as session:
        found = session.scalar(
            select(Student.id).where(
                or_(Student.id == text, Student.card_code == text), Student.deleted_at.is_(None)
            )
        )
    if found is None:
        raise ValidationError("cli.unknown_student", text=text)
    return str(found)


def _marks(ctx: Context, items: list[str]) -> dict[str, str]:
    marks: dict[str, str] = {}
    for item in items:
        who, sep, status = item.partition("=")
        code = _STATUS_BY_LABEL.get(status.strip(), status.strip())
        if not sep or code not in ATTENDANCE_LABELS:
            raise ValidationError("cli.bad_mark", text=item)
        marks[_student_id(ctx, who.strip())] = code
    return marks


def _rollcall(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.rollcall import roll_call

    actor = ctx.actor()
    result = roll_call(
        ctx.db(), actor, args.session, _marks(ctx, args.marks), allow_overdraw=args.allow_overdraw
    )
    for line in result.rows:
        charge = f"扣 {line.units} 课时 {format_fen(line.amount_fen)} 元" if line.charged else "不扣课时"
        if line.owing:
            charge = "课时不足，不扣课时，记为欠课时（续费后结清）"
        out(line.student_id, ATTENDANCE_LABELS.get(line.status, line.status), charge)
    for warning in result.warnings:
        out(warning.student_id, f"提醒：仅剩 {warning.units_left} 课时，请续费")
    return 0


def _undo(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.rollcall import undo_roll_call

    actor = ctx.actor()
    students = [_student_id(ctx, s) for s in args.students] or None
    result = undo_roll_call(ctx.db(), actor, args.session, students)
    out(result.session_id, f"已撤销 {len(result.student_ids)} 名学员的点名")
    return 0


def _refund(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.refunds import execute_refund

    day = parse_date(args.date) if args.date else None
    result = execute_refund(ctx.db(), ctx.actor(), args.contract, args.reason, request_date=day)
    out(
        result.refund_id, f"退费 {format_fen(result.amount_fen)} 元，退 {result.units} 课时（{result.basis}）"
    )
    return 0
