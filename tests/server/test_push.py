"""Push: seq order, gaps, duplicates, conflicts, append-only rejections, regulated fields."""

from __future__ import annotations

from tests.server.helpers import Device, new_id


def test_ops_apply_in_seq_order_and_record_last_seq(device: Device) -> None:
    sid = new_id()
    ops = [device.op("student", entity_id=sid, payload={"name": "张三"}), device.op("student")]
    ops.append({**device.op("student", "update", sid, {"name": "张叁"}, base_version=1)})
    result = device.push(list(reversed(ops)))  # order in the body does not matter, seq does
    assert result["last_seq"] == 3
    assert [r["status"] for r in result["results"]] == ["applied"] * 3
    assert [r["seq"] for r in result["results"]] == [1, 2, 3]
    assert result["results"][2]["version"] == 2


def test_gap_is_refused_with_expected_seq(device: Device) -> None:
    device.push([device.op("student")])
    next(device.seq)  # skip seq 2
    body = device.push([device.op("student")], expect=409)
    assert body == {"error": "seq_gap", "message": body["message"], "expected_seq": 2, "missing_seq": 2}
    assert device.changes()["next_cursor"] == 1  # nothing of the refused batch was stored


def test_repeated_batch_returns_the_original_results(device: Device) -> None:
    ops = [device.op("student"), device.op("course", payload={"name": "美术"})]
    first = device.push(ops)
    again = device.push(ops)
    assert [r["status"] for r in again["results"]] == ["duplicate", "duplicate"]
    assert [r["original_status"] for r in again["results"]] == ["applied", "applied"]
    assert [r["version"] for r in again["results"]] == [r["version"] for r in first["results"]]
    assert len(device.all_changes()) == 2


def test_partially_repeated_batch_applies_only_the_new_ops(device: Device) -> None:
    a, b = device.op("student"), device.op("student")
    device.push([a])
    result = device.push([a, b])
    assert [r["status"] for r in result["results"]] == ["duplicate", "applied"]
    assert result["last_seq"] == 2


def test_master_data_conflict_returns_the_server_row(device: Device) -> None:
    cid = new_id()
    device.push_one("course", entity_id=cid, payload={"name": "书法", "price_fen": 10000})
    device.push_one("course", "update", cid, {"name": "书法A"}, base_version=1)
    stale = device.push_one("course", "update", cid, {"name": "书法B"}, base_version=1)
    assert stale["status"] == "conflict"
    assert stale["server_row"]["version"] == 2 and stale["server_row"]["payload"]["name"] == "书法A"


def test_insert_of_existing_master_row_conflicts(device: Device) -> None:
    sid = new_id()
    device.push_one("student", entity_id=sid, payload={"name": "李四"})
    assert device.push_one("student", entity_id=sid, payload={"name": "李四"})["status"] == "conflict"


def test_update_of_unknown_row_is_rejected(device: Device) -> None:
    result = device.push_one("student", "update", new_id(), {"name": "x"}, base_version=1)
    assert result["status"] == "rejected" and result["reason"]


def test_delete_is_a_tombstone(device: Device) -> None:
    sid = new_id()
    device.push_one("student", entity_id=sid, payload={"name": "王五"})
    deleted = device.push_one("student", "delete", sid, {}, base_version=1)
    assert deleted == {"seq": 2, "op_id": deleted["op_id"], "status": "applied", "version": 2}
    last = device.all_changes()[-1]
    assert last["op"] == "delete" and last["payload"]["name"] == "王五"


def test_ledger_rows_are_append_only(device: Device) -> None:
    for entity in ("ledger_entry", "payment", "refund"):
        eid = new_id()
        assert device.push_one(entity, entity_id=eid, payload={"amount_fen": 0})["status"] == "applied"
        for op in ("update", "delete"):
            result = device.push_one(entity, op, eid, {"amount_fen": 1}, base_version=1)
            assert result["status"] == "rejected" and "冲正" in result["reason"]
        assert device.push_one(entity, entity_id=eid, payload={"amount_fen": 0})["status"] == "rejected"


def test_two_desks_selling_offline_never_conflict(device: Device, sibling: Device) -> None:
    results = [d.push_one("ledger_entry", payload={"kind": "sale", "units": "10"}) for d in (device, sibling)]
    assert [r["status"] for r in results] == ["applied", "applied"]


def test_attendance_is_last_write_wins_by_arrival(device: Device, sibling: Device) -> None:
    other = sibling
    aid = new_id()
    device.push_one("attendance", entity_id=aid, payload={"status": "present", "charged": False})
    late = other.push_one("attendance", "update", aid, {"status": "absent", "charged": False}, base_version=0)
    assert late["status"] == "applied" and late["version"] == 2
    again = device.push_one("attendance", "update", aid, {"status": "late", "charged": False}, base_version=1)
    assert again["status"] == "applied" and again["version"] == 3


def test_course_review_status_is_server_authoritative(device: Device) -> None:
    cid = new_id()
    created = device.push_one("course", entity_id=cid, payload={"name": "围棋", "review_status": "approved"})
    assert created["status"] == "applied" and "review_status" in created["reason"]
    row = device.all_changes()[-1]["payload"]
    assert row["review_status"] == "draft"
    published = device.push_one(
        "course", "update", cid, {"name": "围棋", "review_status": "pending"}, base_version=1
    )
    assert published["status"] == "applied" and "reason" not in published
    assert device.all_changes()[-1]["payload"]["review_status"] == "pending"
    forced = device.push_one(
        "course", "update", cid, {"name": "围棋", "review_status": "approved"}, base_version=2
    )
    assert "review_status" in forced["reason"]
    assert device.all_changes()[-1]["payload"]["review_status"] == "pending"


def test_staff_background_check_is_server_authoritative(device: Device) -> None:
    result = device.push_one("staff", payload={"name": "赵老师", "background_check": "passed"})
    assert "background_check" in result["reason"]
    assert device.all_changes()[-1]["payload"]["background_check"] == "pending"


def test_unknown_and_platform_entities_are_rejected_per_op(device: Device) -> None:
    ops = [device.op("spaceship"), device.op("escrow_entry"), device.op("student")]
    statuses = [r["status"] for r in device.push(ops)["results"]]
    assert statuses == ["rejected", "rejected", "applied"]


def test_payload_id_must_match_entity_id(device: Device) -> None:
    op = device.op("student")
    op["payload"]["id"] = new_id()
    assert device.push([op])["results"][0]["status"] == "rejected"


def test_push_with_another_device_id_is_refused(device: Device, sibling: Device) -> None:
    other = sibling
    response = device.client.post(
        "/v1/sync/push",
        json={"device_id": other.device_id, "ops": [device.op("student")]},
        headers=device.headers,
    )
    assert response.status_code == 404


def test_duplicate_seq_in_one_batch_is_422(device: Device) -> None:
    op = device.op("student")
    body = device.push([op, {**op, "op_id": new_id()}], expect=422)
    assert body["error"] == "duplicate_seq"
