"""A full visit for the document tests: lodging, meals, pickup, executives, budget, notes, a debrief."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.core.events import Action, Event, RenderDocument, SendDocument
from bot.domain.debriefs import Debrief, Outcome
from bot.domain.staff import Role, Staff
from bot.domain.tasks import OpenItem
from bot.domain.visits import Lodging, Meals, Note, Travel, Visit, Visitor
from tests.support.chat import Person, World

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOST, WANG, DRIVER, OUTSIDER, MANAGER = 10, 11, 12, 13, 14


def add_staff(world: World) -> None:
    """Monday 30 Nov 2026, 10:00 in Shanghai; the visit is on Thursday."""
    world.clock.current = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    staff = world.dispatcher.services.access.staff
    people = ((HOST, "林晓", Role.STAFF), (WANG, "王五", Role.STAFF), (DRIVER, "赵师傅", Role.STAFF),
              (OUTSIDER, "钱七", Role.STAFF), (MANAGER, "Maria Chen", Role.MANAGER))
    for user_id, name, role in people:
        staff.save(Staff(user_id, name, role, world.clock.now()))


def add_full_visit(world: World, lead_language: str = "en", **changes: object) -> Visit:
    """Huawei's class-A visit with everything the form has a box for."""
    services = world.dispatcher.services
    now = world.clock.now()
    client = services.clients.create("华为技术有限公司", industry="通信设备", by=HOST, now=now)
    lead = services.clients.add_contact(client.id, "David Lee", title="Purchasing Director",
                                        language=lead_language, dietary="no pork")
    services.clients.update_contact(replace(lead, nationality="Singapore", phone="+65 9123 4567"))
    second = services.clients.add_contact(client.id, "张伟", title="总经理", dietary="不吃辣")
    visit = Visit(
        0, client.id, client.name, "A",
        arrival=datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI),
        departure=datetime(2026, 12, 3, 16, 30, tzinfo=SHANGHAI),
        host=HOST, created_at=now, created_by=HOST,
        visitors=(Visitor(lead.id, "David Lee", "Purchasing Director", lead=True),
                  Visitor(second.id, "张伟", "总经理")),
        purposes=("production", "negotiation"), team=(WANG,), executives=("general_manager",),
        travel=Travel("flight", "CA1234", "浦东机场 T2", datetime(2026, 12, 3, 8, 15, tzinfo=SHANGHAI),
                      pickup=True, driver=DRIVER),
        room="3楼 301 会议室", projector=True, tour=("生产线与质检中心（11:30-12:00）",),
        lodging=Lodging("浦东香格里拉大酒店", datetime(2026, 12, 2, 20, 0, tzinfo=SHANGHAI),
                        datetime(2026, 12, 4, 12, 0, tzinfo=SHANGHAI), guests=("David Lee", "张伟"),
                        payer="company"),
        meals=Meals(6, "12:00 午餐", "一位不吃猪肉，一位不吃辣"), gifts="公司定制茶具",
        banner="欢迎华为技术有限公司莅临指导",
        photo=True, name_cards=True, budget=(("meal", 160.0), ("gift", 100.0)),
        notes=(Note(now, HOST, "客户想看新产线 <A型>"),))
    saved, _ = services.visits.create(replace(visit, **changes))
    return saved


def add_debrief(world: World, visit: Visit) -> None:
    services = world.dispatcher.services
    debrief = Debrief(visit.id, Outcome.PROGRESSING, "需要一套样品和正式报价", date(2026, 12, 9), 5, HOST,
                      datetime(2026, 12, 4, 2, 0, tzinfo=UTC), objections="价格偏高",
                      memo="<b>会谈备忘录</b>", memo_locale="en", actual_spend=(("total", 999.0),))
    items = [OpenItem("发送报价单", WANG, datetime(2026, 12, 7, 18, 0, tzinfo=SHANGHAI))]
    services.debriefs.record(debrief, visit, items)


def documents(person: Person, text: str | None = None, *, data: str | None = None) -> list[SendDocument]:
    """What the bot sends this person for a message or a button press: the files, in order."""
    world = person.world
    if data is not None:
        event = Event(person.user, person.id, callback_data=data, callback_id="cb", message_id=1)
    else:
        event = Event(person.user, person.id, text=text)
    return files(world, world.dispatcher.handle(event))


def files(world: World, actions: list[Action]) -> list[SendDocument]:
    """Delivers ``actions`` as delivery does (a ``RenderDocument`` made into its file, or into the
    apology if that fails) and returns the files among them, in order."""
    made = [action.made() if isinstance(action, RenderDocument) else action for action in actions]
    world.deliver(made)
    return [action for action in made if isinstance(action, SendDocument)]
