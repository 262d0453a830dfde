"""The regulator reads an institution's licence and contract facts from its synced profile row."""

from __future__ import annotations

import httpx

from tests.server.helpers import Device, new_id


def test_profile_lists_missing_facts_until_the_desk_pushes_them(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    url = f"/v1/regulator/institutions/{device.institution_id}/profile"
    before = client.get(url, headers=regulator).json()
    assert before["synced"] is False and "licence_no" in before["missing"]
    facts = {
        "name": "鼓楼培训学校",
        "uscc": "91350100M000100Y43",
        "address": "福州市鼓楼区五四路 100 号",
        "approval_authority": "福州市鼓楼区教育局",
        "registration_authority": "福州市鼓楼区民政局",
        "licence_no": "教民135010270000123号",
        "licence_valid_until": "2029-08-31",
        "registration_valid_until": "2030-12-31",
        "contact_name": "林老师",
        "contact_phone": "0591-87654321",
        "delivery_scope": "offline",
        "supervision_mode": "escrow",
        "supervision_bank": "中国建设银行福州鼓楼支行",
        "supervision_account_no": "3505 0100 0000 0000 1234",
        "refund_days_before_start": 7,
    }
    pushed = device.push_one("institution", entity_id=new_id(), payload=facts)
    assert pushed["status"] == "applied"
    after = client.get(url, headers=regulator).json()
    assert after["synced"] is True and after["missing"] == []
    assert after["approval_authority"] == "福州市鼓楼区教育局" and after["refund_days_before_start"] == 7


def test_profile_of_an_unknown_institution_is_404_and_institutions_cannot_read_it(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    assert client.get(f"/v1/regulator/institutions/{new_id()}/profile", headers=regulator).status_code == 404
    own = client.get(f"/v1/regulator/institutions/{device.institution_id}/profile", headers=device.headers)
    assert own.status_code in (401, 403)
