"""The arrival typed after the Today or Tomorrow button, through the real /new: a full date is read from
today, a bare time or part of the day on the day chosen, and that day is named when asked again."""

from __future__ import annotations

from tests.support.chat import World
from tests.visit_chat import at_arrival

# Monday 23 November 2026, 09:00 in Shanghai (``tests.support.chat.MONDAY_9AM``).


def test_a_full_date_after_the_tomorrow_button_counts_from_today(world: World) -> None:
    host = at_arrival(world, "en")
    host.press("Tomorrow").send("tomorrow 9am")
    assert host.last.text.startswith("I read that as Tue 24 Nov 09:00 — correct?")
    host.press("✖ No, let me retype").press("Tomorrow").send("afternoon")
    assert host.last.text == "At what time on Tue 24 Nov? For example: 10:00, 3pm."
    host.send("at 3")
    assert host.last.text.startswith("I read that as Tue 24 Nov 15:00 — correct?")


def test_the_day_chosen_is_named_when_the_time_is_asked_again(world: World) -> None:
    host = at_arrival(world, "en")
    host.press("Tomorrow").send("banana")
    assert host.messages[-2].text == "I could not read that time. Please type e.g. 10:00, 3pm or 15:30."
    assert host.last.text.endswith("At what time on Tue 24 Nov? For example: 10:00, 3pm.")
    host.send("4pm")
    assert host.last.text.startswith("I read that as Tue 24 Nov 16:00 — correct?")


def test_a_bare_number_after_the_day_button_is_the_hour(world: World) -> None:
    host = at_arrival(world, "en")
    host.press("Tomorrow").send("3")
    assert host.last.text == "“3”: morning or afternoon?"
    host.press("Afternoon")
    assert host.last.text.startswith("8/16 When do they leave?")
    answers = world.dispatcher.services.flows.active(host.id).answers
    assert answers["arrival"] == "2026-11-24T15:00:00+08:00"
