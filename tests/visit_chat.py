"""A short visit typed in the chat, and the people around it: a host, their department head, an
executive, the office and the reception desk, each reading their own language."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.staff import Duty, Role, Staff
from tests.support.chat import MONDAY_9AM, Person, World

ADMIN, HOST, MANAGER, EXECUTIVE, OFFICE, COLLEAGUE = 1, 2, 3, 4, 5, 6


def company(world: World) -> dict[str, Person]:
    """An admin, the host 林晓 (zh_Hans) whose department head is Maria Chen (en), the executive
    趙總 (zh_Hant), the office 周敏 and the colleague 王五; and the client 华为."""
    world.clock.current = MONDAY_9AM
    services = world.dispatcher.services
    now = world.clock.now()
    people = (
        (ADMIN, "Admin", Role.ADMIN, (), None, "zh-hans"),
        (HOST, "林晓", Role.STAFF, (), MANAGER, "zh-hans"),
        (MANAGER, "Maria Chen", Role.MANAGER, (), None, "en"),
        (EXECUTIVE, "趙總", Role.STAFF, (Duty.EXECUTIVE,), None, "zh-tw"),
        (OFFICE, "周敏", Role.STAFF, (Duty.OFFICE,), None, "zh-hans"),
        (COLLEAGUE, "王五", Role.STAFF, (), None, "en"),
    )
    found = {}
    for user_id, name, role, duties, manager, language in people:
        services.access.staff.save(Staff(user_id, name, role, now, duties=duties, manager_id=manager,
                                         language_code=language))
        found[name] = world.person(user_id, name, language_code=language)
    services.clients.create("华为", by=HOST, now=now)
    return found


def new_visit(host: Person, cls: str = "C类", *, arrival: str = "周四上午10点",
              departure: str = "周四下午4点", room: str = "301", team: tuple[str, ...] = (),
              visitors: str = "张伟 总经理", save: bool = True) -> None:
    """A visit of 华为 typed by ``host`` in Simplified Chinese: no travel, no lodging, no meals; the
    visitors, the room and the colleagues on the team as given; saved unless ``save`` is False
    (the review card is then the last message)."""
    host.send("/new").send("华为").press("华为")
    host.send(visitors).press(cls).press("商务洽谈").press("选好了")
    if cls in ("A类", "B类"):
        host.press("跳过")  # the client's background
    host.send(arrival).press("对").send(departure).press("对")
    host.press("跳过")  # travel
    for member in team:
        host.press(member)
    host.press("选好了").press("跳过")  # team; executives
    host.send(room)
    host.press("选好了").press("跳过").press("否").send("0")  # extras, tour, lodging, meals
    if save:
        host.press("保存")


def reschedule(person: Person, number: int, arrival: str, departure: str) -> None:
    """``person`` moves visit ``number`` from its card, in Simplified Chinese."""
    person.send(f"/visit {number}").press("改期")
    person.send(arrival).press("对").send(departure).press("对").press("保存")


@dataclass(frozen=True)
class Walk:
    """What Lin types and presses through the start of /new in one language."""

    client: str
    new_client: str
    country: str
    skip: str
    visitor: str
    done: str
    purpose: str
    arrival: str
    correct: str
    car: str
    more: str  # the "Skip ▶" of the steps after the first ones


WALKS = {
    "zh-hans": Walk("华为", "新客户：华为", "中国", "跳过", "王明", "✔ 选好了", "商务洽谈",
                    "明天上午10点", "✔ 对", "🚗 自驾/其他", "跳过 ▶"),
    "zh-tw": Walk("華為", "新客戶：華為", "台灣", "跳過", "王大明 總經理", "✔ 選好了", "商務洽談",
                  "明天上午10點", "✔ 對", "🚗 自駕/其他", "跳過 ▶"),
    "en": Walk("Huawei", "New client: Huawei", "China", "Skip ▶", "Anna Schmidt", "✔ Done",
               "Business negotiation", "tomorrow 10am", "✔ Correct", "🚗 Car / own way", "Skip ▶"),
}


def at_visitors(world: World, language_code: str = "zh-hans", *, country: str = "") -> Person:
    """Lin through /new up to who is visiting: 华为 / 華為 / Huawei as a new client in China (Taiwan
    in Traditional Chinese, or ``country``), its industry skipped."""
    walk = WALKS[language_code]
    host = world.person(1, "Lin", language_code=language_code).send("/start")
    host.send("/new").send(walk.client).press(walk.new_client).press(country or walk.country).press(walk.skip)
    return host


def at_arrival(world: World, language_code: str = "zh-hans") -> Person:
    """Lin through /new up to when the guests arrive: one visitor, class C typed, a business
    negotiation typed."""
    walk = WALKS[language_code]
    host = at_visitors(world, language_code)
    host.send(walk.visitor).press(walk.done).send("C").send(walk.purpose).press(walk.done)
    assert host.last.text.startswith("7/16 "), host.last.text
    return host


def lin_at_transport(world: World, *, departure: str, language_code: str = "zh-tw") -> Person:
    """Lin, writing in Traditional Chinese (or ``language_code``), through /new up to how the guests
    come: 王大明 visiting, class C, arriving tomorrow 10:00 and leaving at ``departure``."""
    walk = WALKS[language_code]
    host = at_arrival(world, language_code)
    host.send(walk.arrival).press(walk.correct).send(departure).press(walk.correct)
    return host


def by_car_skipping(host: Person, skips: int) -> Person:
    """The guests come by car with no one of ours on the team, then ``skips`` optional steps are
    skipped: the executives, the room, the extras, the tour, the agenda (five reach the lodging)."""
    walk = WALKS[host.user.language_code]
    host.press(walk.car).press(walk.done)
    for _ in range(skips):
        host.press(walk.more)
    return host
