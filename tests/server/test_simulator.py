"""The demo platform's simulated regulator and parents (``serve --simulate``), through the real server."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from platform_server.accounts import create_institution
from platform_server.app import create_app
from platform_server.clock import Clock
from platform_server.db import make_engine
from platform_server.migrate import upgrade
from platform_server.parent_service import decide_consumption
from platform_server.schemas_platform import ConsumptionDecisionIn
from platform_server.scope import InstitutionScope
from platform_server.simulator import CHECK_FAILURE, COURSE_REJECTION, Simulator, install
from tests.server.conftest import server_settings, start_server
from tests.server.helpers import PASSWORD, Device, login, new_id, nodelay_transport, random_uscc

DELAY = 0.6


@pytest.fixture
def simulated(tmp_path: Path) -> Iterator[tuple[Device, Simulator]]:
    url = f"sqlite:///{tmp_path / 'platform.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    app = create_app(server_settings(url), clock=Clock(), engine=engine)
    simulator = Simulator(app.state.rt, decision_delay=DELAY, interval=0.2)
    install(app, simulator)
    server, thread, base = start_server(app)
    simulator.start()
    rt = app.state.rt
    with rt.sessionmaker() as session:
        inst = create_institution(session, rt.passwords, rt.clock, random_uscc(), "演示机构", PASSWORD)
        session.commit()
    with httpx.Client(base_url=base, timeout=30, transport=nodelay_transport()) as client:
        body = login(client, inst.uscc).json()
        yield (
            Device(
                client, inst.id, inst.uscc, body["access_token"], body["refresh_token"], body["device_id"]
            ),
            simulator,
        )
    simulator.stop()
    server.should_exit = True
    thread.join(10)
    engine.dispose()


def rows(device: Device) -> dict[tuple[str, str], dict[str, Any]]:
    """The newest payload of every row in the institution's change feed."""
    return {(c["entity"], c["entity_id"]): c["payload"] for c in device.all_changes()}


