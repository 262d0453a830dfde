"""Models of the students screen: the lazy list of all students (or search hits) and the profile tables."""

from __future__ import annotations

from app.search import StudentHit
from app.services.students import GuardianInfo
from app.views.students import ContractLine, HistoryLine, LedgerLine
from ui.i18n import tr
from ui.labels import ATTENDANCE, CONTRACT_STATUS, GENDERS, LEDGER_KINDS, label, units, yuan
from ui.models.paged import Column, PagedTableModel


def students_model(page_size: int = 200) -> PagedTableModel[StudentHit]:
    columns: list[Column[StudentHit]] = [
        Column(tr("姓名"), lambda s: s.name),
        Column(tr("性别"), lambda s: label(GENDERS, s.gender)),
        Column(tr("手机"), lambda s: s.phone or ""),
        Column(tr("卡号"), lambda s: s.card_code or ""),
        Column(tr("学校"), lambda s: s.school or ""),
        Column(tr("年级"), lambda s: s.grade or ""),
        Column(tr("证件号"), lambda s: s.id_number_masked),
    ]
    return PagedTableModel(columns, page_size=page_size)


def guardians_model() -> PagedTableModel[GuardianInfo]:
    columns: list[Column[GuardianInfo]] = [
        Column(tr("监护人"), lambda g: g.name),
        Column(tr("关系"), lambda g: g.relation or ""),
        Column(tr("手机"), lambda g: g.phone or ""),
    ]
    return PagedTableModel(columns)


def contract_status(line: ContractLine) -> str:
    if line.paused_since is not None:
        return tr("停课中（{day} 起）", day=line.paused_since.isoformat())
    return label(CONTRACT_STATUS, line.status)


def contracts_model() -> PagedTableModel[ContractLine]:
    columns: list[Column[ContractLine]] = [
        Column(tr("合同编号"), lambda c: c.contract_no),
        Column(tr("课程"), lambda c: c.course_name),
        Column(tr("状态"), contract_status),
        Column(tr("课时（含赠送）"), lambda c: f"{units(c.total_units)} + {units(c.gift_units)}"),
        Column(
            tr("剩余课时"),
            lambda c: units(c.units_left),
            foreground=lambda c: "#b00020" if c.low_balance else None,
        ),
        Column(tr("合同金额"), lambda c: yuan(c.fee_fen)),
        Column(
            tr("有效期"), lambda c: f"{c.start_date:%Y-%m-%d} – {c.end_date:%Y-%m-%d}" if c.end_date else ""
        ),
        Column(tr("班级"), lambda c: c.klass_name or ""),
    ]
    return PagedTableModel(columns)


def why(line: LedgerLine) -> str:
    """Why the balance moved, in the user's language."""
    kind = label(LEDGER_KINDS, line.kind)
    if line.kind == "purchase":
        return tr("购买 {units} 课时，收费 {amount}", units=units(line.units), amount=yuan(line.amount_fen))
    if line.kind == "gift":
        return tr("赠送 {units} 课时", units=units(line.units))
    return tr(
        "{kind}：{units} 课时、{amount}", kind=kind, units=units(line.units), amount=yuan(line.amount_fen)
    )


def ledger_model() -> PagedTableModel[LedgerLine]:
    columns: list[Column[LedgerLine]] = [
        Column(tr("时间"), lambda e: e.created_at.astimezone().strftime("%Y-%m-%d %H:%M")),
        Column(tr("合同编号"), lambda e: e.contract_no),
        Column(tr("类型"), lambda e: label(LEDGER_KINDS, e.kind)),
        Column(tr("课时"), lambda e: units(e.units)),
        Column(tr("金额"), lambda e: yuan(e.amount_fen)),
        Column(tr("说明"), why, tooltip=lambda e: e.why),
    ]
    return PagedTableModel(columns)


def history_why(line: HistoryLine) -> str:
    """Why the balance moved (ledger lines) or did not (lessons), in the user's language."""
    if line.source == "ledger":
        return why(
            LedgerLine(line.key, line.contract_no, line.kind, line.units, line.amount_fen, line.at, line.why)
        )
    status = label(ATTENDANCE, line.kind)
    if line.undone:
        return tr("{status}，点名已撤销，课时已退回", status=status)
    if line.units:
        return tr(
            "{status}，扣 {units} 课时、{amount}",
            status=status,
            units=units(-line.units),
            amount=yuan(-line.amount_fen),
        )
    return tr("{status}，不扣课时", status=status)


def _kind(line: HistoryLine) -> str:
    return label(LEDGER_KINDS, line.kind) if line.source == "ledger" else tr("上课")


def history_model() -> PagedTableModel[HistoryLine]:
    """The 流水 tab: every ledger line and every marked lesson, with its reason."""
    columns: list[Column[HistoryLine]] = [
        Column(tr("日期"), lambda h: h.day.isoformat()),
        Column(tr("合同编号"), lambda h: h.contract_no),
        Column(tr("类型"), _kind),
        Column(tr("课时"), lambda h: units(h.units) if h.units else ""),
        Column(tr("金额"), lambda h: yuan(h.amount_fen) if h.amount_fen else ""),
        Column(tr("说明"), history_why, tooltip=lambda h: h.why),
        Column(tr("班级"), lambda h: h.klass_name or ""),
        Column(tr("教师"), lambda h: h.teacher_name or ""),
        Column(tr("经办人"), lambda h: h.by or ""),
        Column(
            tr("已撤销"),
            lambda h: tr("已撤销") if h.undone else "",
            foreground=lambda h: "#888888" if h.undone else None,
        ),
    ]
    return PagedTableModel(columns)
