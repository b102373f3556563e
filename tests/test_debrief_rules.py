"""The debrief's rules as plain functions: reading open items, pairing a re-run's items with the
tasks already made, the estimate, the memo's escaping, and open tasks by owner."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.budget import estimate
from bot.domain.debriefs import Debrief, Outcome
from bot.domain.memo import MemoFacts, MemoItem, render_memo
from bot.domain.staff import Role, Staff
from bot.domain.tasks import LineProblem, OpenItem, Task, TaskStatus, read_open_items, reconcile
from bot.domain.visits import Meals, Visit, Visitor
from bot.i18n import I18n
from bot.services.debriefs import DebriefService
from tests.support.memory import MemoryDebriefs, MemoryTasks

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thursday 10:00 in Shanghai
JOINED = datetime(2026, 1, 1, tzinfo=UTC)
STAFF = (Staff(11, "王五", Role.STAFF, JOINED, username="wangwu"),
         Staff(12, "Li Si", Role.STAFF, JOINED, username="lisi"),
         Staff(13, "Gone", Role.STAFF, JOINED, username="gone", active=False))


def read(text: str, allow_past: bool = False) -> tuple[list[OpenItem], list[LineProblem]]:
    return read_open_items(text, STAFF, now=NOW, tz=TZ, allow_past=allow_past)


def test_items_are_read_by_name_or_username_with_either_semicolon() -> None:
    items, problems = read("报价; 王五; 下周五\n\n  Samples；li si；Dec 5 3pm  "
                           "| Call back; @LISI; tomorrow 10am")
    assert problems == []
    assert items == [
        OpenItem("报价", 11, datetime(2026, 12, 4, 18, 0, tzinfo=TZ)),  # a bare day: due at its end
        OpenItem("Samples", 12, datetime(2026, 12, 5, 15, 0, tzinfo=TZ)),
        OpenItem("Call back", 12, datetime(2026, 11, 27, 10, 0, tzinfo=TZ)),
    ]


def test_every_bad_line_is_named_with_its_reason() -> None:
    _, problems = read("a; Gone; tomorrow\nb; @王五; tomorrow\nc; 王五; someday\nd; 王五\ne; 王五; yesterday")
    assert problems == [
        LineProblem(1, "a; Gone; tomorrow", "owner_unknown", "Gone"),  # deactivated
        LineProblem(2, "b; @王五; tomorrow", "owner_unknown", "@王五"),  # @ means a username
        LineProblem(3, "c; 王五; someday", "due_unreadable", "someday"),
        LineProblem(4, "d; 王五", "shape"),
        LineProblem(5, "e; 王五; yesterday", "due_past", "yesterday"),
    ]
    items, problems = read("e; 王五; yesterday", allow_past=True)
    assert problems == [] and items[0].due.day == 25


def _task(task_id: int, text: str, status: TaskStatus = TaskStatus.OPEN) -> Task:
    return Task(task_id, 1, 5, text, 11, NOW, NOW, 10, status=status)


def test_a_rerun_keeps_tasks_by_text_then_by_order_and_drops_the_rest() -> None:
    old = [_task(1, "Quote"), _task(2, "Samples", TaskStatus.DONE), _task(3, "Visit plant"), _task(4, "Gift")]
    items = [OpenItem("samples", 12, NOW), OpenItem("Quotation", 11, NOW), OpenItem("New", 11, NOW)]
    paired, dropped = reconcile(old, items)
    assert [(task.id if task else None, item.text) for task, item in paired] == [
        (2, "samples"), (1, "Quotation"), (3, "New")]
    assert [task.id for task in dropped] == [4]


def test_the_estimate_is_each_standard_per_person_times_the_people_it_is_for() -> None:
    visit = Visit(1, 5, "Acme", "B", NOW, NOW, 10, NOW, 10,
                  visitors=(Visitor(7, "A"), Visitor(8, "B"), Visitor(9, "C")),
                  budget=(("meal", 120.0), ("gift", 100.0)))
    assert estimate(visit) == 660  # no covers booked: meals for the three visitors
    assert estimate(replace(visit, meals=Meals(5))) == 120 * 5 + 100 * 3  # five at the table
    assert estimate(replace(visit, budget=())) is None


def test_the_memo_escapes_what_people_typed() -> None:
    t = I18n("en").get("en")
    memo = render_memo(t, MemoFacts("A&B <Ltd>", "Tue 24 Nov", ["Lin"], "<script>", [
        MemoItem("x < y", "王五", "Fri 4 Dec")], "Wed 2 Dec"))
    assert memo.startswith("<b>Meeting memo</b>\n\nTo: A&amp;B &lt;Ltd&gt;")
    assert "&lt;script&gt;" in memo and "1. x &lt; y (owner: 王五, by Fri 4 Dec)" in memo


def test_a_memo_says_when_its_notes_are_in_another_language() -> None:
    i18n = I18n("en")
    english = MemoFacts("Acme", "Tue 24 Nov", ["Lin"], "A pilot line in Q1", [], "Wed 2 Dec")
    quote = MemoItem("Send the quote", "王五", "12月4日")
    chinese = MemoFacts("华为", "11月24日", ["Lin"], "需要样品", [quote], "12月2日")
    assert "以下記錄按原文（英文）照錄。" in render_memo(i18n.get("zh_Hant"), english)
    assert "以下记录按原文（中文）照录。" not in render_memo(i18n.get("zh_Hans"), chinese)
    assert "Notes below as written, in Chinese." in render_memo(i18n.get("en"), chinese)
    assert "as written" not in render_memo(i18n.get("en"), english)


def test_record_updates_tasks_deletes_dropped_ones_and_lists_open_tasks_by_due() -> None:
    # The rule of a re-run, in memory: the stores answer as TinyDB's (test_memory_repositories), and
    # the same through the chat, on a real database, is tested in test_debrief.
    service = DebriefService(MemoryDebriefs(), MemoryTasks())
    visit = Visit(1, 5, "Acme", "B", NOW, NOW, 10, NOW, 10)
    debrief = Debrief(1, Outcome.SIGNED, "needs", NOW.date(), 5, 10, NOW)
    later, sooner, last = (NOW + timedelta(days=days) for days in (9, 2, 10))
    service.tasks.save(Task(99, 1, 5, "Someone else's", 11, last, NOW, 10, origin="manual"))
    first = service.record(debrief, visit, [OpenItem("A", 11, later), OpenItem("B", 11, sooner)])
    assert [t.id for t in first.assigned] == [100, 101]
    assert [t.text for t in service.tasks_for(11)] == ["B", "A", "Someone else's"]

    again = service.record(replace(debrief, rating=3), visit, [OpenItem("A", 12, later)])
    assert [(t.id, t.owner) for t in again.assigned] == [(100, 12)]
    assert [t.id for t in again.dropped] == [101]
    assert [t.id for t in service.tasks_for(11)] == [99]  # not the debrief's: left alone
    assert [t.id for t in service.tasks_for(12)] == [100]
    assert service.tasks.get(101) is None
    assert service.get(1) == replace(debrief, rating=3)
