"""Models of the students screen: the lazy list of all students (or search hits) and the profile tables."""

from __future__ import annotations

from app.search import StudentHit
from app.services.students import GuardianInfo
from app.services.students_view import ContractLine, LedgerLine
from ui.i18n import tr
from ui.labels import CONTRACT_STATUS, GENDERS, LEDGER_KINDS, label, units, yuan
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


def contracts_model() -> PagedTableModel[ContractLine]:
    columns: list[Column[ContractLine]] = [
        Column(tr("合同编号"), lambda c: c.contract_no),
        Column(tr("课程"), lambda c: c.course_name),
        Column(tr("状态"), lambda c: label(CONTRACT_STATUS, c.status)),
        Column(tr("课时（含赠送）"), lambda c: f"{units(c.total_units)} + {units(c.gift_units)}"),
        Column(
            tr("剩余课时"),
            lambda c: units(c.units_left),
            foreground=lambda c: "#b00020" if c.units_left <= 2 else None,
        ),
        Column(tr("合同金额"), lambda c: yuan(c.fee_fen)),
        Column(
            tr("有效期"), lambda c: f"{c.start_date:%Y-%m-%d} – {c.end_date:%Y-%m-%d}" if c.end_date else ""
        ),
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
