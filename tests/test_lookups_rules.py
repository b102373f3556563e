"""The rules behind quick look-ups, without a bot: reading questions, who sees which visit, which
day an arrival or a departure falls on, and which checklist items are open."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.lookups import (
    PeriodQuestion,
    Span,
    Viewer,
    WhenQuestion,
    bucket,
    day_entries,
    is_behind,
    is_open,
    plainly_asks,
    read_question,
    relative_period,
)
from bot.domain.nudges import Nudge, NudgeState
from bot.domain.visits import Visit

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
MONDAY, TUESDAY = date(2026, 11, 23), date(2026, 11, 24)
THIS_WEEK = (MONDAY, date(2026, 11, 29))
NEXT_WEEK = (date(2026, 11, 30), date(2026, 12, 6))


def ask(text: str) -> PeriodQuestion | WhenQuestion | None:
    return read_question(text, now=NOW, tz=SHANGHAI)


@pytest.mark.parametrize(("text", "period"), [
    ("今天谁来", (MONDAY, MONDAY)), ("今天有谁来访", (MONDAY, MONDAY)), ("明天谁到", (TUESDAY, TUESDAY)),
    ("这周有哪些客户来", THIS_WEEK), ("下周有什么接待", NEXT_WEEK),
    ("今天誰來", (MONDAY, MONDAY)), ("今天有誰來訪", (MONDAY, MONDAY)), ("明天誰到", (TUESDAY, TUESDAY)),
    ("這週有哪些客戶來", THIS_WEEK), ("下週有什麼接待", NEXT_WEEK),
    ("who's arriving today", (MONDAY, MONDAY)), ("Who’s arriving today?", (MONDAY, MONDAY)),
    ("who is coming tomorrow", (TUESDAY, TUESDAY)), ("visits next week", NEXT_WEEK),
    ("Who is arriving this week?", THIS_WEEK), ("12月5日谁来", (date(2026, 12, 5), date(2026, 12, 5))),
    # A period alone, as a busy host types it.
    ("this week", THIS_WEEK), ("Next week?", NEXT_WEEK), ("today", (MONDAY, MONDAY)),
    ("tomorrow", (TUESDAY, TUESDAY)), ("下周", NEXT_WEEK), ("這週", THIS_WEEK),
    ("明天呢？", (TUESDAY, TUESDAY)),
])
def test_a_period_and_a_word_about_visits_ask_for_that_period(text: str, period: tuple[date, date]) -> None:
    assert ask(text) == PeriodQuestion(*period)


@pytest.mark.parametrize(("text", "subject", "direction"), [
    ("华为什么时候来", "华为", "next"), ("華為什麼時候來", "華为", "next"),
    ("华为下次什么时候来", "华为", "next"),
    ("华为下次来是什么时候", "华为", "next"), ("请问华为公司什么时候来访？", "华为", "next"),
    ("张总上次来是什么时候", "张总", "last"), ("張總上次來是什麼時候", "張总", "last"),
    ("when is Huawei coming", "huawei", "next"), ("When will Acme arrive?", "acme", "next"),
    ("when's Acme's next visit", "acme", "next"), ("when was Huawei last here", "huawei", "last"),
    ("When did Anna Schmidt last visit?", "anna schmidt", "last"),
])
def test_when_questions_name_a_client_or_a_contact(text: str, subject: str, direction: str) -> None:
    question = ask(text)
    assert isinstance(question, WhenQuestion)
    assert (question.subject, question.direction) == (subject, direction)


def test_a_subject_that_reads_as_a_day_keeps_that_day_for_when_no_client_is_called_so() -> None:
    assert ask("明天什么时候到") == WhenQuestion("明天", "next", (TUESDAY, TUESDAY))
    assert ask("华为什么时候来") == WhenQuestion("华为", "next", None)


@pytest.mark.parametrize("text", ["hello", "明天下午3点", "今天天气怎么样", "谁", "", "？？", "thanks!"])
def test_anything_else_is_no_question(text: str) -> None:
    assert ask(text) is None


def test_a_period_alone_is_no_question_where_people_talk_to_each_other() -> None:
    in_a_group = {"now": NOW, "tz": SHANGHAI, "period_alone": False}
    assert read_question("明天", **in_a_group) is None  # type: ignore[arg-type]
    assert read_question("明天谁来", **in_a_group) == PeriodQuestion(TUESDAY, TUESDAY)  # type: ignore[arg-type]


def visit(number: int, arrival: datetime, hours: float = 3, *, host: int = 10,
          team: tuple[int, ...] = ()) -> Visit:
    return Visit(number, 1, "华为", "B", arrival, arrival + timedelta(hours=hours), host=host,
                 created_at=NOW, created_by=host, team=team)


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def test_staff_see_their_own_visits_and_everyone_s_arrivals_today_and_tomorrow() -> None:
    staff = Viewer(11)
    assert staff.sees(visit(1, at(MONDAY, 10)), MONDAY, SHANGHAI)
    assert staff.sees(visit(2, at(TUESDAY, 23)), MONDAY, SHANGHAI)
    assert not staff.sees(visit(3, at(date(2026, 11, 25), 0)), MONDAY, SHANGHAI)
    assert not staff.sees(visit(4, at(date(2026, 11, 22), 10), hours=30), MONDAY, SHANGHAI)  # still here
    assert staff.sees(visit(5, at(date(2026, 12, 1), 10), team=(11,)), MONDAY, SHANGHAI)
    assert Viewer(11, sees_all=True).sees(visit(3, at(date(2026, 11, 25), 0)), MONDAY, SHANGHAI)


def test_a_group_sees_today_s_and_tomorrow_s_arrivals_and_never_more() -> None:
    group = Viewer(None, group=True)
    assert group.sees(visit(1, at(MONDAY, 10)), MONDAY, SHANGHAI)
    assert not group.sees(visit(5, at(date(2026, 12, 1), 10), host=10), MONDAY, SHANGHAI)
    assert group.clip(*THIS_WEEK, MONDAY) == (MONDAY, TUESDAY)
    assert group.clip(*NEXT_WEEK, MONDAY) is None
    assert Viewer(1).clip(*NEXT_WEEK, MONDAY) == NEXT_WEEK


def test_the_morning_digest_viewer_sees_only_its_own_visits() -> None:
    own = Viewer(11, reception=False)
    assert not own.sees(visit(1, at(MONDAY, 10)), MONDAY, SHANGHAI)
    assert own.sees(visit(1, at(MONDAY, 10), team=(11,)), MONDAY, SHANGHAI)


def entries(visits: list[Visit], first: date, last: date, *,
            arrivals_only: bool = False) -> list[tuple[date, str, int]]:
    by_number = {v.id: v for v in visits}
    found = day_entries(map(Span.of, visits), first, last, SHANGHAI, by_number.get,
                        arrivals_only=arrivals_only)
    assert all(entry.visit is by_number[entry.visit_id] for entry in found)
    return [(entry.day, entry.kind, entry.visit_id) for entry in found]


def test_a_stay_over_several_days_arrives_on_one_day_and_leaves_on_another() -> None:
    one_day, stay = visit(1, at(MONDAY, 10)), visit(2, at(MONDAY, 14), hours=48)
    assert entries([stay, one_day], MONDAY, date(2026, 11, 25)) == [
        (MONDAY, "day", 1), (MONDAY, "arrive", 2), (date(2026, 11, 25), "leave", 2)]
    assert entries([stay], TUESDAY, TUESDAY) == []
    assert entries([stay], MONDAY, date(2026, 11, 30), arrivals_only=True) == [(MONDAY, "arrive", 2)]


def test_the_day_is_the_company_s_day_not_utc_s() -> None:
    early, late = visit(1, at(MONDAY, 7)), visit(2, at(MONDAY, 7), hours=17)  # 23:00 on Sunday in UTC
    assert entries([early, late], MONDAY, TUESDAY) == [(MONDAY, "day", 1), (MONDAY, "arrive", 2),
                                                       (TUESDAY, "leave", 2)]  # at 00:00 on Tuesday


def test_days_are_right_across_a_time_change_that_skips_midnight() -> None:
    # São Paulo went from 00:00 straight to 01:00 on 4 November 2018: that day began at 01:00.
    sao_paulo = ZoneInfo("America/Sao_Paulo")
    night = Visit(1, 1, "华为", "B", datetime(2018, 11, 3, 23, 30, tzinfo=sao_paulo),
                  datetime(2018, 11, 4, 1, 30, tzinfo=sao_paulo), host=10, created_at=NOW, created_by=10)
    morning = Visit(2, 1, "华为", "B", datetime(2018, 11, 4, 9, tzinfo=sao_paulo),
                    datetime(2018, 11, 4, 11, tzinfo=sao_paulo), host=10, created_at=NOW, created_by=10)
    found = day_entries(map(Span.of, [night, morning]), date(2018, 11, 3), date(2018, 11, 4), sao_paulo,
                        {1: night, 2: morning}.get)
    assert [(e.day, e.kind, e.visit_id) for e in found] == [
        (date(2018, 11, 3), "arrive", 1), (date(2018, 11, 4), "leave", 1), (date(2018, 11, 4), "day", 2)]


def test_a_day_s_entries_go_by_time_whatever_order_the_visits_come_in() -> None:
    late, early = visit(1, at(MONDAY, 15)), visit(2, at(MONDAY, 9))
    assert entries([late, early], date.min, date.max) == [(MONDAY, "day", 2), (MONDAY, "day", 1)]


def nudge(state: NudgeState, due: datetime) -> Nudge:
    return Nudge("visit:1:venue", due, 1, "venue", "timeline.venue", ("host",), state=state)


@pytest.mark.parametrize(("state", "hours", "open_", "behind"), [
    (NudgeState.SENT, -1, True, True), (NudgeState.SENT, 1, True, False),
    (NudgeState.SENT, -0.5, True, False),  # due half an hour ago (or at saving): not behind yet
    (NudgeState.PLANNED, -1, True, True), (NudgeState.PLANNED, 1, False, False),
    (NudgeState.SNOOZED, -1, True, True), (NudgeState.FAILED, -1, True, True),
    (NudgeState.DONE, -1, False, False), (NudgeState.CANCELLED, -1, False, False),
])
def test_open_items_are_sent_or_due_and_not_done(state: NudgeState, hours: float, open_: bool,
                                                 behind: bool) -> None:
    item = nudge(state, NOW + timedelta(hours=hours))
    coming = visit(1, NOW + timedelta(hours=3))
    assert is_open(item, NOW) is open_
    assert is_behind(coming, [item], NOW) is behind


def test_a_visit_under_way_or_over_is_never_behind() -> None:
    """What was not done when the guests arrived is missed, not "prep behind"."""
    item = nudge(NudgeState.SENT, NOW - timedelta(days=1))
    assert is_behind(visit(1, NOW + timedelta(hours=1)), [item], NOW)
    assert not is_behind(visit(1, NOW - timedelta(hours=1)), [item], NOW)
    assert not is_behind(visit(1, NOW - timedelta(days=7)), [item], NOW)


def test_items_fall_into_overdue_today_and_later_by_the_company_s_day() -> None:
    assert bucket(at(date(2026, 11, 22), 23), MONDAY, SHANGHAI) == "overdue"
    assert bucket(at(MONDAY, 0), MONDAY, SHANGHAI) == "today"
    assert bucket(at(TUESDAY, 0), MONDAY, SHANGHAI) == "later"


def test_the_commands_name_today_tomorrow_and_the_week_from_monday() -> None:
    assert relative_period("today", MONDAY) == (MONDAY, MONDAY)
    assert relative_period("tomorrow", MONDAY) == (TUESDAY, TUESDAY)
    assert relative_period("week", date(2026, 11, 29)) == THIS_WEEK


def test_in_the_middle_of_a_form_only_a_plain_question_is_taken_for_one() -> None:
    for question in ("明天谁来", "下周有什么接待", "今天有客人嗎？", "華為什麼時候來", "Who is coming today?",
                     "any visitors tomorrow"):
        assert plainly_asks(question), question
    # An answer that mentions coming, or a list of tasks with a "who" in it, stays an answer.
    for answer in ("明天到", "下周二上午十点来", "回访; 王五; 下周五\n问问谁负责; 钱七; 明天"):
        assert not plainly_asks(answer), answer
