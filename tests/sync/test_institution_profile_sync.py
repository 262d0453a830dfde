"""The institution's contract facts (设置 → 机构信息) reach the platform and a second desk."""

from __future__ import annotations

from collections.abc import Callable

from app.db import Database
from app.permissions import SYSTEM_ACTOR
from app.services import institution
from tests.services.test_institution_profile import FACTS
from tests.sync.helpers import engine_for
from tests.sync.server import USCC, LiveServer


def test_profile_facts_sync_to_the_platform_and_to_a_new_desk(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    a = make_db("a")
    institution.init_institution(a, "测试培训学校", USCC, "A1")
    institution.update_profile(a, SYSTEM_ACTOR, FACTS)
    engine_for(a, server, "a").sync_once()

    profile = server.call("GET", f"/v1/regulator/institutions/{server.institution_id}/profile")
    assert profile["synced"] is True and profile["missing"] == []
    assert profile["licence_no"] == "教民135010270000123号" and profile["licence_valid_until"] == "2029-08-31"

    b = make_db("b")
    engine_for(b, server, "b").sync_once()
    assert institution.get_institution(b).profile == institution.get_institution(a).profile
