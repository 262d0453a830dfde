"""The raw material of demo data: common surnames and given-name characters, districts, schools, courses.

Kept as plain constants so the generator stays readable and the data looks like a real institution's:
surnames weighted roughly by frequency, given names of one or two characters, real district area codes
(so identity numbers start like real ones), and both course categories of docs/domain.md.
"""

from __future__ import annotations

from dataclasses import dataclass

#: the most common surnames, most frequent first (the first ones are drawn more often)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛")
GIVEN_CHARS = (
    "子梓浩宇轩涵一欣怡雨泽晨辰嘉佳思诗博文俊杰明睿哲瑞安然若欣悦可馨雅琪琳婷萱钰妍彤乐天昊阳宁远志"
    "鑫磊鹏伟强华建国丽娜敏静雪晴心语宸铭皓晗诺依彦霖锦程舒瑶"
)

#: (area code, district) pairs of real districts; the first six digits of an identity number
DISTRICTS = (
    ("350102", "鼓楼区"),
    ("350103", "台江区"),
    ("350104", "仓山区"),
    ("350105", "马尾区"),
    ("350111", "晋安区"),
    ("350121", "闽侯县"),
)
CITY = "福州"

CAMPUS_NAMES = (
    "总部校区",
    "东区校区",
    "西区校区",
    "南区校区",
    "北区校区",
    "城北校区",
    "滨江校区",
    "高新校区",
)
GUARDIAN_RELATIONS = (("父亲", 0.45), ("母亲", 0.5), ("祖父母", 0.05))
GRADES = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级", "九年级")
MOBILE_PREFIXES = (
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "158",
    "159",
    "177",
    "186",
    "187",
    "188",
)


@dataclass(frozen=True)
class CourseSpec:
    """One course the demo institution offers (prices are per 课时, in fen)."""

    name: str
    category: str  # subject | non_subject
    subject: str
    unit_price_fen: int
    weight: int  # how many students pick it, relative


COURSES = (
    CourseSpec("小学数学提高班", "subject", "数学", 15000, 6),
    CourseSpec("语文阅读写作", "subject", "语文", 14000, 4),
    CourseSpec("英语听说", "subject", "英语", 16000, 5),
    CourseSpec("少儿美术", "non_subject", "美术", 12000, 4),
    CourseSpec("钢琴集体课", "non_subject", "钢琴", 17500, 3),
    CourseSpec("青少年篮球", "non_subject", "篮球", 10000, 4),
    CourseSpec("少儿编程", "non_subject", "编程", 17000, 4),
)

#: weekday evening slot of 学科 classes (working days only, never weekends or holidays)
SUBJECT_SLOT = ("18:00", "19:30")
#: weekend slots of 非学科 classes (Saturday = 5, Sunday = 6)
WEEKEND_SLOTS = (("09:00", "10:30"), ("10:45", "12:15"), ("14:00", "15:30"), ("15:45", "17:15"))
LESSON_MINUTES = 90
UNITS_PER_LESSON = 2  # 90 minutes = 2 standard 45-minute 课时
CLASS_CAPACITY = 24
#: attendance outcomes and their probabilities (absent is charged: absent_policy 'charge')
ATTENDANCE_ODDS = (("present", 0.88), ("late", 0.05), ("leave", 0.04), ("absent", 0.03))
MAX_LEAVES_PER_CONTRACT = 3
REFUND_SHARE = 0.01
