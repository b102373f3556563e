"""Inline mode: ``@bot 今天`` typed in any chat offers today's and tomorrow's arrivals to share, for
staff only, and never more than a reception group would see."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.events import AnswerInline, Event, User
from tests.support.chat import World
from tests.test_lookups import LIN, MA, MANAGER, Cast, a_week


@pytest.fixture
def cast(world: World) -> Cast:
    return a_week(world)


def inline(world: World, user: User, query: str) -> AnswerInline:
    actions = world.dispatcher.handle(Event(user, user.id, "inline", text=query, inline_id="q-1"))
    assert len(actions) == 1 and isinstance(actions[0], AnswerInline) and actions[0].inline_id == "q-1"
    return actions[0]


def test_staff_get_today_then_tomorrow_as_messages_to_share(world: World, cast: Cast) -> None:
    answer = inline(world, world.person(MA).user, "今天")
    assert [a.title for a in answer.results] == ["📅 Today, Mon 23 Nov", "📅 Tomorrow, Tue 24 Nov"]
    today, tomorrow = answer.results
    assert "<b>华为</b> #1" in today.text and "Acme" not in today.text
    assert "<b>Acme</b> #2" in tomorrow.text
    assert today.description == "1 visit arriving"
    assert "#4" not in today.text + tomorrow.text  # next week's visit is not offered


def test_a_query_naming_tomorrow_puts_it_first_and_questions_are_read(world: World, cast: Cast) -> None:
    assert inline(world, world.person(LIN).user, "明天").results[0].title.startswith("📅 明天")
    answer = inline(world, world.person(LIN).user, "明天谁来")
    assert [a.title for a in answer.results] == ["📅 明天 11月24日 周二"]


def test_a_week_query_is_cut_to_what_a_shared_chat_may_see(world: World, cast: Cast) -> None:
    answer = inline(world, world.person(MANAGER).user, "下周有什么接待")
    assert answer.results == ()  # next week is beyond today and tomorrow, even for a manager


def test_strangers_and_switched_off_staff_get_nothing(world: World, cast: Cast) -> None:
    assert inline(world, User(999, "Eve", language_code="en"), "今天").results == ()
    staff = world.dispatcher.services.access.staff
    lin = staff.get(LIN)
    assert lin is not None
    staff.save(replace(lin, active=False))
    assert inline(world, world.person(LIN).user, "今天").results == ()
