"""HTML of the printed documents (laid out by Qt's rich-text engine: tables, inline styles, no CSS classes).

The contract follows the article order of GF—2021—2604; its fixed clauses are written in the project's own
words (docs/contract.md). Only the official title and number are quoted.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from app.documents.contract import ContractFacts, Mode
from app.documents.fields import BLANKS, CHOICES, PARTY_A, PARTY_B
from app.documents.receipt import Layout, ReceiptFacts, receipt_date

FONT = "font-family: 'WenQuanYi Zen Hei', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"
TICKED, UNTICKED = "■", "□"
TITLE = "中小学生校外培训服务合同"
MODEL_NO = "GF—2021—2604"


def page(body: str, font_pt: float = 10.5) -> str:
    return (
        '<html><head><meta charset="utf-8"></head>'
        f'<body style="{FONT}; font-size: {font_pt}pt">{body}</body></html>'
    )


def blank(facts: ContractFacts, key: str, mode: Mode) -> str:
    """``标签：<u>值</u>`` for one blank of the contract."""
    label = BLANKS[key].label
    return f"{escape(label)}：<u>{escape(facts.text(key, mode))}</u>"


def choice(facts: ContractFacts, key: str) -> str:
    """Every option of a choice with its box, the chosen one ticked."""
    spec, chosen = CHOICES[key], facts.choices.get(key)
    boxes = "　".join(
        f"{TICKED if code == chosen else UNTICKED} {escape(label)}" for code, label in spec.options
    )
    return f"{escape(spec.label)}：{boxes}"


def _rows(cells: Iterable[str], columns: int = 2) -> str:
    items = list(cells)
    rows = []
    for start in range(0, len(items), columns):
        tds = "".join(f'<td width="{100 // columns}%">{c}</td>' for c in items[start : start + columns])
        rows.append(f"<tr>{tds}</tr>")
    return '<table width="100%" cellpadding="3" cellspacing="0">' + "".join(rows) + "</table>"


def _para(text: str) -> str:
    return f'<p style="margin-top: 2px; margin-bottom: 2px">{text}</p>'


def _article(title: str) -> str:
    return f'<h3 style="margin-top: 10px; margin-bottom: 4px; font-size: 11.5pt">{escape(title)}</h3>'


def _numbered(items: Iterable[str]) -> str:
    return "".join(_para(f"{i}. {text}") for i, text in enumerate(items, 1))


def _heading(facts: ContractFacts, mode: Mode) -> str:
    mark = {Mode.DRAFT: "（草稿 · 未签约）", Mode.COPY: "（副本）", Mode.ORIGINAL: ""}[mode]
    number = facts.contract_no or "签约后生成"
    return (
        f'<h1 align="center" style="font-size: 17pt; margin-bottom: 2px">{TITLE}{mark}</h1>'
        f'<p align="center" style="margin-top: 0px">（示范文本 {MODEL_NO}）</p>'
        f'<p align="right">合同编号：<b>{escape(number)}</b></p>'
    )


def _parties(facts: ContractFacts, mode: Mode) -> str:
    a_keys = [f.key for f in PARTY_A]
    b_keys = [f.key for f in PARTY_B]
    return (
        _article("甲方（提供培训方）")
        + _rows(blank(facts, k, mode) for k in a_keys)
        + _article("乙方（接受培训方的监护人）")
        + _rows(blank(facts, k, mode) for k in b_keys)
        + _para(
            "依据《中华人民共和国民法典》《中华人民共和国教育法》《中华人民共和国民办教育促进法》《中华人民共和国"
            "未成年人保护法》等法律法规，甲乙双方本着平等自愿、诚实守信的原则，遵循教育规律和未成年人成长规律，"
            "就乙方子女（被监护人）参加甲方校外培训一事协商一致，订立本合同。"
        )
    )


def _article_1(facts: ContractFacts, mode: Mode) -> str:
    project = [
        "course_name",
        "class_code",
        "adviser",
        "total_units",
        "units_per_session",
        "start_date",
        "end_date",
    ]
    return (
        _article("第一条　培训服务")
        + _para(choice(facts, "service_category"))
        + _para("（一）培训项目")
        + _rows(blank(facts, k, mode) for k in project)
        + _para(blank(facts, "schedule", mode))
        + _para("（二）培训要求")
        + _para(choice(facts, "class_format") + "；" + blank(facts, "class_size", mode))
        + _para(choice(facts, "min_class") + "；" + blank(facts, "min_class_size", mode))
        + _para(choice(facts, "named_teacher"))
        + _para(blank(facts, "teacher_name", mode) + "　" + blank(facts, "teacher_cert", mode))
        + _para(
            "甲方更换授课教师的，应提前告知乙方；合同约定指定授课教师的，更换须经乙方同意。授课人员须具备相应的"
            "教师资格或专业能力证明，并通过平台的从业人员准入查询。"
        )
    )


def _articles_2_3() -> str:
    return (
        _article("第二条　甲方的权利和义务")
        + _numbered(
            (
                "按本合同约定的课程、课时、时间和方式提供培训；培训内容和教材符合国家规定，不超标、不超前培训。",
                "保障培训场所、设施设备和线上平台的安全，保护学员的人身安全；依法保护学员及监护人的个人信息，"
                "不泄露、不出售、不用于合同以外的用途。",
                "公示收费项目、收费标准和退费办法，不在合同约定以外收取任何费用。",
                "每次课后如实记录消课情况，供乙方在平台上查询和确认。",
                "有权要求乙方按约定缴费、遵守教学和安全管理规定。",
            )
        )
        + _article("第三条　乙方的权利和义务")
        + _numbered(
            (
                "按约定缴纳培训费，并取得甲方出具的收据。",
                "督促学员遵守甲方的教学安排和安全管理规定；学员不能按时上课的，应提前向甲方请假。",
                "如实提供学员和监护人的信息，信息变化时及时告知甲方。",
                "对消课记录有异议的，可在平台规定的期限内提出；有权了解学员的学习情况和授课人员的资质。",
            )
        )
    )


def _article_4(facts: ContractFacts, mode: Mode) -> str:
    if facts.values.get("billing") == "pay_after":
        return _article_4_pay_after(facts, mode)
    return (
        _article("第四条　培训收费")
        + _para("（一）" + blank(facts, "unit_price", mode))
        + _para("（二）" + blank(facts, "fee_total", mode) + "　" + blank(facts, "fee_capitals", mode))
        + _para("（三）" + choice(facts, "payment_plan") + "；" + blank(facts, "payment_method", mode))
        + _para("（四）" + choice(facts, "supervision_mode"))
        + _para(blank(facts, "supervision_bank", mode) + "　" + blank(facts, "supervision_account", mode))
        + _para(
            "（五）"
            + blank(facts, "charge_caps", mode)
            + "。甲方不以充值、次卡、培训贷等方式收取或变相收取培训费；"
            "乙方缴纳的预收费全部进入上述监管账户，按实际消课逐次拨付给甲方。"
        )
    )


def _article_4_pay_after(facts: ContractFacts, mode: Mode) -> str:
    """先学后付: the agreed price per lesson and the payment terms instead of a prepaid fee."""
    terms = escape(facts.values.get("payment_terms") or "")
    return (
        _article("第四条　培训收费（先学后付）")
        + _para("（一）" + blank(facts, "unit_price", mode))
        + _para("（二）" + blank(facts, "fee_total", mode) + "　" + blank(facts, "fee_capitals", mode))
        + _para("（三）付款约定：<u>" + terms + "</u>")
        + _para(
            "（四）甲方不以充值、次卡、培训贷等方式收取或变相收取培训费；乙方可在甲方前台或全国校外教育"
            "培训监管与服务综合平台家长端，按节支付已上课程的费用。"
        )
    )


def _article_5(facts: ContractFacts, mode: Mode) -> str:
    return (
        _article("第五条　退费")
        + _para(
            "（一）全额退费："
            + blank(facts, "refund_before", mode)
            + "；"
            + blank(facts, "refund_after", mode)
            + "。"
        )
        + _para(
            "（二）上述期限以外乙方要求退学的，甲方退还未消课时的费用：退费金额 ＝ 未消课时数 × "
            + blank(facts, "refund_price", mode)
            + "（实收培训费 ÷ 购买课时数；赠送课时不计价，并先于购买课时消耗）。"
        )
        + _para(
            "（三）因甲方原因（停止办学、未按约定开课、未经同意更换指定教师等）不能继续培训的，甲方退还全部"
            "未消课时的费用，并依第六条承担责任。"
        )
        + _para(
            "（四）退费款项通过原支付渠道退回；乙方在平台上提出退费申请的，甲方应在平台规定的期限内答复。"
            "预计结课日期届满仍有未消课时的，双方可协商延期，协商不成的按本条第（二）项退费。"
        )
    )


def _articles_6_8(facts: ContractFacts, mode: Mode) -> str:
    return (
        _article("第六条　违约责任")
        + _numbered(
            (
                "甲方未按约定提供培训、擅自停课或降低培训标准的，乙方有权解除合同，甲方退还未消课时的费用，"
                "给乙方造成损失的依法赔偿。",
                "甲方违反预收费监管规定或超出合同约定收费的，应退还多收的费用。",
                "乙方未按约定缴费的，甲方可暂停提供培训服务，并书面告知乙方。",
            )
        )
        + _article("第七条　争议解决")
        + _para(
            "双方发生争议的，先行协商；协商不成的，可以向教育、市场监管等部门投诉或申请调解；仍不能解决的，"
            "按以下约定处理："
        )
        + _para(choice(facts, "dispute") + "；" + blank(facts, "dispute_body", mode))
        + _article("第八条　其他")
        + _numbered(
            (
                "本合同自双方签字（盖章）之日起生效，至约定课时全部消耗或退费办理完毕时终止。",
                "本合同一式两份，甲乙双方各执一份，具有同等效力；收费收据与本合同一并保存。",
            )
        )
    )


def _signatures(facts: ContractFacts, mode: Mode) -> str:
    """Both parties side by side in one table row (a row is never split across pages)."""
    a = "<br/><br/>".join(
        (
            "甲方（盖章）：" + escape(facts.text("inst_name", mode)),
            "法定代表人或委托代理人（签字）：",
            blank(facts, "adviser", mode),
            blank(facts, "sign_date", mode),
        )
    )
    b = "<br/><br/>".join(("乙方（监护人签字）：", "　", "　", blank(facts, "sign_date", mode)))
    return (
        '<table width="100%" cellpadding="4" cellspacing="0" style="margin-top: 12px">'
        f'<tr><td width="55%">{a}</td><td width="45%">{b}</td></tr></table>'
        + _para(blank(facts, "sign_place", mode))
    )


def contract_html(facts: ContractFacts, mode: Mode) -> str:
    """The whole contract, every blank filled (``／`` where an optional blank does not apply)."""
    body = (
        _heading(facts, mode)
        + _parties(facts, mode)
        + _article_1(facts, mode)
        + _articles_2_3()
        + _article_4(facts, mode)
        + _article_5(facts, mode)
        + _articles_6_8(facts, mode)
        + _signatures(facts, mode)
    )
    return page(body, font_pt=10)


# ------------------------------------------------------------------------------------------ receipts


def _receipt_rows(facts: ReceiptFacts) -> list[tuple[str, str]]:
    rows = [
        ("收据编号" if facts.title != "退费单" else "退费单号", facts.number),
        ("日期", receipt_date(facts)),
        ("交款人" if facts.title != "退费单" else "收款人", facts.payer),
        ("合同编号", facts.contract_no),
        ("课程", facts.course),
        ("课时", facts.units),
        ("金额（小写）", facts.amount_figures),
        ("金额（大写）", facts.amount_capitals),
        ("支付方式" if facts.title != "退费单" else "退款方式", facts.method),
    ]
    if facts.reason:
        rows.append(("退费原因", facts.reason))
    rows.append(("经办人", facts.handler))
    return rows


def _receipt_a5(facts: ReceiptFacts) -> str:
    cells = "".join(
        f'<tr><td width="26%" style="background-color: #f2f2f2">{escape(k)}</td><td>{escape(v)}</td></tr>'
        for k, v in _receipt_rows(facts)
    )
    return page(
        f'<h2 align="center" style="font-size: 15pt; margin-bottom: 0px">{escape(facts.institution)}</h2>'
        f'<h3 align="center" style="font-size: 13pt; margin-top: 2px">{escape(facts.title)}</h3>'
        f'<p align="center" style="margin-top: 0px">统一社会信用代码：{escape(facts.uscc)}</p>'
        '<table width="100%" border="1" cellpadding="5" cellspacing="0" style="border-color: #777">'
        f"{cells}</table>"
        f'<p style="margin-top: 6px">{escape(facts.supervision)}</p>'
        '<table width="100%" cellpadding="4" cellspacing="0" style="margin-top: 10px"><tr>'
        f'<td width="55%">{"收款人" if facts.title == "退费单" else "交款人"}/监护人（签字）：</td>'
        '<td width="45%" align="center" style="border: 1px dashed #999; color: #888">'
        "<br/><br/>机构盖章处<br/><br/><br/></td>"
        "</tr></table>",
        font_pt=10,
    )


def _receipt_thermal(facts: ReceiptFacts, layout: Layout) -> str:
    small = layout is Layout.THERMAL_58
    lines = "".join(
        f"<p style='margin: 1px 0px'>{escape(k)}：{escape(v)}</p>" for k, v in _receipt_rows(facts)
    )
    rule = "<hr/>"
    return page(
        f'<p align="center" style="font-size: {10 if small else 11}pt; margin: 0px">'
        f"<b>{escape(facts.institution)}</b></p>"
        f'<p align="center" style="margin: 2px 0px"><b>{escape(facts.title)}</b></p>'
        f"{rule}{lines}{rule}"
        f"<p style='margin: 1px 0px'>{escape(facts.supervision)}</p>"
        "<p style='margin: 8px 0px 2px 0px'>机构盖章处：</p>"
        "<p style='margin: 0px'>　</p><p style='margin: 0px'>　</p><p style='margin: 0px'>　</p>"
        "<p style='margin: 2px 0px'>签字：</p>",
        font_pt=7.5 if small else 8.5,
    )


def receipt_html(facts: ReceiptFacts, layout: Layout = Layout.A5) -> str:
    """A receipt or refund slip on A5 paper or a thermal roll (58/80 mm)."""
    return _receipt_a5(facts) if layout is Layout.A5 else _receipt_thermal(facts, layout)
