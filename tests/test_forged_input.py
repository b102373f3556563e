"""Numbers typed after a command and buttons nobody was shown (forged or cut short): each gets a
short answer in the person's language, and the log gets no traceback."""

from __future__ import annotations

import logging

import pytest

from bot.core.events import Event
from bot.domain.nudges import NudgeState
from tests.support.chat import Person, World, at
from tests.support.walkthroughs import plan_visit

BAD_NUMBERS = ("²", "-1", "99999999999999999999", "١٢", "1e3")


@pytest.fixture
def host(world: World) -> Person:
    person = world.person(1, "Lin", language_code="en").send("/start")
    plan_visit(person.send("/lang").press("简体中文"))  # typed in Chinese, read in English
    person.send("/lang").press("English")
    return person


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.exc_info]


@pytest.mark.parametrize("command", ["visit", "form", "itinerary", "memo", "calendar", "debrief"])
def test_a_number_that_is_no_visit_number_asks_which_visit(
        host: Person, caplog: pytest.LogCaptureFixture, command: str) -> None:
    caplog.set_level(logging.DEBUG)
    for number in BAD_NUMBERS:
        host.send(f"/{command} {number}")
        assert host.last.text == f"Please add the visit number, e.g. /{command} 12", number
    assert not tracebacks(caplog)
    good = host.world.dispatcher.handle(Event(host.user, host.id, text=f"/{command} 1"))
    assert good and not any("Please add" in getattr(action, "text", "") for action in good)


def test_the_question_comes_in_the_persons_language(host: Person) -> None:
    host.send("/lang").press("繁體中文")
    host.send("/visit ²")
    assert host.last.text == "請在指令後寫上來訪編號，例如：/visit 12"


FORGED = (
    "lk:d:00010101:99991231:0", "lk:d:20261123:20261129", "lk:d:2026112３:20261129:0",
    "lk:d:20261301:20261302:0", "lk:c:1:x:0", "lk:p:99999999999999999999:n:0", "lk:f:²:华为", "lk:r",
    "vis:show:99999999999999999999", "vis:show:²", "vis:show", "vis",
    "doc:form:99999999999999999999", "doc:form", "chk:99999999999999999999", "chk:-1",
    "dbf:99999999999999999999", "dbf", "cl:s:99999999999999999999", "cl:s", "tsk:²", "tsk",
    "tsk:99999999999999999999", "log:n:99999999999999999999", "log:c", "log:c:1:²",
    "nud", "nud:d", "nud:d:visit:99999999999999999999:banner", "nud:d:💥:💥", "nud:h:visit:1",
    "nud:d:visit:²:banner", "nud:x:visit:1:banner", "log:z:💥", "log:h:1:pigeon",
    "rev:99999999:4", "rev:2026:9", "rev:2026", "rev:²:1",
    "stf:page:99999999999999999999", "stf:off:²:0", "stf:duty:1:nonsense:0", "stf:role:1:king:0",
    "stf:setm:1:99999999999999999999:0", "stf", "acc:ok:99999999999999999999:staff", "acc:ok:5:king",
    "inv:king", "inv", "imp:go:99999999999999999999", "imp:go", "lang",
    "f", "f:abcdef", "f:abcdef:d:99999999999999999999",
)


def test_forged_buttons_are_refused_quietly(world: World, host: Person,
                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for data in FORGED:
        before = len(world.toasts)
        host.press_data(data)
        assert len(world.toasts) == before + 1, data  # the press is answered with a notice
    assert not any("went wrong" in message.text for message in host.messages)
    assert not tracebacks(caplog), tracebacks(caplog)
    host.send("/visit 1")
    assert "Visit #1" in host.last.text  # the bot goes on as before


def test_a_forged_date_in_a_form_button_is_refused(world: World, host: Person,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    host.send("/new")
    token = host.last.button("Cancel").data.split(":")[1]
    for arg in ("99999999999999999999", "²", "-1", "7"):
        host.press_data(f"f:{token}:d:{arg}")
        assert "went wrong" not in host.last.text
    assert not tracebacks(caplog), tracebacks(caplog)


def test_a_forged_tick_in_a_form_is_refused_and_nothing_is_ticked(world: World, host: Person) -> None:
    host.send("/new").send("Acme").press("New client: Acme").press("Germany").press("Skip")
    assert "Who is visiting" in host.last.text
    token = host.last.button("Cancel").data.split(":")[1]
    host.press_data(f"f:{token}:m:<b>forged</b>")
    assert world.toasts[-1] == "This form has expired."
    host.send("Anna Schmidt / CTO").press("Class C")
    host.send("/cancel").press("Yes")
    assert "forged" not in host.sees_text()


def test_a_visit_button_with_more_than_it_should_carry_is_refused(world: World, host: Person,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    before = len(host.messages)
    host.press_data("vis:show:1:room")
    assert world.toasts[-1] == "This button is no longer valid."
    assert len(host.messages) == before  # no card
    assert not [record for record in caplog.records if record.exc_info]
    host.press_data("vis:show:1")
    assert "Visit #1" in host.last.text


def test_a_done_button_of_an_older_message_still_ticks_its_item(world: World, host: Person) -> None:
    at(world, "2026-11-25 10:00")  # the day before: the room is due
    world.tick()
    host.press_data("nud:d:visit:1:venue")
    venue = next(n for n in world.dispatcher.services.nudges.for_visit(1) if n.item == "venue")
    assert venue.state is NudgeState.DONE and venue.done_by == 1
    host.press_data("nud:d:visit:1:venue")
    assert world.toasts[-1] == "This item is already done."
