"""Chinese column headers and value labels shared by import and export (one source, so they round-trip).

The student columns are documented in docs/README-cli.md; changing one here changes the file format
people keep their spreadsheets in, so add aliases rather than renaming.
"""

from __future__ import annotations

#: the student columns, in the order an export writes them and a template shows them
STUDENT_HEADERS = (
    "姓名",
    "性别",
    "出生日期",
    "证件类型",
    "证件号码",
    "学校",
    "年级",
    "学段",
    "手机号",
    "卡号",
    "监护人姓名",
    "监护人关系",
    "监护人手机",
)
REQUIRED_HEADERS = ("姓名",)

#: other spellings people use in their own spreadsheets → the canonical header
HEADER_ALIASES = {
    "学生姓名": "姓名",
    "学员姓名": "姓名",
    "名字": "姓名",
    "生日": "出生日期",
    "出生年月日": "出生日期",
    "证件种类": "证件类型",
    "身份证号": "证件号码",
    "身份证号码": "证件号码",
    "身份证": "证件号码",
    "就读学校": "学校",
    "手机": "手机号",
    "手机号码": "手机号",
    "联系电话": "手机号",
    "电话": "手机号",
    "联系方式": "手机号",
    "学员卡号": "卡号",
    "家长姓名": "监护人姓名",
    "监护人": "监护人姓名",
    "家长": "监护人姓名",
    "联系人": "监护人姓名",
    "身份证件号码": "证件号码",
    "证件号": "证件号码",
    "学生性别": "性别",
    "出生年月": "出生日期",
    "家长联系电话": "监护人手机",
    "监护人联系电话": "监护人手机",
    "监护人手机号": "监护人手机",
    "家长手机号": "监护人手机",
    "家长关系": "监护人关系",
    "与学员关系": "监护人关系",
    "关系": "监护人关系",
    "家长手机": "监护人手机",
    "家长电话": "监护人手机",
    "监护人电话": "监护人手机",
}

GENDERS = {"男": "M", "女": "F", "M": "M", "F": "F"}
GENDER_LABELS = {"M": "男", "F": "女"}
ID_TYPES = {"身份证": "id_card", "居民身份证": "id_card", "护照": "passport", "其他": "other"}
ID_TYPE_LABELS = {"id_card": "身份证", "passport": "护照", "other": "其他"}
STAGES = {
    "学龄前": "preschool",
    "义务教育": "compulsory",
    "小学": "compulsory",
    "初中": "compulsory",
    "高中": "high_school",
    "其他": "other",
}
STAGE_LABELS = {"preschool": "学龄前", "compulsory": "义务教育", "high_school": "高中", "other": "其他"}
ATTENDANCE_LABELS = {
    "present": "出勤",
    "late": "迟到",
    "leave": "请假",
    "absent": "缺勤",
    "trial": "试听",
    "makeup": "补课",
}
METHOD_LABELS = {
    "cash": "现金",
    "wechat": "微信",
    "alipay": "支付宝",
    "bank_card": "银行卡",
    "transfer": "转账",
    "platform": "平台",
}


#: a bare "phone" column of a roster that names the guardian but has no guardian phone column is the
#: guardian's (a child's roster lists the parent to call); otherwise it is the student's own
CONTACT_PHONE_HEADERS = frozenset({"联系电话", "电话", "联系方式"})


def clean_header(text: str) -> str:
    """A header cell without spaces, colons and a required-mark ``*``."""
    return "".join(str(text).split()).rstrip(":：*")


def canonical_header(text: str) -> str:
    """The canonical header for a header cell (spaces, colons and a required-mark ``*`` ignored)."""
    cleaned = clean_header(text)
    return HEADER_ALIASES.get(cleaned, cleaned)
