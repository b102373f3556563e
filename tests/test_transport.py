"""The pickup as the form has it: 接机 for a flight, 接站 for a train, a named driver and car."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from tests.documents_support import documents
from tests.support.chat import MONDAY_9AM, Person, World
from tests.test_documents import fields, has, pdf_text


@pytest.fixture
def host(world: World) -> Person:
    world.clock.current = MONDAY_9AM
    return world.person(1, "Lin", language_code="zh-hans").send("/start")


def met(host: Person, mode: str, number: str, place: str, *, arrives: str = "明天上午8点",
        arrival: str = "明天上午10点", new_client: bool = True) -> None:
    """A class-C visit tomorrow of one visitor, who arrives by ``mode`` and is met."""
    host.send("/new").send("华为")
    if new_client:
        host.press("新客户：华为").press("中国").press("跳过")
    else:
        host.press("华为")
    host.send("张伟 总经理").press("C类").press("商务洽谈").press("选好了")
    host.send(arrival).press("对").send("明天下午4点").press("对")
    host.press(mode).send(number).send(place).send(arrives).press("对")
    host.press("是")
    host.send("13800138000")  # one visitor: no name needed


def test_a_flight_is_met_at_the_airport_by_a_driver_named_as_typed(world: World, host: Person) -> None:
    met(host, "飞机", "CA1234", "浦东机场 T2")
    assert "谁去接" in host.last.text
    host.send("刘师傅 13900001111")
    host.send("沪A·12345 别克GL8")
    host.press("选好了").press("跳过").press("跳过").press("选好了").press("跳过").press("否").send("0")
    assert "接送人员: 刘师傅 13900001111\n车辆: 沪A·12345 别克GL8" in host.last.text
    host.press("保存")
    card = host.last.text
    assert "🚩 ✈️ 飞机 CA1234 浦东机场 T2，抵达 11月24日 周二 08:00，需接机" in card
    assert "🚗 接送：刘师傅 13900001111 · 沪A·12345 别克GL8" in card
    assert "📞 张伟 13800138000" in card

    sheet = load_workbook(io.BytesIO(documents(host, "/form 1")[1].content)).active
    form = fields(sheet)  # type: ignore[arg-type]
    assert (form["接机"], form["接送人员"], form["车辆"]) == ("√", "刘师傅 13900001111", "沪A·12345 别克GL8")
    [itinerary] = documents(host, "/itinerary 1")
    assert has(pdf_text(itinerary.content), "刘师傅13900001111接机")
    world.clock.current = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
    host.send("/cancel").send("/today")
    assert "🚗 接送：刘师傅 13900001111" in host.last.text and "未定司机" not in host.last.text


def test_a_train_is_met_at_the_station_by_a_colleague_who_gets_the_reminder(
        world: World, host: Person) -> None:
    colleague = world.person(2, "Ma", language_code="en").send("/start")
    host.press("批准为员工")
    met(host, "火车", "G7", "上海虹桥站")
    host.press("Ma")
    host.press("跳过")  # no car booked: a colleague's own
    host.press("选好了").press("跳过").press("跳过").press("选好了").press("跳过").press("否").send("0")
    host.press("保存")
    assert "需接站" in host.last.text and "🚗 接送：Ma" in host.last.text
    visit = world.dispatcher.services.visits.get(1)
    assert visit is not None and visit.travel is not None
    assert (visit.travel.driver, visit.travel.driver_name) == (2, "")
    sheet = load_workbook(io.BytesIO(documents(host, "/form 1")[1].content)).active
    form = fields(sheet)  # type: ignore[arg-type]
    assert (form["接站"], form["接送人员"]) == ("√", "Ma")
    world.clock.current = datetime(2026, 11, 24, 0, 1, tzinfo=UTC)  # 08:01, once the quiet hours end
    world.tick()
    assert "Pickup: check the flight or train" in colleague.sees_text()


def test_a_car_already_out_on_another_pickup_is_named_and_can_be_changed(world: World, host: Person) -> None:
    met(host, "飞机", "CA1234", "浦东机场 T2")  # the car leaves at 06:30, back at 10:00
    host.send("刘师傅").send("沪A·12345 别克GL8")
    host.press("选好了").press("跳过").press("跳过").press("选好了").press("跳过").press("否").send("0")
    host.press("保存")
    met(host, "飞机", "MU5101", "虹桥机场 T2", arrives="明天上午9点", arrival="明天上午11点",
        new_client=False)
    host.send("王师傅").send("沪a12345  别克GL8")  # the same car, typed with other case and spaces
    host.press("选好了").press("跳过").press("跳过").press("选好了").press("跳过").press("否").send("0")
    clash = "⚠️ 车辆「沪A·12345 别克GL8」此时要为来访 #1（华为）接送：11月24日 周二 06:30–10:00。"
    review = host.last.text
    assert clash in review and "点击「✏️ 车辆」可更换。" in review
    host.press("保存")
    warning = host.last
    assert clash in warning.text
    host.press("✏️ 更换车辆", message=warning)
    assert "用哪辆车" in host.last.text  # the car question of visit #2, at once
    host.send("沪B·67890 丰田考斯特").press("保存")
    assert "⚠️" not in host.last.text and "沪B·67890 丰田考斯特" in host.last.text
