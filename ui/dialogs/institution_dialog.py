"""设置 → 机构信息: the institution's contract facts (甲方 of GF—2021—2604) that contracts and receipts print.

Loaded and saved through ``app.services.institution`` on the database worker; the saved row is synced to
the platform like any change. A final contract refuses to print while a required fact here is empty.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.institution import InstitutionInfo, InstitutionProfile, get_institution, update_profile
from ui import messages
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.i18n import tr
from ui.ops import Op

#: the profile's fields by editor kind, in the order the contract prints them (labels: ``_labels``)
TEXT_FIELDS: tuple[str, ...] = (
    "name",
    "address",
    "approval_authority",
    "registration_authority",
    "licence_no",
    "icp_no",
    "contact_name",
    "contact_phone",
    "supervision_bank",
    "supervision_account_name",
    "supervision_account_no",
    "dispute_body",
)
DATE_FIELDS: tuple[str, ...] = (
    "licence_valid_until",
    "registration_valid_until",
)
DAY_FIELDS: tuple[str, ...] = (
    "refund_days_before_start",
    "refund_days_after_start",
)
UNSET = -1


def _labels() -> dict[str, str]:
    """Translated labels (tr() needs literals, so each is written out)."""
    return {
        "name": tr("机构名称"),
        "address": tr("办学地址"),
        "approval_authority": tr("审批机关"),
        "registration_authority": tr("登记注册机关"),
        "licence_no": tr("办学许可证编号"),
        "icp_no": tr("线上机构ICP备案号"),
        "contact_name": tr("联系人"),
        "contact_phone": tr("联系电话"),
        "supervision_bank": tr("监管银行"),
        "supervision_account_name": tr("监管账户名称"),
        "supervision_account_no": tr("监管账号"),
        "dispute_body": tr("管辖法院或仲裁委员会"),
        "licence_valid_until": tr("办学许可证有效期至"),
        "registration_valid_until": tr("民非登记证/营业执照有效期至"),
        "refund_days_before_start": tr("开班前全额退费天数"),
        "refund_days_after_start": tr("开班后全额退费天数"),
        "supervision_mode": tr("预收费监管方式"),
        "dispute_resolution": tr("争议解决方式"),
    }


class DateError(ValueError):
    """A date field that is not YYYY-MM-DD."""


class InstitutionDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("机构信息（合同甲方）"))
        labels = _labels()
        self.texts = {key: QLineEdit() for key in TEXT_FIELDS}
        self.dates = {key: QLineEdit() for key in DATE_FIELDS}
        for edit in self.dates.values():
            edit.setPlaceholderText("YYYY-MM-DD")
        self.days = {key: self._days_box() for key in DAY_FIELDS}
        self.supervision = QComboBox()
        self.supervision.addItem(tr("银行托管"), "escrow")
        self.supervision.addItem(tr("风险保证金"), "guarantee")
        self.dispute = QComboBox()
        self.dispute.addItem(tr("未约定"), None)
        self.dispute.addItem(tr("向人民法院起诉"), "court")
        self.dispute.addItem(tr("提交仲裁委员会仲裁"), "arbitration")
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        for key in TEXT_FIELDS[:5]:
            form.addRow(labels[key], self.texts[key])
        form.addRow(labels["licence_valid_until"], self.dates["licence_valid_until"])
        for key in TEXT_FIELDS[5:8]:
            form.addRow(labels[key], self.texts[key])
        form.addRow(labels["registration_valid_until"], self.dates["registration_valid_until"])
        form.addRow(labels["supervision_mode"], self.supervision)
        for key in TEXT_FIELDS[8:11]:
            form.addRow(labels[key], self.texts[key])
        form.addRow(labels["dispute_resolution"], self.dispute)
        form.addRow(labels["dispute_body"], self.texts["dispute_body"])
        for key in DAY_FIELDS:
            form.addRow(labels[key], self.days[key])
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(560, 640)
        self.profile: InstitutionProfile | None = None
        db = ctx.db
        Op(lambda: get_institution(db)).success(self.show_info).run()

    @staticmethod
    def _days_box() -> QSpinBox:
        box = QSpinBox()
        box.setRange(UNSET, 365)
        box.setSpecialValueText(tr("未约定"))
        box.setSuffix(tr(" 天"))
        return box

    def show_info(self, info: InstitutionInfo) -> None:
        profile = self.profile = info.profile
        for key, edit in self.texts.items():
            edit.setText(getattr(profile, key) or "")
        for key, edit in self.dates.items():
            day: date | None = getattr(profile, key)
            edit.setText(day.isoformat() if day else "")
        for key, box in self.days.items():
            value = getattr(profile, key)
            box.setValue(UNSET if value is None else value)
        self.supervision.setCurrentIndex(max(0, self.supervision.findData(profile.supervision_mode)))
        self.dispute.setCurrentIndex(max(0, self.dispute.findData(profile.dispute_resolution)))

    def _date(self, key: str) -> date | None:
        text = self.dates[key].text().strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise DateError(_labels()[key]) from exc

    def edited(self) -> InstitutionProfile:
        """The profile as typed (checked by the service when saved)."""
        values: dict[str, object] = {key: edit.text() for key, edit in self.texts.items()}
        values.update({key: self._date(key) for key in self.dates})
        values.update({key: None if box.value() == UNSET else box.value() for key, box in self.days.items()})
        values["supervision_mode"] = str(self.supervision.currentData())
        values["dispute_resolution"] = self.dispute.currentData()
        return InstitutionProfile(**values)  # type: ignore[arg-type]

    def save(self) -> None:
        try:
            profile = self.edited()
        except DateError as exc:
            messages.error(tr("{field}应为 YYYY-MM-DD 格式的日期", field=str(exc)))
            return
        db, actor = self.ctx.db, self.ctx.require_actor()
        op = Op(lambda: update_profile(db, actor, profile)).announce(Changes.of(Entity.INSTITUTION))
        op.success(self._saved).run()

    def _saved(self, _info: InstitutionInfo) -> None:
        messages.info(tr("机构信息已保存，将随下次同步上传平台"))
        self.accept()
