"""The contract PDF: every blank and option of GF—2021—2604 present and filled, read back from the PDF."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from app.db import Database
from app.demo.paperwork import PROFILE, Paperwork
from app.documents.contract import NOT_APPLICABLE, Mode, contract_facts, missing_facts
from app.documents.fields import BLANKS, CHOICES, CONTRACT_FIELDS, Blank
from app.errors import RuleViolation
from app.permissions import SYSTEM_ACTOR
from app.services import institution
from app.validators import mask_id_number
from tests.documents.conftest import pdf_pages, squeeze
from ui.documents import write_contract_pdf

#: the blanks and options the issue lists from the model text, in its article order
MODEL_FIELDS = (
    "机构名称",
    "办学地址",
    "审批机关",
    "登记注册机关",
    "办学许可证编号",
    "办学许可证有效期",
    "线上机构ICP备案号",
    "统一社会信用代码",
    "民非登记证/营业执照有效期",
    "联系人",
    "联系电话",
    "学员姓名",
    "性别",
    "出生日期",
    "学员身份证件类型及号码",
    "就读学校",
    "就读年级",
    "学员联系电话",
    "监护人姓名",
    "与学员关系",
    "监护人联系电话",
    "监护人联系地址",
    "监护人身份证件类型及号码",
    "本培训项目属于（单选）",
    "课程名称",
    "班级编号",
    "课程顾问（经办人）",
    "总课时数",
    "每次培训课时",
    "上课时间",
    "开课日期",
    "预计结课日期",
    "培训方式",
    "班额",
    "开班人数",
    "最低开班人数",
    "是否指定授课教学人员",
    "授课教师",
    "教师资格证/专业能力证书编号",
    "收费标准",
    "培训费总额",
    "总额（大写）",
    "缴费方式",
    "支付方式",
    "预收费资金监管方式",
    "监管银行",
    "监管账户",
    "单次收费上限",
    "开班前全额退费期",
    "开班后全额退费期",
    "退费计价单价",
    "争议解决方式",
    "管辖法院或仲裁委员会",
    "签订地点",
    "签订日期",
)


def test_the_field_list_follows_the_model_in_article_order() -> None:
    assert tuple(f.label for f in CONTRACT_FIELDS) == MODEL_FIELDS


def test_every_field_is_printed_and_filled(
    paperwork: tuple[Database, Paperwork], qtbot: QtBot, tmp_path: Path
) -> None:
    db, deal = paperwork
    facts = contract_facts(db, deal.desk, deal.contract_id)
    assert missing_facts(facts) == []
    pdf = write_contract_pdf(facts, Mode.ORIGINAL, tmp_path / "contract.pdf")
    text = "".join(pdf_pages(pdf))
    for field in CONTRACT_FIELDS:
        if isinstance(field, Blank):
            printed = squeeze(facts.text(field.key, Mode.ORIGINAL))
            assert f"{squeeze(field.label)}：{printed}" in text, field.label
            assert printed and printed != "_", field.label
            if field.required:
                assert printed != NOT_APPLICABLE, field.label
        else:
            chosen = facts.choices[field.key]
            for code, label in field.options:
                box = "■" if code == chosen else "□"
                assert squeeze(f"{box} {label}") in text, (field.key, label)
            assert chosen in {code for code, _ in field.options}, field.key
    for expected in (
        "福州市鼓楼区教育局",
        "人民币贰仟捌佰捌拾元整",
        "120.00元/课时",
        "■线下非学科类培训",
        "MS-2026-03",
    ):
        assert expected in text


def test_the_number_is_on_every_page_and_a_copy_says_so_and_masks_ids(
    paperwork: tuple[Database, Paperwork], qtbot: QtBot, tmp_path: Path
) -> None:
    db, deal = paperwork
    facts = contract_facts(db, deal.desk, deal.contract_id)
    number = facts.contract_no
    assert number
    original = pdf_pages(write_contract_pdf(facts, Mode.ORIGINAL, tmp_path / "o.pdf"))
    copy = pdf_pages(write_contract_pdf(facts, Mode.COPY, tmp_path / "c.pdf"))
    assert len(original) >= 2
    assert all(f"合同编号：{number}" in page for page in original)
    assert all(f"合同编号：{number}（副本）" in page for page in copy)
    full_id = facts.identities["student_id"].number
    assert full_id in "".join(original) and full_id not in "".join(copy)
    assert mask_id_number(full_id) in "".join(copy)
    metadata = PdfReader(tmp_path / "o.pdf").metadata
    assert metadata is not None and metadata.title == f"中小学生校外培训服务合同 {number}"


def test_a_final_contract_names_each_missing_fact_and_a_draft_still_prints(
    paperwork: tuple[Database, Paperwork], qtbot: QtBot, tmp_path: Path
) -> None:
    db, deal = paperwork
    institution.update_profile(
        db, SYSTEM_ACTOR, replace(PROFILE, approval_authority=None, licence_no=" ", supervision_bank=None)
    )
    facts = contract_facts(db, deal.desk, deal.contract_id)
    assert [b.key for b in missing_facts(facts)] == ["approval_authority", "licence_no", "supervision_bank"]
    with pytest.raises(RuleViolation) as refused:
        write_contract_pdf(facts, Mode.ORIGINAL, tmp_path / "final.pdf")
    assert refused.value.code == "contract.incomplete"
    message = str(refused.value)
    assert "审批机关（设置 → 机构信息）" in message and "办学许可证编号" in message and "监管银行" in message
    assert not (tmp_path / "final.pdf").exists()
    with pytest.raises(RuleViolation):
        write_contract_pdf(facts, Mode.COPY, tmp_path / "copy.pdf")
    draft = pdf_pages(write_contract_pdf(facts, Mode.DRAFT, tmp_path / "draft.pdf"))
    assert all("合同草稿" in page for page in draft) and f"审批机关：{NOT_APPLICABLE}" in "".join(draft)


def test_an_online_course_needs_the_icp_number(paperwork: tuple[Database, Paperwork]) -> None:
    db, deal = paperwork
    with db.transaction() as session:
        session.connection().exec_driver_sql("UPDATE course SET delivery = 'online'")
    facts = contract_facts(db, deal.desk, deal.contract_id)
    assert [b.key for b in missing_facts(facts)] == ["icp_no"]
    assert BLANKS["icp_no"].where == "设置 → 机构信息" and set(CHOICES) >= {"service_category", "dispute"}
