"""设置 → 机构信息: the contract facts of the institution are checked, saved, audited and synced."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from app.errors import PermissionDenied, ValidationError
from app.services import institution
from localdb.models import SyncOutbox
from localdb.schema import SCHEMA_VERSION
from tests.services.factory import DESK, MANAGER, World, audits

FACTS = institution.InstitutionProfile(
    name="测试培训学校",
    address=" 福州市鼓楼区五四路 100 号 ",
    approval_authority="福州市鼓楼区教育局",
    registration_authority="福州市鼓楼区民政局",
    licence_no="教民135010270000123号",
    licence_valid_until=date(2029, 8, 31),
    icp_no="",
    registration_valid_until=date(2030, 12, 31),
    contact_name="林老师",
    contact_phone="0591-87654321",
    supervision_bank="中国建设银行福州鼓楼支行",
    supervision_account_name="测试培训学校预收费监管专户",
    supervision_account_no="35050100000000001234",
    dispute_resolution="court",
    dispute_body="福州市鼓楼区人民法院",
    refund_days_before_start=7,
    refund_days_after_start=3,
)


def test_profile_is_saved_trimmed_and_synced(world: World) -> None:
    info = institution.update_profile(world.db, MANAGER, FACTS)
    profile = institution.get_institution(world.db).profile
    assert profile == info.profile
    assert profile.address == "福州市鼓楼区五四路 100 号" and profile.icp_no is None
    assert profile.licence_valid_until == date(2029, 8, 31) and profile.refund_days_after_start == 3
    assert audits(world.db, "institution.profile") == 1
    with world.db.reading() as session:
        last = session.scalars(
            select(SyncOutbox).where(SyncOutbox.entity == "institution").order_by(SyncOutbox.seq.desc())
        ).first()
    assert last is not None and last.op == "update" and last.schema_version == SCHEMA_VERSION
    payload = json.loads(last.payload)
    assert payload["approval_authority"] == "福州市鼓楼区教育局"
    assert payload["supervision_account_no"] == "35050100000000001234"


def test_saving_the_same_profile_twice_changes_nothing(world: World) -> None:
    institution.update_profile(world.db, MANAGER, FACTS)
    institution.update_profile(world.db, MANAGER, FACTS)
    assert audits(world.db, "institution.profile") == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"contact_phone": "12345"}, "institution.bad_phone"),
        ({"refund_days_before_start": 400}, "institution.bad_days"),
        ({"dispute_resolution": "duel"}, "choice.invalid"),
        ({"supervision_mode": "cash"}, "choice.invalid"),
        ({"address": "路" * 301}, "institution.too_long"),
        ({"name": " "}, "name.empty"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(
    world: World, change: dict[str, object], code: str
) -> None:
    with pytest.raises(ValidationError) as info:
        institution.update_profile(world.db, MANAGER, replace(FACTS, **change))  # type: ignore[arg-type]
    assert info.value.code == code
    assert institution.get_institution(world.db).profile.approval_authority is None


@pytest.mark.parametrize(
    "phone", ["13800138000", "0591-87654321", "059187654321", "400-123-4567", "+86 138 0013 8000"]
)
def test_mobile_and_landline_numbers_are_accepted(world: World, phone: str) -> None:
    saved = institution.update_profile(world.db, MANAGER, replace(FACTS, contact_phone=phone))
    assert saved.profile.contact_phone == phone.replace(" ", "")


def test_only_a_manager_edits_the_profile(world: World) -> None:
    with pytest.raises(PermissionDenied):
        institution.update_profile(world.db, DESK, FACTS)
