"""The blanks and the options of the model contract 中小学生校外培训服务合同 (GF—2021—2604), in article order.

Read from the published model text (教育部、市场监管总局, 2021 修订版); the labels are the model's, so a
parent and a bureau find every blank where they expect it. ``required`` blanks must be filled before a
contract prints as final (``missing_facts``); an optional blank the parties left empty prints as ``／``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Blank:
    key: str
    label: str
    required: bool = True
    where: str = ""  # where the fact is kept, for the "missing" message (设置 → 机构信息 …)


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    options: tuple[tuple[str, str], ...]  # (code, printed label)


Field = Blank | Choice

PROFILE = "设置 → 机构信息"
STUDENT = "学员资料"
DEAL = "报名信息"

PARTY_A: tuple[Field, ...] = (
    Blank("inst_name", "机构名称", where=PROFILE),
    Blank("inst_address", "办学地址", where=PROFILE),
    Blank("approval_authority", "审批机关", where=PROFILE),
    Blank("registration_authority", "登记注册机关", where=PROFILE),
    Blank("licence_no", "办学许可证编号", where=PROFILE),
    Blank("licence_valid_until", "办学许可证有效期", where=PROFILE),
    Blank("icp_no", "线上机构ICP备案号", where=PROFILE),
    Blank("uscc", "统一社会信用代码", where=PROFILE),
    Blank("registration_valid_until", "民非登记证/营业执照有效期", where=PROFILE),
    Blank("contact_name", "联系人", where=PROFILE),
    Blank("contact_phone", "联系电话", where=PROFILE),
)
PARTY_B: tuple[Field, ...] = (
    Blank("student_name", "学员姓名", where=STUDENT),
    Blank("student_gender", "性别", required=False, where=STUDENT),
    Blank("student_birth", "出生日期", required=False, where=STUDENT),
    Blank("student_id", "学员身份证件类型及号码", required=False, where=STUDENT),
    Blank("school", "就读学校", required=False, where=STUDENT),
    Blank("grade", "就读年级", required=False, where=STUDENT),
    Blank("student_phone", "学员联系电话", required=False, where=STUDENT),
    Blank("guardian_name", "监护人姓名", where=STUDENT),
    Blank("guardian_relation", "与学员关系", where=STUDENT),
    Blank("guardian_phone", "监护人联系电话", where=STUDENT),
    Blank("guardian_address", "监护人联系地址", required=False, where=STUDENT),
    Blank("guardian_id", "监护人身份证件类型及号码", required=False, where=STUDENT),
)
SERVICE_CATEGORY = Choice(
    "service_category",
    "本培训项目属于（单选）",
    (
        ("offline_subject", "线下学科类培训"),
        ("online_subject", "线上学科类培训"),
        ("offline_non_subject", "线下非学科类培训"),
        ("online_non_subject", "线上非学科类培训"),
    ),
)
ARTICLE_1_PROJECT: tuple[Field, ...] = (
    SERVICE_CATEGORY,
    Blank("course_name", "课程名称", where=DEAL),
    Blank("class_code", "班级编号", where=DEAL),
    Blank("adviser", "课程顾问（经办人）", where=DEAL),
    Blank("total_units", "总课时数", where=DEAL),
    Blank("units_per_session", "每次培训课时", where=DEAL),
    Blank("schedule", "上课时间", where="排课"),
    Blank("start_date", "开课日期", where=DEAL),
    Blank("end_date", "预计结课日期", where=DEAL),
)
CLASS_FORMAT = Choice(
    "class_format",
    "培训方式",
    (("one_to_one", "一对一面授"), ("large", "大班额面授"), ("small", "小班额面授"), ("other", "其他方式")),
)
MIN_CLASS = Choice(
    "min_class",
    "开班人数",
    (("minimum", "设最低开班人数，低于此人数可不开班"), ("none", "本班开班不受最低人数限制")),
)
NAMED_TEACHER = Choice("named_teacher", "是否指定授课教学人员", (("yes", "是"), ("no", "否")))
ARTICLE_1_TERMS: tuple[Field, ...] = (
    CLASS_FORMAT,
    Blank("class_size", "班额", where="班级"),
    MIN_CLASS,
    Blank("min_class_size", "最低开班人数", required=False, where="班级"),
    NAMED_TEACHER,
    Blank("teacher_name", "授课教师", where="班级"),
    Blank("teacher_cert", "教师资格证/专业能力证书编号", where="员工"),
)
PAYMENT_PLAN = Choice("payment_plan", "缴费方式", (("once", "一次性缴纳"), ("instalments", "分期缴纳")))
SUPERVISION = Choice(
    "supervision_mode", "预收费资金监管方式", (("escrow", "银行托管"), ("guarantee", "风险保证金"))
)
ARTICLE_4: tuple[Field, ...] = (
    Blank("unit_price", "收费标准", where=DEAL),
    Blank("fee_total", "培训费总额", where=DEAL),
    Blank("fee_capitals", "总额（大写）", where=DEAL),
    PAYMENT_PLAN,
    Blank("payment_method", "支付方式", where=DEAL),
    SUPERVISION,
    Blank("supervision_bank", "监管银行", where=PROFILE),
    Blank("supervision_account", "监管账户", where=PROFILE),
    Blank("charge_caps", "单次收费上限", where="政策参数"),
)
ARTICLE_5: tuple[Field, ...] = (
    Blank("refund_before", "开班前全额退费期", where=DEAL),
    Blank("refund_after", "开班后全额退费期", where=DEAL),
    Blank("refund_price", "退费计价单价", where=DEAL),
)
DISPUTE = Choice(
    "dispute", "争议解决方式", (("court", "向人民法院起诉"), ("arbitration", "提交仲裁委员会仲裁"))
)
ARTICLE_7: tuple[Field, ...] = (DISPUTE, Blank("dispute_body", "管辖法院或仲裁委员会", where=PROFILE))
SIGNATURES: tuple[Field, ...] = (
    Blank("sign_place", "签订地点", where=PROFILE),
    Blank("sign_date", "签订日期", where=DEAL),
)

#: every field of the contract in article order
CONTRACT_FIELDS: tuple[Field, ...] = (
    *PARTY_A,
    *PARTY_B,
    *ARTICLE_1_PROJECT,
    *ARTICLE_1_TERMS,
    *ARTICLE_4,
    *ARTICLE_5,
    *ARTICLE_7,
    *SIGNATURES,
)
BLANKS: dict[str, Blank] = {f.key: f for f in CONTRACT_FIELDS if isinstance(f, Blank)}
CHOICES: dict[str, Choice] = {f.key: f for f in CONTRACT_FIELDS if isinstance(f, Choice)}
