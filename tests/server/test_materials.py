"""Training materials on the platform: files by hash (size, hash, isolation), material metadata checks and
regulators' spot checks with their deadline (docs/materials.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from platform_server.accounts import create_institution
from platform_server.app import create_app
from platform_server.clock import Clock
from platform_server.db import make_engine
from platform_server.migrate import upgrade
from tests.server.conftest import LiveServer, Tenant, server_settings, start_server
from tests.server.helpers import PASSWORD, Device, login, new_id, nodelay_transport, random_uscc
from tests.server.platform_fixtures import approved_course

Regulator = Callable[[], dict[str, str]]
SMALL_LIMIT = 1024


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def upload(
    client: httpx.Client, device: Device, data: bytes, digest: str | None = None, size: int | None = None
) -> httpx.Response:
    return client.put(
        f"/v1/material-files/{digest or sha(data)}",
        params={"size": len(data) if size is None else size},
        content=data,
        headers={**device.headers, "Content-Type": "application/octet-stream"},
    )


def missing(client: httpx.Client, device: Device, *hashes: str) -> list[str]:
    response = client.post(
        "/v1/material-files/missing", json={"sha256": list(hashes)}, headers=device.headers
    )
    assert response.status_code == 200, response.text
    found: list[str] = response.json()["missing"]
    return found


def material(course_id: str, data: bytes, **extra: Any) -> dict[str, Any]:
    return {
        "course_id": course_id,
        "title": "第一单元讲义",
        "kind": "handout",
        "version_label": "1",
        "sha256": sha(data),
        "size_bytes": len(data),
        "file_name": "unit1.pdf",
        "klass_ids": "[]",
        **extra,
    }


def file_material(client: httpx.Client, device: Device, course_id: str, data: bytes) -> str:
    assert upload(client, device, data).status_code == 200
    mid = new_id()
    assert (
        device.push_one("material", entity_id=mid, payload=material(course_id, data))["status"] == "applied"
    )
    return mid


def spot_check(
    client: httpx.Client, regulator: dict[str, str], institution_id: str, course_id: str, hours: int = 72
) -> httpx.Response:
    return client.post(
        f"/v1/regulator/institutions/{institution_id}/spot-checks",
        json={"course_id": course_id, "deadline_hours": hours, "note": "例行抽查"},
        headers=regulator,
    )


def answer(
    client: httpx.Client, device: Device, check_id: str, items: list[dict[str, str]]
) -> httpx.Response:
    return client.post(f"/v1/spot-checks/{check_id}/answer", json={"items": items}, headers=device.headers)


# --- files ------------------------------------------------------------------------------------------


def test_upload_is_incremental_by_hash_and_the_same_content_is_stored_once(
    server: LiveServer, client: httpx.Client, device: Device
) -> None:
    data = "讲义内容".encode() * 100
    assert missing(client, device, sha(data)) == [sha(data)]
    first = upload(client, device, data)
    assert first.status_code == 200, first.text
    assert first.json()["created"] is True and first.json()["size_bytes"] == len(data)
    assert missing(client, device, sha(data)) == []
    again = upload(client, device, data)
    assert again.status_code == 200 and again.json()["created"] is False
    got = client.get(f"/v1/material-files/{sha(data)}", headers=device.headers)
    assert got.status_code == 200 and got.content == data


def test_a_file_whose_hash_or_size_differs_from_the_declared_one_is_refused_and_not_kept(
    client: httpx.Client, device: Device
) -> None:
    data = b"slides v2" * 10
    wrong_hash = upload(client, device, data, digest=sha(b"something else"))
    assert wrong_hash.status_code == 422 and wrong_hash.json()["error"] == "file_mismatch"
    assert missing(client, device, sha(b"something else")) == [sha(b"something else")]
    short = upload(client, device, data, size=len(data) + 5)
    assert short.status_code == 422 and short.json()["error"] == "file_mismatch"
    longer = upload(client, device, data, size=len(data) - 1)
    assert longer.status_code == 422
    assert missing(client, device, sha(data)) == [sha(data)]


def test_bad_hashes_in_the_path_are_refused(client: httpx.Client, device: Device) -> None:
    for bad in ("../../etc/passwd", "A" * 64, "a" * 63):
        response = client.put(
            f"/v1/material-files/{bad}", params={"size": 1}, content=b"x", headers=device.headers
        )
        assert response.status_code in (404, 422), bad


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Clock, Any]]:
    """A server whose file limit is ``SMALL_LIMIT`` bytes."""
    folder = Path(tmp_path_factory.mktemp("small"))
    url = f"sqlite:///{folder / 'platform.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    app = create_app(server_settings(url, max_file_bytes=SMALL_LIMIT, max_body_bytes=512), engine=engine)
    server, thread, base = start_server(app)
    yield base, app.state.rt.clock, app.state.rt
    server.should_exit = True
    thread.join(10)
    engine.dispose()


def test_the_size_limit_takes_a_file_at_the_limit_and_refuses_one_byte_more(
    small: tuple[str, Clock, Any],
) -> None:
    base, clock, rt = small
    with rt.sessionmaker() as session:
        inst = create_institution(session, rt.passwords, clock, random_uscc(), "小机构", PASSWORD)
        session.commit()
    with httpx.Client(base_url=base, timeout=30, transport=nodelay_transport()) as client:
        body = login(client, inst.uscc).json()
        device = Device(
            client, inst.id, inst.uscc, body["access_token"], body["refresh_token"], body["device_id"]
        )
        at_limit = bytes(range(256)) * (SMALL_LIMIT // 256)
        assert len(at_limit) == SMALL_LIMIT
        taken = upload(client, device, at_limit)
        assert taken.status_code == 200, taken.text  # bigger than max_body_bytes, within the file limit
        over = at_limit + b"!"
        declared = upload(client, device, over)
        assert declared.status_code == 413 and declared.json()["error"] in (
            "file_too_large",
            "payload_too_large",
        )

        def stream() -> Iterator[bytes]:  # no Content-Length: the limit holds while streaming
            yield over[:600]
            yield over[600:]

        streamed = client.put(
            f"/v1/material-files/{sha(over)}",
            params={"size": SMALL_LIMIT},
            content=stream(),
            headers=device.headers,
        )
        assert streamed.status_code in (413, 422)
        assert missing(client, device, sha(over)) == [sha(over)]


# --- isolation --------------------------------------------------------------------------------------


def test_another_institution_cannot_read_or_overwrite_a_file_even_knowing_its_hash(
    server: LiveServer,
    client: httpx.Client,
    device: Device,
    make_tenant: Callable[[], Tenant],
    make_device: Callable[[Tenant], Device],
    regulator: dict[str, str],
) -> None:
    data = b"confidential handout " * 20
    assert upload(client, device, data).status_code == 200
    other = make_device(make_tenant())
    assert client.get(f"/v1/material-files/{sha(data)}", headers=other.headers).status_code == 404
    assert missing(client, other, sha(data)) == [sha(data)]
    forged = upload(client, other, b"something else entirely", digest=sha(data), size=len(data))
    assert forged.status_code == 422
    own_copy = upload(client, other, data)
    assert own_copy.status_code == 200 and own_copy.json()["created"] is True
    assert client.get(f"/v1/material-files/{sha(data)}", headers=device.headers).content == data
    lone = b"only the first institution has this"
    assert upload(client, device, lone).status_code == 200
    url = f"/v1/regulator/institutions/{other.institution_id}/material-files/{sha(lone)}"
    assert client.get(url, headers=regulator).status_code == 404  # filed by the first one, not this one


def test_another_institution_cannot_answer_or_see_a_spot_check(
    client: httpx.Client,
    device: Device,
    regulator_login: Regulator,
    make_tenant: Callable[[], Tenant],
    make_device: Callable[[Tenant], Device],
) -> None:
    course = approved_course(device, client, regulator_login())
    data = b"unit 1"
    mid = file_material(client, device, course, data)
    check = spot_check(client, regulator_login(), device.institution_id, course).json()
    other = make_device(make_tenant())
    assert upload(client, other, data).status_code == 200
    items = [{"material_id": mid, "sha256": sha(data)}]
    assert answer(client, other, check["id"], items).status_code == 404
    assert all(c["entity"] != "spot_check" for c in other.all_changes())


def test_regulator_endpoints_refuse_an_institution_token(client: httpx.Client, device: Device) -> None:
    base = f"/v1/regulator/institutions/{device.institution_id}"
    assert client.get(f"{base}/spot-checks", headers=device.headers).status_code == 403
    assert (
        client.post(f"{base}/spot-checks", json={"course_id": "x"}, headers=device.headers).status_code == 403
    )
    assert client.get(f"{base}/material-files/{'a' * 64}", headers=device.headers).status_code == 403


def test_institution_endpoints_need_a_login(client: httpx.Client) -> None:
    digest = sha(b"x")
    assert client.put(f"/v1/material-files/{digest}", params={"size": 1}, content=b"x").status_code == 401
    assert client.get(f"/v1/material-files/{digest}").status_code == 401
    assert client.post("/v1/material-files/missing", json={"sha256": [digest]}).status_code == 401
    assert client.post("/v1/spot-checks/x/answer", json={"items": []}).status_code == 401


# --- metadata ---------------------------------------------------------------------------------------


def test_material_metadata_is_checked_when_pushed(client: httpx.Client, device: Device) -> None:
    course = new_id()
    data = b"textbook"
    good = device.push_one("material", payload=material(course, data))
    assert good["status"] == "applied"
    for bad in (
        {"sha256": "x" * 64},
        {"size_bytes": 50 * 1024 * 1024 + 1},
        {"size_bytes": 0},
        {"kind": "video"},
        {"title": ""},
    ):
        result = device.push_one("material", payload=material(course, data, **bad))
        assert result["status"] == "rejected", bad


# --- spot checks ------------------------------------------------------------------------------------


def test_a_spot_check_of_an_unknown_course_is_refused(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    response = spot_check(client, regulator, device.institution_id, new_id())
    assert response.status_code == 404
    assert spot_check(client, regulator, new_id(), new_id()).status_code == 404


def test_a_spot_check_reaches_the_feed_and_an_answer_in_time_is_recorded_once(
    server: LiveServer, client: httpx.Client, device: Device, regulator_login: Regulator
) -> None:
    course = approved_course(device, client, regulator_login())
    data = b"handout v1"
    mid = file_material(client, device, course, data)
    made = spot_check(client, regulator_login(), device.institution_id, course, hours=48)
    assert made.status_code == 200, made.text
    check = made.json()
    fed = [c for c in device.all_changes() if c["entity"] == "spot_check"]
    assert fed[-1]["payload"]["status"] == "open" and fed[-1]["payload"]["course_name"] == "少儿美术"
    deadline = dt.datetime.fromisoformat(check["deadline_at"])
    assert deadline - dt.datetime.fromisoformat(check["requested_at"]) == dt.timedelta(hours=48)
    server.clock.advance(dt.timedelta(hours=47))
    device.renew()
    answered = answer(
        client, device, check["id"], [{"material_id": mid, "sha256": sha(data), "version_label": "1"}]
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["status"] == "answered"
    again = answer(client, device, check["id"], [{"material_id": mid, "sha256": sha(data)}])
    assert again.status_code == 409
    listed = client.get(
        f"/v1/regulator/institutions/{device.institution_id}/spot-checks", headers=regulator_login()
    )
    assert listed.json()[0]["items"][0]["material_id"] == mid
    got = client.get(
        f"/v1/regulator/institutions/{device.institution_id}/material-files/{sha(data)}",
        headers=regulator_login(),
    )
    assert got.status_code == 200 and got.content == data
    assert [c["payload"]["status"] for c in device.all_changes() if c["entity"] == "spot_check"][
        -1
    ] == "answered"


def test_an_answer_after_the_deadline_is_taken_and_recorded_late(
    server: LiveServer, client: httpx.Client, device: Device, regulator_login: Regulator
) -> None:
    course = approved_course(device, client, regulator_login())
    data = b"slides"
    mid = file_material(client, device, course, data)
    check = spot_check(client, regulator_login(), device.institution_id, course, hours=1).json()
    server.clock.advance(dt.timedelta(hours=1, seconds=1))
    device.renew()
    late = answer(client, device, check["id"], [{"material_id": mid, "sha256": sha(data)}])
    assert late.status_code == 200 and late.json()["status"] == "late"


def test_an_answer_must_name_uploaded_files_of_filed_materials_of_the_checked_course(
    client: httpx.Client, device: Device, regulator_login: Regulator
) -> None:
    course = approved_course(device, client, regulator_login())
    other_course = new_id()
    data = b"unit 2"
    mid = file_material(client, device, course, data)
    elsewhere = file_material(client, device, other_course, b"other course")
    check = spot_check(client, regulator_login(), device.institution_id, course).json()
    not_uploaded = answer(
        client, device, check["id"], [{"material_id": mid, "sha256": sha(b"v2 not uploaded")}]
    )
    assert not_uploaded.status_code == 422 and not_uploaded.json()["error"] == "bad_answer"
    wrong_course = answer(
        client, device, check["id"], [{"material_id": elsewhere, "sha256": sha(b"other course")}]
    )
    assert wrong_course.status_code == 422
    unknown = answer(client, device, check["id"], [{"material_id": new_id(), "sha256": sha(data)}])
    assert unknown.status_code == 422
    assert answer(client, device, check["id"], []).status_code == 422
    assert answer(client, device, check["id"], [{"material_id": mid, "sha256": sha(data)}]).status_code == 200


def test_the_platform_cli_asks_for_a_spot_check(
    server: LiveServer,
    client: httpx.Client,
    device: Device,
    regulator: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    from platform_server.cli import main

    course = approved_course(device, client, regulator)
    url = server.rt.settings.db_url
    assert main(["spot-check", "--db", url, "--uscc", device.uscc, "--course", course, "--hours", "24"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert made["status"] == "open" and made["course_id"] == course
    assert any(c["entity_id"] == made["id"] for c in device.all_changes())
    assert main(["spot-check", "--db", url, "--uscc", device.uscc, "--course", new_id()]) == 1
    assert "Unknown course" in capsys.readouterr().err
