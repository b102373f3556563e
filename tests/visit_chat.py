"""A short visit typed in the chat, and the people around it: a host, their department head, an
executive, the office and the reception desk, each reading their own language."""

from __future__ import annotations

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


def lin_at_transport(world: World, *, departure: str) -> Person:
    """Lin, writing in Traditional Chinese, through /new up to how the guests come: 華為 (a new
    client in Taiwan), 王大明 visiting, class C, arriving tomorrow 10:00 and leaving at ``departure``."""
    host = world.person(1, "Lin", language_code="zh-tw").send("/start")
    host.send("/new").send("華為").press("新客戶：華為").press("台灣").press("跳過")
    host.send("王大明 總經理").press("✔ 選好了").send("C").send("商務洽談").press("✔ 選好了")
    host.send("明天上午10點").press("✔ 對").send(departure).press("✔ 對")
    return host
