"""Master data and enrolment from the shell: ``staff add``, ``course add``, ``class add``,
``schedule add``, ``student add``, ``enroll``. Thin: each parses, calls one use case, prints the new id.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from app.money import format_fen
from instdesk import cli_schedule
from instdesk.cli_common import Context, add_parser, out, parse_date, parse_units, yuan_arg

if TYPE_CHECKING:
    Sub = argparse._SubParsersAction[argparse.ArgumentParser]


def _group(sub: Sub, name: str, help_text: str) -> Sub:
    return sub.add_parser(name, help=help_text).add_subparsers(dest=f"{name}_command", metavar="ACTION")


def register(sub: Sub) -> None:
    p = add_parser(
        _group(sub, "staff", "员工"), "add", _staff_add, "添加员工（教学人员须持证并通过准入查询）"
    )
    p.add_argument("--name", required=True)
    p.add_argument("--kind", default="teaching", choices=["teaching", "research", "other"])
    p.add_argument("--employment", default="full_time", choices=["full_time", "part_time"])
    p.add_argument("--cert-subject", help="教师资格证学科（学科类授课必需）")
    p.add_argument("--cert-no", help="教师资格证编号")
    p.add_argument("--ability-cert", help="职业（专业）能力证明编号（非学科类授课必需）")
    p.add_argument("--background", choices=["none", "pending", "passed", "failed"], help="准入查询结果")
    p = add_parser(_group(sub, "course", "课程"), "add", _course_add, "添加课程（草稿）")
    p.add_argument("--name", required=True)
    p.add_argument("--category", required=True, choices=["subject", "non_subject"], help="学科类 / 非学科类")
    p.add_argument("--subject", required=True, help="科目，如 数学、美术")
    p.add_argument(
        "--stage", default="compulsory", choices=["preschool", "compulsory", "high_school", "other"]
    )
    p.add_argument("--delivery", default="offline", choices=["offline", "online"])
    p.add_argument("--minutes", type=int, required=True, help="每次课时长（分钟）")
    p.add_argument("--units-per-lesson", default="1", help="每次课消耗课时数")
    p.add_argument("--package-units", required=True, help="课时包课时数")
    p.add_argument("--price", required=True, help="课时包价格（元）")
    p.add_argument(
        "--pay-after",
        action="store_true",
        help="先学后付：不预收费用，每次课后按约定单价付费（instdesk owed）",
    )
    p = add_parser(_group(sub, "class", "班级"), "add", _class_add, "开设班级")
    p.add_argument("--course", required=True, help="课程 id")
    p.add_argument("--name", required=True)
    p.add_argument("--capacity", type=int, required=True)
    p.add_argument("--teacher", help="教师（员工 id）")
    p.add_argument("--room", help="教室 id")
    schedule_group = _group(sub, "schedule", "排课")
    p = add_parser(schedule_group, "add", _schedule_add, "按周排课（生成各次课）")
    p.add_argument("--class", dest="klass", required=True, help="班级 id")
    p.add_argument(
        "--weekday", type=int, required=True, choices=range(1, 8), help="星期几（1=周一 … 7=周日）"
    )
    p.add_argument("--start", required=True, help="上课时间 HH:MM")
    p.add_argument("--end", required=True, help="下课时间 HH:MM")
    p.add_argument("--from", dest="date_from", required=True, help="开始日期 YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, help="结束日期 YYYY-MM-DD")
    p.add_argument("--teacher")
    p.add_argument("--room")
    p.add_argument(
        "--skip-closed-days",
        action="store_true",
        help="跳过节假日和寒暑假的日期（其余日期照常排课并列出跳过的日期）",
    )
    cli_schedule.register(schedule_group)
    _student_parser(
        add_parser(_group(sub, "student", "学员"), "add", _student_add, "添加学员（可同时添加一位监护人）")
    )
    _enroll_parser(add_parser(sub, "enroll", _enroll, "报名：签合同并收费（受一次收费上限等规则约束）"))
    _contract_parsers(_group(sub, "contract", "合同：转班、停课、复课"))


def _contract_parsers(group: Sub) -> None:
    p = add_parser(group, "transfer", _contract_move, "转班：转到同一课程的另一个班级（课时和金额不变）")
    p.add_argument("contract", help="合同 id")
    p.add_argument("--class", dest="klass", required=True, help="新班级 id")
    p = add_parser(group, "pause", _contract_move, "停课：学员离开班级，不再点名扣课时")
    p.add_argument("contract", help="合同 id")
    p.add_argument("--reason", default="")
    p = add_parser(group, "resume", _contract_move, "复课：回到班级，合同有效期顺延停课天数")
    p.add_argument("contract", help="合同 id")
    p.add_argument("--class", dest="klass", help="班级 id（默认原班级）")


def _student_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", required=True)
    p.add_argument("--id-number", help="身份证号码")
    p.add_argument("--phone")
    p.add_argument("--card", help="卡号")
    p.add_argument("--school")
    p.add_argument("--grade")
    p.add_argument("--stage", choices=["preschool", "compulsory", "high_school", "other"])
    p.add_argument("--guardian", help="监护人姓名")
    p.add_argument("--relation", help="监护人关系")
    p.add_argument("--guardian-phone", help="监护人手机")


def _enroll_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("--student", required=True, help="学员 id")
    p.add_argument("--course", required=True, help="课程 id")
    p.add_argument("--class", dest="klass", help="班级 id（报名后加入该班）")
    p.add_argument("--units", required=True, help="购买课时数")
    p.add_argument("--gift", default="0", help="赠送课时数")
    p.add_argument("--fee", required=True, help="收费金额（元）")
    p.add_argument("--start", required=True, help="开课日期 YYYY-MM-DD")
    p.add_argument("--end", required=True, help="预计结课日期 YYYY-MM-DD")
    p.add_argument("--method", default="wechat", help="cash / wechat / alipay / bank_card / transfer")
    p.add_argument("--charge-date", help="收费日期（默认今天）")


def _staff_add(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.staffing import StaffInput, add_staff, set_background_check

    db, actor = ctx.db(), ctx.actor()
    data = StaffInput(
        name=args.name,
        kind=args.kind,
        employment=args.employment,
        teacher_cert_no=args.cert_no,
        teacher_cert_subject=args.cert_subject,
        ability_cert_no=args.ability_cert,
    )
    info = add_staff(db, actor, data)
    if args.background:
        info = set_background_check(db, actor, info.staff_id, args.background, datetime.now(UTC))
    out(info.staff_id, f"已添加员工 {info.name}（准入查询：{info.background_check}）")
    return 0


def _course_add(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.catalog import CourseInput, add_course

    data = CourseInput(
        name=args.name,
        category=args.category,
        subject=args.subject,
        stage=args.stage,
        minutes_per_lesson=args.minutes,
        lessons_per_package=parse_units(args.package_units),
        price_fen=yuan_arg(args.price),
        delivery=args.delivery,
        units_per_lesson=parse_units(args.units_per_lesson),
        pay_after_learning=args.pay_after,
    )
    info = add_course(ctx.db(), ctx.actor(), data)
    out(
        info.course_id,
        f"已添加课程 {info.name}（{format_fen(info.price_fen)} 元 / {info.lessons_per_package} 课时）",
    )
    return 0


def _class_add(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.classes import KlassInput, add_class

    data = KlassInput(args.course, args.name, args.capacity, teacher_id=args.teacher, room_id=args.room)
    info = add_class(ctx.db(), ctx.actor(), data)
    out(info.klass_id, f"已开设班级 {info.name}")
    return 0


def _schedule_add(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.schedule import add_schedule_rule

    with cli_schedule.listing_problems():
        result = add_schedule_rule(
            ctx.db(),
            ctx.actor(),
            args.klass,
            args.weekday - 1,
            args.start,
            args.end,
            parse_date(args.date_from),
            parse_date(args.date_to),
            args.teacher,
            args.room,
            skip_closed_days=args.skip_closed_days,
        )
    out(result.rule_id, f"已排课 {result.sessions_created} 次")
    for skipped in result.skipped:
        print(f"跳过 {skipped.day}：{skipped.reason}")
    for sid, day in zip(result.session_ids, result.dates, strict=True):
        out(sid, day.isoformat())
    return 0


def _student_add(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.students import GuardianInput, StudentInput, register_student

    db, actor = ctx.db(), ctx.actor()
    data = StudentInput(
        name=args.name,
        id_number=args.id_number,
        phone=args.phone,
        card_code=args.card,
        school=args.school,
        grade=args.grade,
        stage=args.stage,
    )
    guardians = [GuardianInput(args.guardian, args.relation, args.guardian_phone)] if args.guardian else []
    info = register_student(db, actor, data, guardians)
    out(info.student_id, f"已添加学员 {info.name}")
    return 0


def _contract_move(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.contracts import pause_contract, resume_contract, transfer_class

    db, actor, action = ctx.db(), ctx.actor(), args.contract_command
    if action == "transfer":
        moved = transfer_class(db, actor, args.contract, args.klass)
    elif action == "pause":
        moved = pause_contract(db, actor, args.contract, args.reason)
    else:
        moved = resume_contract(db, actor, args.contract, args.klass)
    end = moved.end_date.isoformat() if moved.end_date else "—"
    out(
        moved.contract_id,
        "停课中" if moved.paused else "在读",
        f"班级 {moved.klass_id or '—'}",
        f"有效期至 {end}",
    )
    return 0


def _enroll(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.enrollment import EnrollmentRequest, enroll

    request = EnrollmentRequest(
        student_id=args.student,
        course_id=args.course,
        units=parse_units(args.units),
        fee_fen=yuan_arg(args.fee),
        start_date=parse_date(args.start),
        end_date=parse_date(args.end),
        method=args.method,
        klass_id=args.klass,
        gift_units=parse_units(args.gift),
        charge_date=parse_date(args.charge_date) if args.charge_date else None,
    )
    result = enroll(ctx.db(), ctx.actor(), request)
    out(
        result.contract_id,
        f"合同 {result.contract_no}，收据 {result.receipt_no}，收费 {format_fen(result.fee_fen)} 元",
    )
    return 0
