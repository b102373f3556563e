"""The quarterly review from known data: visits per class and month, spend against budget, frequent
objections and needs, open follow-ups, overdue clients; in zh_Hans and en, with a chart whose Chinese
labels render; managers and admins only."""

from __future__ import annotations

import io
import warnings
from datetime import UTC, datetime, timedelta

from PIL import Image

from bot.core.events import Event, SendDocument
from bot.documents.chart import ChartText, review_chart, review_figure
from bot.documents.review import Quarter, build_review
from bot.domain.debriefs import Debrief, Outcome
from bot.domain.tasks import Task, TaskStatus
from bot.domain.visits import Visit, Visitor, VisitStatus
from tests.documents_support import files
from tests.support.chat import Person, World

SHANGHAI = timedelta(hours=8)


def at(month: int, day: int, hour: int = 10, year: int = 2026) -> datetime:
    """A moment in Shanghai time."""
    return datetime(year, month, day, hour, tzinfo=UTC) - SHANGHAI


def furnish(world: World) -> None:
    """Q4 2026 as of Monday 23 November: four visits (one cancelled), two debriefs, two tasks."""
    services = world.dispatcher.services
    clients = services.clients
    huawei = clients.create("华为技术有限公司", by=1, now=at(1, 5), default_class="A")
    tencent = clients.create("腾讯科技", by=1, now=at(1, 5), default_class="B")
    acme = clients.create("Acme Ltd", by=1, now=at(6, 1), default_class="C")
    clients.create("华润集团", by=1, now=at(9, 1), default_class="B")
    clients.create("小供应商", by=1, now=at(1, 5), default_class="D")
    guests = (Visitor(1, "张伟", "总经理", lead=True), Visitor(2, "李娜", "经理"))

    def visit(client_id: int, name: str, class_id: str, arrival: datetime, **extra: object) -> Visit:
        created, _ = services.visits.create(Visit(
            0, client_id, name, class_id, arrival, arrival + timedelta(hours=3), host=1, created_at=at(1, 5),
            created_by=1, visitors=guests, budget=(("meal", 150.0), ("gift", 100.0)), **extra))  # type: ignore[arg-type]
        return created

    first = visit(huawei.id, huawei.name, "A", at(10, 10))
    visit(huawei.id, huawei.name, "A", at(11, 5))
    second = visit(tencent.id, tencent.name, "B", at(11, 10))
    visit(acme.id, acme.name, "C", at(10, 20), status=VisitStatus.CANCELLED)
    visit(tencent.id, tencent.name, "B", at(9, 1))  # last quarter

    def debrief(visit: Visit, spent: float, objections: str, needs: str) -> None:
        services.debriefs.debriefs.save(Debrief(
            visit.id, Outcome.PROGRESSING, needs, at(12, 1).date(), 4, written_by=1,
            written_at=visit.departure, objections=objections, actual_spend=(("total", spent),)))

    debrief(first, 420, "价格太高；交货期太长", "样品；技术方案")
    debrief(second, 600, "价格太高\n售后服务不足", "样品")
    tasks = services.debriefs.tasks
    tasks.save(Task(1, first.id, huawei.id, "寄送样品", owner=1, due=at(11, 20), created_at=at(10, 11),
                    created_by=1))
    tasks.save(Task(2, first.id, huawei.id, "发送报价", owner=1, due=at(10, 15), created_at=at(10, 11),
                    created_by=1, status=TaskStatus.DONE))


def choose(person: Person, label: str) -> list[SendDocument]:
    """Presses a quarter and returns the files sent with the answer."""
    message = next(m for m in reversed(person.messages) if m.buttons)
    event = Event(person.user, person.id, callback_data=message.button(label).data, callback_id="cb",
                  message_id=message.message_id)
    return files(person.world, person.world.dispatcher.handle(event))


def test_the_figures_of_a_quarter(world: World) -> None:
    furnish(world)
    review = build_review(world.dispatcher.services, Quarter(2026, 4), world.clock.now())
    assert [review.classes[c].visits for c in "ABCD"] == [[1, 1, 0], [0, 1, 0], [0, 0, 0], [0, 0, 0]]
    assert review.cancelled == 1 and review.debriefed == 2
    assert (review.classes["A"].budget, review.classes["A"].spent) == (500, 420)  # (150 + 100) x 2 guests
    assert (review.classes["B"].budget, review.classes["B"].spent) == (500, 600)
    assert review.objections[0] == ("价格太高", 2) and len(review.objections) == 3
    assert review.needs == [("样品", 2), ("技术方案", 1)]
    assert [task.text for task in review.open_tasks] == ["寄送样品"] and review.late_tasks == 1
    assert [(o.client.name, o.days) for o in review.overdue] == [("Acme Ltd", 175), ("华润集团", 83)]
    last = build_review(world.dispatcher.services, Quarter(2026, 3), world.clock.now())
    assert last.visits == 1 and last.classes["B"].visits == [0, 0, 1]


