"""Realistic data for the benchmarks: five years of a 2,000-person company receiving clients.

``generate(data_dir, visits)`` fills an empty data directory with staff, clients and their contacts,
``visits`` visits spread over the five years before ``NOW`` (a few in the coming weeks), the nudges
their timelines planned (most already sent or ticked done, the coming ones planned), debriefs and
their follow-up tasks, in Chinese (Simplified and Traditional) and English. At 25,000 visits that
is 5,000 clients, 15,000 contacts and some half a million nudges; clients and contacts scale with
the visit count (one client per five visits, three contacts each), staff stay at 2,000.

How it writes: every record is a real domain object (``Visit``, ``Nudge`` ...) turned into its
document by the repositories' own codec, and the nudges are planned by the real ``plan_visit`` with
the shipped policy and China's working days. Writing them one by one through the repositories would
take hours at this size (every save is one fsynced write), so each collection is written through
``bot.storage.Database`` in one batch (``insert_multiple``), and the nudges by ``bulk_load_nudges``,
which lays out their archive as the repository does. The result is exactly what the bot would have stored.

Deterministic: the same ``visits`` and ``seed`` give the same data.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tinydb.table import Document

from bot.domain.clients import Client, Contact
from bot.domain.debriefs import Debrief, Outcome
from bot.domain.nudges import Nudge, NudgeState, plan_visit
from bot.domain.policy import load_policy
from bot.domain.staff import Role, Staff
from bot.domain.tasks import Task, TaskStatus
from bot.domain.visits import Lodging, Meals, Travel, Visit, Visitor, VisitStatus
from bot.domain.workdays import china_calendar
from bot.repositories.codec import to_doc
from bot.repositories.nudges import ARCHIVE_AFTER, VISITS_PER_SHELF
from bot.storage import Database

TZ = ZoneInfo("Asia/Shanghai")
# The benchmark's "now": Monday 23 November 2026, 09:00 in Shanghai (the tests' clock).
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
YEARS = 5
STAFF = 2_000
# The person the benchmarks act as: an admin (sees every visit, may tick any nudge).
ADMIN_ID = 1
# Share of visits still to come (the next eight weeks, as many a day as in the past five years);
# the rest are spread over the five years.
FUTURE_SHARE = 0.03

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
)
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红春梅海波晓东文斌宇浩然欣怡子轩雨涵"
_EN_FIRST = [
    "James",
    "Mary",
    "John",
    "Linda",
    "David",
    "Susan",
    "Peter",
    "Emma",
    "Mark",
    "Anna",
    "Paul",
    "Grace",
]
_EN_LAST = ["Smith", "Brown", "Lee", "Wilson", "Taylor", "Clark", "Walker", "Hall", "Young", "King", "Wright"]
_CITIES = "北京上海广州深圳杭州南京苏州成都武汉西安天津重庆青岛厦门宁波长沙郑州合肥济南大连"
_WORDS = [
    "华信",
    "恒通",
    "宏达",
    "中科",
    "远航",
    "天成",
    "瑞丰",
    "金桥",
    "新锐",
    "博远",
    "鼎盛",
    "嘉禾",
    "东方",
    "明德",
    "同创",
    "海川",
    "卓越",
    "联合",
    "未来",
    "精工",
    "汇智",
    "永安",
    "盛世",
    "光明",
]
_KINDS = ["科技", "电子", "机械", "医药", "物流", "材料", "能源", "汽车配件", "食品", "建设", "通信", "软件"]
_HANT = str.maketrans(
    "华信通达远航丰桥锐东联汇盛光电机医药物团设软发门乐业钢铁银",
    "華信通達遠航豐橋銳東聯匯盛光電機醫藥物團設軟發門樂業鋼鐵銀",
)
_EN_CLIENTS = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Hooli",
    "Vandelay",
    "Soylent",
    "Tyrell",
    "Cyberdyne",
    "Wonka",
    "Monarch",
    "Oscorp",
    "Aperture",
    "Gringotts",
]
_EN_KINDS = ["Industries", "Trading", "Electronics", "Logistics", "Pharma", "Motors", "Foods", "Systems"]
_TITLES = [
    "总经理",
    "副总经理",
    "采购经理",
    "技术总监",
    "工程师",
    "销售经理",
    "董事长",
    "项目经理",
    "财务总监",
]
_EN_TITLES = ["CEO", "Purchasing Manager", "CTO", "Engineer", "Sales Director", "Project Manager"]
_PURPOSES = ["negotiation", "production", "quality", "rnd", "relationship", "operations"]
_ROOMS = ["3楼大会议室", "2楼小会议室", "展厅", "301", "502", "VIP室"]
_NEEDS = [
    "希望下月提供样品和报价",
    "需要技术方案和测试账号",
    "关注交货期和售后服务",
    "Wants a quote for 500 units",
    "要求安排工厂二次参观",
    "Needs the white paper and a test account",
    "询问长期合作的价格折扣",
]
_TASKS = [
    "发送报价单",
    "寄送样品",
    "安排技术交流会",
    "Send the meeting memo",
    "准备合同草案",
    "Follow up on pricing",
]


def generate(data_dir: Path, visits: int, seed: int = 1) -> None:
    """Fills ``data_dir`` (empty or missing) with a company's history of ``visits`` visits."""
    rng = random.Random(seed)
    data_dir = Path(data_dir)
    staff = _staff(rng)
    clients, contacts = _clients(rng, max(visits // 5, 50), staff)
    visit_list = _visits(rng, visits, clients, contacts, staff)
    policy = load_policy(data_dir)
    calendar = china_calendar(data_dir)
    nudges = _nudges(rng, visit_list, policy, calendar)
    debriefs, tasks = _debriefs(rng, visit_list, staff)
    with Database.open(data_dir) as db:
        _write(db, "staff", {s.user_id: s for s in staff})
        _write(db, "clients", {c.id: c for c in clients})
        _write(db, "contacts", {c.id: c for c in contacts})
        _write(db, "visits", {v.id: v for v in visit_list})
        _write(db, "debriefs", {d.visit_id: d for d in debriefs})
        _write(db, "tasks", {t.id: t for t in tasks})
        bulk_load_nudges(db, nudges, now=NOW)


def bulk_load_nudges(db: Database, nudges: Iterable[Nudge], *, now: datetime) -> None:
    """Stores many nudges at once into an empty database, archiving what the repository's
    ``archive_settled(now - ARCHIVE_AFTER)`` would: the visits none of whose nudges is still planned
    or snoozed and whose last was due before then."""
    active = {NudgeState.PLANNED.value, NudgeState.SNOOZED.value}
    by_visit: dict[int, list[dict[str, Any]]] = {}
    for nudge in nudges:
        by_visit.setdefault(nudge.visit_id, []).append(to_doc(nudge))
    before = now - ARCHIVE_AFTER
    live: list[dict[str, Any]] = []
    shelves: dict[int, dict[str, dict[str, Any]]] = {}
    for visit_id, docs in by_visit.items():
        if all(doc["state"] not in active and datetime.fromisoformat(doc["due"]) < before for doc in docs):
            shelves.setdefault(visit_id // VISITS_PER_SHELF, {}).update({doc["id"]: doc for doc in docs})
        else:
            live += docs
    for shelf, records in shelves.items():
        db.archive("nudges").put(shelf, records)
    db.table("nudges").insert_multiple(live)


def _write(db: Database, name: str, items: dict[int, object]) -> None:
    """One batch write of a collection keyed by id (ids are the document ids, as the repositories
    store them)."""
    db.table(name).insert_multiple([Document(to_doc(item), doc_id=key) for key, item in items.items()])


def _name(rng: random.Random, english: bool) -> str:
    if english:
        return f"{rng.choice(_EN_FIRST)} {rng.choice(_EN_LAST)}"
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _staff(rng: random.Random) -> list[Staff]:
    joined = NOW - timedelta(days=365 * YEARS + 30)
    people = [Staff(ADMIN_ID, "Bench Admin", Role.ADMIN, joined, locale="zh_Hans", language_code="zh-hans")]
    for i in range(1, STAFF):
        english = rng.random() < 0.1
        role = Role.MANAGER if i % 40 == 0 else Role.STAFF
        locale = "en" if english else ("zh_Hant" if rng.random() < 0.1 else "zh_Hans")
        people.append(
            Staff(
                10_000 + i,
                _name(rng, english),
                role,
                joined + timedelta(days=rng.randrange(1500)),
                username=f"staff{i}",
                locale=locale,
                active=rng.random() > 0.03,
                language_code=locale.lower().replace("_", "-"),
            )
        )
    return people


def _client_name(rng: random.Random, i: int) -> tuple[str, str]:
    """A company name and its country; every name is unique (a client exists once)."""
    roll = rng.random()
    if roll < 0.15:
        return f"{rng.choice(_EN_CLIENTS)} {rng.choice(_EN_KINDS)} {i}", rng.choice(["US", "DE", "GB", "SG"])
    name = f"{rng.choice(_CITIES[::2])}{rng.choice(_CITIES[1::2])}{rng.choice(_WORDS)}{rng.choice(_KINDS)}{i}"
    if roll < 0.25:
        return name.translate(_HANT) + "有限公司", rng.choice(["TW", "HK"])
    return name + "有限公司", "CN"


def _clients(rng: random.Random, count: int, staff: list[Staff]) -> tuple[list[Client], list[Contact]]:
    start = NOW - timedelta(days=365 * YEARS + 60)
    clients, contacts = [], []
    for i in range(1, count + 1):
        name, country = _client_name(rng, i)
        created = start + timedelta(days=rng.randrange(365 * YEARS))
        clients.append(
            Client(
                i,
                name,
                created,
                rng.choice(staff).user_id,
                country=country,
                industry=rng.choice(_KINDS),
                default_class=rng.choice("ABCCCDD"),
                stage="client" if rng.random() < 0.7 else "prospect",
                account_manager=rng.choice(staff).user_id,
            )
        )
        english = country not in ("CN", "TW", "HK")
        for _ in range(3):
            contacts.append(
                Contact(
                    len(contacts) + 1,
                    i,
                    _name(rng, english),
                    title=rng.choice(_EN_TITLES if english else _TITLES),
                    phone=f"1{rng.randrange(30, 99)}{rng.randrange(10**8):08d}",
                    email=f"c{len(contacts) + 1}@example.com",
                    birthday=date(1960 + rng.randrange(40), rng.randrange(1, 13), rng.randrange(1, 29))
                    if rng.random() < 0.3
                    else None,
                    language="en" if english else ("zh_Hant" if country in ("TW", "HK") else "zh_Hans"),
                )
            )
    return clients, contacts


def _visits(
    rng: random.Random, count: int, clients: list[Client], contacts: list[Contact], staff: list[Staff]
) -> list[Visit]:
    """Visits numbered in the order they were created, so a number grows with time as in the bot."""
    by_client: dict[int, list[Contact]] = {}
    for contact in contacts:
        by_client.setdefault(contact.client_id, []).append(contact)
    span = 365 * YEARS
    # As many a day as in the past (at least three today, so that /today has something to list).
    today = max(round(count / span), 3)
    future = max(int(count * FUTURE_SHARE), 1)
    days = sorted(
        [-1 - rng.random() * (span - 1) for _ in range(count - future - today)]
        + [0.0] * today
        + [1 + rng.random() * 55 for _ in range(future)]
    )
    active = [s for s in staff if s.active]
    visits = []
    for number, offset in enumerate(days, 1):
        day = (NOW.astimezone(TZ) + timedelta(days=offset)).date()
        arrival = datetime.combine(day, time(rng.randrange(9, 16), rng.choice((0, 30))), tzinfo=TZ)
        departure = arrival + timedelta(hours=rng.randrange(2, 9))
        created = arrival - timedelta(days=rng.randrange(1, 21), hours=rng.randrange(8))
        client = (
            clients[min(int(rng.paretovariate(1.2)) - 1, len(clients) - 1)]
            if rng.random() < 0.3
            else rng.choice(clients)
        )
        people = rng.sample(by_client[client.id], rng.randrange(1, 4))
        visitors = tuple(Visitor(c.id, c.name, c.title, lead=k == 0) for k, c in enumerate(people))
        host = rng.choice(active)
        team = tuple(s.user_id for s in rng.sample(active, rng.randrange(0, 4)) if s.user_id != host.user_id)
        travel = None
        if rng.random() < 0.35:
            mode = rng.choice(("flight", "train"))
            travel = Travel(
                mode,
                f"{'CA' if mode == 'flight' else 'G'}{rng.randrange(100, 9999)}",
                "首都机场" if mode == "flight" else "虹桥站",
                arrival - timedelta(hours=2),
                pickup=rng.random() < 0.7,
                driver=rng.choice(active).user_id,
            )
        lodging = (
            Lodging(
                "香格里拉酒店", arrival, departure + timedelta(days=1), payer=rng.choice(("guest", "company"))
            )
            if rng.random() < 0.15
            else None
        )
        meals = (
            Meals(
                len(visitors) + rng.randrange(1, 4), "12:00", rng.choice(("", "不吃辣", "清真", "vegetarian"))
            )
            if rng.random() < 0.5
            else None
        )
        past = departure < NOW
        status = VisitStatus.PLANNED
        if rng.random() < 0.05:
            status = VisitStatus.CANCELLED
        elif past and rng.random() < 0.9:
            status = VisitStatus.DONE
        class_id = rng.choice("ABCCCCDD")
        visits.append(
            Visit(
                number,
                client.id,
                client.name,
                class_id,
                arrival,
                departure,
                host.user_id,
                created,
                host.user_id,
                visitors=visitors,
                purposes=tuple(rng.sample(_PURPOSES, rng.randrange(1, 3))),
                team=team,
                executives=("gm",) if class_id == "A" else (),
                travel=travel,
                room=rng.choice(_ROOMS),
                projector=rng.random() < 0.5,
                tour=("生产车间 16:00",) if rng.random() < 0.3 else (),
                lodging=lodging,
                meals=meals,
                banner=f"热烈欢迎{client.name}莅临我司考察指导工作" if rng.random() < 0.3 else "",
                budget=(("meal", float(rng.choice((80, 100, 130)))),),
                status=status,
                cancel_reason="客户改期" if status is VisitStatus.CANCELLED else "",
            )
        )
    return visits


def _nudges(rng: random.Random, visits: list[Visit], policy: object, calendar: object) -> list[Nudge]:
    """Each visit's timeline as planned when it was saved; what is past was sent, mostly ticked."""
    nudges: list[Nudge] = []
    for visit in visits:
        planned = plan_visit(
            replace(visit, status=VisitStatus.PLANNED),
            policy,
            calendar,  # type: ignore[arg-type]
            visit.created_at,
            tz=TZ,
        )
        for nudge in planned:
            if visit.status is VisitStatus.CANCELLED:
                state = (
                    NudgeState.CANCELLED
                    if nudge.due > visit.created_at + timedelta(days=1)
                    else NudgeState.SENT
                )
            elif nudge.due >= NOW:
                nudges.append(nudge)
                continue
            else:
                roll = rng.random()
                state = (
                    NudgeState.DONE if roll < 0.7 else NudgeState.SENT if roll < 0.995 else NudgeState.FAILED
                )
            sent = nudge.due if state is not NudgeState.FAILED else None
            done = state is NudgeState.DONE
            nudges.append(
                replace(
                    nudge,
                    state=state,
                    sent_at=sent if state is not NudgeState.CANCELLED else None,
                    done_at=nudge.due + timedelta(minutes=rng.randrange(5, 600)) if done else None,
                    done_by=visit.host if done else None,
                )
            )
    return nudges


def _debriefs(
    rng: random.Random, visits: list[Visit], staff: list[Staff]
) -> tuple[list[Debrief], list[Task]]:
    debriefs: list[Debrief] = []
    tasks: list[Task] = []
    for visit in visits:
        if visit.status is not VisitStatus.DONE or rng.random() > 0.6:
            continue
        written = visit.departure + timedelta(hours=rng.randrange(2, 48))
        debriefs.append(
            Debrief(
                visit.id,
                rng.choice(list(Outcome)),
                rng.choice(_NEEDS),
                (written + timedelta(days=14)).date(),
                rng.randrange(3, 6),
                visit.host,
                written,
                objections=rng.choice(("", "价格偏高", "交期太长")),
                actual_spend=(("total", float(rng.randrange(200, 3000))),),
                comments=rng.choice(("", "顺利", "Smooth")),
                memo=f"会谈备忘录：{visit.client_name}",
                memo_locale="zh_Hans",
            )
        )
        for _ in range(rng.randrange(1, 3)):
            due = written + timedelta(days=rng.randrange(2, 20))
            done = due < NOW - timedelta(days=3) and rng.random() < 0.9
            tasks.append(
                Task(
                    len(tasks) + 1,
                    visit.id,
                    visit.client_id,
                    rng.choice(_TASKS),
                    rng.choice([visit.host, *visit.team]),
                    due,
                    written,
                    visit.host,
                    status=TaskStatus.DONE if done else TaskStatus.OPEN,
                    done_at=due if done else None,
                    origin="debrief",
                )
            )
    return debriefs, tasks


if __name__ == "__main__":  # python -m bench.generate DIR VISITS
    import sys
    import time as _time

    started = _time.perf_counter()
    generate(Path(sys.argv[1]), int(sys.argv[2]))
    print(f"generated {sys.argv[2]} visits in {_time.perf_counter() - started:.1f} s")