def eventually(check: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the simulator did not act in time"
        time.sleep(0.1)


def test_what_the_desk_had_before_the_platform_is_recognised_within_the_same_push(
    simulated: tuple[Device, Simulator],
) -> None:
    device, _ = simulated
    course, teacher = new_id(), new_id()
    device.push(
        [
            device.op(
                "course",
                entity_id=course,
                payload={
                    "name": "少儿编程",
                    "review_status": "approved",
                    "published_at": "2026-01-05T02:00:00Z",
                },
            ),
            device.op(
                "staff",
                entity_id=teacher,
                payload={
                    "name": "李老师",
                    "background_check": "passed",
                    "background_checked_at": "2026-01-04T02:00:00Z",
                },
            ),
        ]
    )
    feed = rows(device)  # no waiting: the push's own tick decided them before it answered
    assert feed[("course", course)]["review_status"] == "approved"
    assert feed[("staff", teacher)]["background_check"] == "passed"


def test_submissions_and_new_staff_are_decided_within_seconds(simulated: tuple[Device, Simulator]) -> None:
    device, _ = simulated
    art, contest, new_teacher, school_teacher = new_id(), new_id(), new_id(), new_id()
    pending: dict[str, Any] = {"review_status": "pending"}
    unchecked: dict[str, Any] = {"background_check": "pending"}
    device.push(
        [
            device.op("course", entity_id=art, payload={"name": "少儿美术", **pending}),
            device.op("course", entity_id=contest, payload={"name": "小学数学竞赛班", **pending}),
            device.op("staff", entity_id=new_teacher, payload={"name": "新老师", **unchecked}),
            device.op(
                "staff",
                entity_id=school_teacher,
                payload={"name": "兼职老师", "serving_school_teacher": True, **unchecked},
            ),
        ]
    )
    first = rows(device)
    assert first[("course", art)]["review_status"] == "pending"  # the regulator takes a moment
    assert first[("staff", new_teacher)]["background_check"] == "pending"
    eventually(lambda: rows(device)[("course", art)]["review_status"] != "pending")
    eventually(lambda: rows(device)[("staff", school_teacher)]["background_check"] != "pending")
    feed = rows(device)
    assert feed[("course", art)]["review_status"] == "approved"
    assert feed[("course", contest)]["review_status"] == "rejected"
    assert feed[("course", contest)]["review_reason"] == COURSE_REJECTION
    assert feed[("staff", new_teacher)]["background_check"] == "passed"
    assert feed[("staff", school_teacher)]["background_check"] == "failed"
    assert feed[("staff", school_teacher)]["background_check_note"] == CHECK_FAILURE


def test_parents_act_once_after_the_first_sync(simulated: tuple[Device, Simulator]) -> None:
    device, simulator = simulated
    course, contract, attendance = new_id(), new_id(), new_id()
    device.push(
        [
            device.op(
                "course",
                entity_id=course,
                payload={
                    "name": "少儿编程",
                    "review_status": "approved",
                    "published_at": "2026-01-05T02:00:00Z",
                },
            ),
            device.op(
                "contract",
                entity_id=contract,
                payload={"course_id": course, "status": "active", "total_units": "24.00", "fee_fen": 240000},
            ),
            device.op(
                "attendance",
                entity_id=attendance,
                payload={"status": "present", "charged": True, "units": "1", "amount_fen": 10000},
            ),
        ]
    )
    feed = device.all_changes()
    kinds = [c["entity"] for c in feed]
    refund = next(c["payload"] for c in feed if c["entity"] == "refund_request")
    assert refund["contract_id"] == contract and refund["status"] == "requested"
    assert refund["amount_fen"] == 20000 and refund["deadline"] > refund["requested_on"]
    disputed = [c["payload"] for c in feed if c["entity"] == "consumption_confirmation"][-1]
    assert disputed["attendance_id"] == attendance and disputed["status"] == "disputed"
    assert "complaint" in kinds and "review" in kinds
    assert not simulator.tick().parent_events  # once only: handled requests are not made again
    assert len(device.all_changes()) == len(feed)


def test_new_business_waits_for_a_decision(simulated: tuple[Device, Simulator]) -> None:
    """A course the desk has not submitted stays draft; a check submitted from the desk (a later version
    of the staff row, with the submission time as ``background_checked_at``) is 核验中 for a while."""
    device, simulator = simulated
    course, teacher = new_id(), new_id()
    device.push(
        [
            device.op("course", entity_id=course, payload={"name": "少儿围棋", "review_status": "draft"}),
            device.op("staff", entity_id=teacher, payload={"name": "新老师", "background_check": "none"}),
        ]
    )
    staff_version = max(c["version"] for c in device.all_changes() if c["entity_id"] == teacher)
    submitted = {
        **rows(device)[("staff", teacher)],
        "background_check": "pending",
        "background_checked_at": "2026-12-01T02:00:00Z",
    }
    result = device.push([device.op("staff", "update", teacher, submitted, base_version=staff_version)])
    assert result["results"][0]["status"] == "applied"
    assert rows(device)[("staff", teacher)]["background_check"] == "pending"  # 核验中 for a moment
    eventually(lambda: rows(device)[("staff", teacher)]["background_check"] == "passed")
    simulator.tick()
    assert rows(device)[("course", course)]["review_status"] == "draft"  # not submitted: not decided


def test_parents_leave_a_history_of_reviews_and_complaints_across_months(
    simulated: tuple[Device, Simulator],
) -> None:
    """For the desk's 管理评价: past reviews and complaints naming the contract, dated between its start
    and today; made once, with the one current review."""
    device, simulator = simulated
    course = new_id()
    start = date.today() - timedelta(days=150)
    contracts = [str(uuid.uuid5(uuid.NAMESPACE_URL, f"history/{i}")) for i in range(60)]
    device.push(
        [
            device.op(
                "course",
                entity_id=course,
                payload={
                    "name": "少儿编程",
                    "review_status": "approved",
                    "published_at": "2026-01-05T02:00:00Z",
                },
            )
        ]
        + [
            device.op(
                "contract",
                entity_id=cid,
                payload={
                    "course_id": course,
                    "status": "active",
                    "start_date": start.isoformat(),
                    "total_units": "24.00",
                    "fee_fen": 240000,
                },
            )
            for cid in contracts
        ]
    )
    eventually(lambda: any(c["entity"] == "review" for c in device.all_changes()))
    feed = device.all_changes()
    reviews = [c["payload"] for c in feed if c["entity"] == "review"]
    complaints = [c["payload"] for c in feed if c["entity"] == "complaint"]
    assert len(reviews) > 5 and len(complaints) >= 2
    assert all(r["contract_id"] in contracts and r["course_id"] == course for r in reviews)
    days = {date.fromisoformat(r["created_at"][:10]) for r in reviews}
    assert min(days) >= start and max(days) <= date.today()
    assert len({(d.year, d.month) for d in days}) >= 3  # spread over months
    assert {r["rating"] for r in reviews} - {5}  # not only five stars
    assert not simulator.tick().parent_events
    assert len([c for c in device.all_changes() if c["entity"] == "review"]) == len(reviews)


def test_a_filed_material_brings_one_spot_check_of_its_course(
    simulated: tuple[Device, Simulator],
) -> None:
    device, simulator = simulated
    course = new_id()
    device.push_one("course", entity_id=course, payload={"name": "少儿美术", "review_status": "pending"})
    assert not [k for k in rows(device) if k[0] == "spot_check"]  # no material yet: nothing to check
    material = {
        "course_id": course,
        "title": "讲义",
        "kind": "handout",
        "version_label": "1",
        "sha256": "ab" * 32,
        "size_bytes": 10,
        "file_name": "a.pdf",
    }
    assert device.push_one("material", payload=material)["status"] == "applied"
    eventually(lambda: any(k[0] == "spot_check" for k in rows(device)))
    checks = [p for k, p in rows(device).items() if k[0] == "spot_check"]
    assert len(checks) == 1 and checks[0]["course_id"] == course and checks[0]["status"] == "open"
    simulator.tick()
    assert len([k for k in rows(device) if k[0] == "spot_check"]) == 1  # asked once


def _charge(status: str) -> dict[str, Any]:
    return {"status": status, "charged": True, "units": "1", "amount_fen": 10000}


def _answer(device: Device, conf_id: str, status: str) -> None:
    record = {
        "lesson_date": "2026-03-07",
        "course_name": "少儿编程",
        "called_by": "前台",
        "units": "1",
        "called_at": "2026-03-07T01:05:00Z",
        "student_status": status,
        "class_list": [{"name": "王小明", "status": status, "disputed": True}],
    }
    body = {"decision": "roll_call", "text": "点名记录", "record": record}
    response = device.client.post(
        f"/v1/consumption-confirmations/{conf_id}/answer", json=body, headers=device.headers
    )
    assert response.status_code == 200, response.text


def test_a_parent_accepts_a_record_of_attendance_and_escalates_one_of_absence(
    simulated: tuple[Device, Simulator],
) -> None:
    device, simulator = simulated
    first, second = new_id(), new_id()
    device.push([device.op("attendance", entity_id=first, payload=_charge("present"))])
    confs = {p["attendance_id"]: p for (e, _), p in rows(device).items() if e == "consumption_confirmation"}
    eventually(lambda: rows(device)[("consumption_confirmation", confs[first]["id"])]["status"] == "disputed")
    _answer(device, confs[first]["id"], "present")
    eventually(
        lambda: rows(device)[("consumption_confirmation", confs[first]["id"])]["status"] == "confirmed"
    )
    accepted = rows(device)[("consumption_confirmation", confs[first]["id"])]
    assert accepted["parent_reply"] and accepted["answer_kind"] == "roll_call"
    # the parent disputes once per institution; a second dispute is made here through the parent API
    device.push([device.op("attendance", entity_id=second, payload=_charge("absent"))])
    with simulator.rt.sessionmaker() as session:
        decide_consumption(
            session,
            simulator.rt,
            InstitutionScope(device.institution_id),
            second,
            ConsumptionDecisionIn(decision="dispute", reason="没来"),
        )
        session.commit()
    conf = next(
        p
        for (e, _), p in rows(device).items()
        if e == "consumption_confirmation" and p["attendance_id"] == second
    )
    _answer(device, conf["id"], "absent")
    eventually(lambda: rows(device)[("consumption_confirmation", conf["id"])]["status"] == "escalated")
    assert not any(e == "dispute" for e in simulator.tick().parent_events)  # no third dispute