def test_review_in_chinese_with_a_chart_whose_labels_render(world: World) -> None:
    furnish(world)
    me = world.person(1, "林").send("/start")
    me.send("/review")
    assert me.last.text == "要回顾哪个季度？"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        [chart] = choose(me, "本季度（2026年第4季度）")
    assert not [w for w in caught if "missing from font" in str(w.message)], [str(w.message) for w in caught]
    text = me.last.text
    assert "2026年第4季度接待回顾" in text
    assert "共接待 3 次（另取消 1 次），已复盘 2 次。" in text
    assert "A类（特别重要）：10月 1 · 11月 1 · 12月 0，共 2" in text
    assert "A类（特别重要）：实际花费合计 ¥420 / 预算合计 ¥500（84%，1 次接待）" in text
    assert "B类（比较重要）：实际花费合计 ¥600 / 预算合计 ¥500（120%，1 次接待）" in text
    assert "1. 价格太高（2 次）" in text and "1. 样品（2 次）" in text
    assert "未完成的跟进：1 项，其中 1 项已逾期" in text and "寄送样品 — 林" in text
    assert "Acme Ltd（C类）：175 天未联系（应每 90 天）" in text
    image = Image.open(io.BytesIO(chart.content))
    assert chart.filename == "review-2026-Q4.png" and image.format == "PNG" and image.width >= 1000


def test_review_in_english_for_last_quarter(world: World) -> None:
    furnish(world)
    me = world.person(1, "Lin", language_code="en").send("/start")
    me.send("/review")
    labels = [b.label for row in me.last.buttons for b in row]
    assert labels == ["This quarter (Q4 2026)", "Last quarter (Q3 2026)", "Q2 2026", "Q1 2026"]
    [chart] = choose(me, "Last quarter")
    text = me.last.text
    assert "Receptions review, Q3 2026" in text
    assert "1 visit (0 more cancelled), 0 debriefed." in text
    assert "Jul 0 · Aug 0 · Sep 1; total 1" in text
    assert "(none)" in text
    assert chart.content.startswith(b"\x89PNG")
    me.send("/review")
    assert not choose(me, "Q1 2026")  # no visits: no chart
    assert "0 visits" in me.last.text


def test_staff_members_and_strangers_get_no_review(world: World) -> None:
    furnish(world)
    boss = world.person(1, "Lin", language_code="en").send("/start")
    boss.send("/invite").press("staff member")
    code = boss.last.text.split("start=")[1].split()[0]
    member = world.person(70, "Li", language_code="en").send(f"/start {code}")
    member.send("/review")
    assert member.last.text == "Only managers and administrators can do that."
    member.press_data("rev:2026:4")
    assert "华为" not in member.sees_text()
    stranger = world.person(99, "Eve", language_code="en")
    stranger.send("/review")
    stranger.press_data("rev:2026:4")
    assert "华为" not in stranger.sees_text() and "Receptions review" not in stranger.sees_text()


def test_visits_still_to_come_are_counted_apart(world: World) -> None:
    furnish(world)
    services = world.dispatcher.services
    services.visits.create(Visit(0, 1, "华为技术有限公司", "A", at(12, 8), at(12, 8, 16), host=1,
                                 created_at=at(11, 20), created_by=1))
    me = world.person(1, "林").send("/start")
    me.send("/review")
    choose(me, "本季度（2026年第4季度）")
    assert "共接待 3 次（另取消 1 次），已复盘 2 次。\n另有 1 次来访尚未进行，未计入。" in me.last.text
    assert "A类（特别重要）：10月 1 · 11月 1 · 12月 0，共 2" in me.last.text
    english = world.person(1, "Lin", language_code="en")
    english.send("/review")
    choose(english, "This quarter")
    assert "3 visits (1 more cancelled), 2 debriefed.\n1 more visit is still to come and is not counted." in (
        english.last.text)


def test_a_quarter_without_spending_says_so_on_the_chart_instead_of_a_tiny_axis(world: World) -> None:
    services = world.dispatcher.services
    client = services.clients.create("Acme Ltd", by=1, now=at(10, 1))
    services.visits.create(Visit(0, client.id, client.name, "C", at(10, 5), at(10, 5, 15), host=1,
                                 created_at=at(10, 1), created_by=1))
    review = build_review(services, Quarter(2026, 4), world.clock.now())
    text = ChartText("Q4", "visits", "money", "budget", "spent", ("Oct", "Nov", "Dec"), ("A", "B", "C", "D"),
                     no_money="No spending recorded")
    _, money = review_figure(review, text).axes
    assert [label.get_text() for label in money.get_yticklabels()] == []  # not 0.00 ... 0.05
    assert "No spending recorded" in [note.get_text() for note in money.texts]
    assert review_chart(review, text).startswith(b"\x89PNG")
