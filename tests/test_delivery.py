"""The one sending path: 429 waited out, 5xx retried, a blocked user reported, long text split."""

from __future__ import annotations

import asyncio
import threading

from bot.core.delivery import Blocked, Delivery, Rejected, RetryAfter, Transient
from bot.core.events import Action, Button, Edit, RenderDocument, Send, SendDocument
from bot.core.text import MAX_MESSAGE, split_message


class ScriptedTelegram:
    """Answers each call with the next scripted error, then succeeds; records what got through."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.delivered: list[Action] = []

    async def perform(self, action: Action) -> int | None:
        if self.errors:
            raise self.errors.pop(0)
        self.delivered.append(action)
        return len(self.delivered)


class Pauses:
    def __init__(self) -> None:
        self.taken: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.taken.append(seconds)


async def test_flood_control_waits_retry_after_then_delivers() -> None:
    telegram, pauses = ScriptedTelegram(RetryAfter(3), RetryAfter(1)), Pauses()
    outcomes = await Delivery(telegram, sleep=pauses).deliver([Send(1, "hi")])
    assert pauses.taken == [3, 1]
    assert outcomes[0].delivered
    assert telegram.delivered == [Send(1, "hi")]


async def test_server_errors_back_off_and_give_up_eventually() -> None:
    telegram, pauses = ScriptedTelegram(*[Transient("502")] * 10), Pauses()
    outcomes = await Delivery(telegram, sleep=pauses).deliver([Send(1, "hi")])
    assert not outcomes[0].delivered
    assert pauses.taken == [0.5, 1, 2, 4, 8, 16]
    assert telegram.delivered == []


async def test_blocked_user_is_reported_without_retrying() -> None:
    telegram, pauses = ScriptedTelegram(Blocked("Forbidden: bot was blocked by the user")), Pauses()
    outcomes = await Delivery(telegram, sleep=pauses).deliver([Send(5, "hi"), Send(6, "ho")])
    assert outcomes[0].blocked and not outcomes[0].delivered
    assert pauses.taken == []
    assert telegram.delivered == [Send(6, "ho")]


async def test_an_edit_that_telegram_refuses_becomes_a_new_message() -> None:
    telegram = ScriptedTelegram(Rejected("message to edit not found"))
    buttons = ((Button("OK", "ok"),),)
    await Delivery(telegram, sleep=Pauses()).deliver([Edit(1, 9, "new text", buttons)])
    assert telegram.delivered == [Send(1, "new text", buttons)]


async def test_long_text_is_split_with_buttons_on_the_last_part() -> None:
    telegram = ScriptedTelegram()
    text = "\n".join(f"<b>line {n}</b> {'x' * 80}" for n in range(120))
    buttons = ((Button("Next", "p:1"),),)
    await Delivery(telegram, sleep=Pauses()).deliver([Send(1, text, buttons)])
    sent = [a for a in telegram.delivered if isinstance(a, Send)]
    assert len(sent) == 3
    assert all(len(a.text) <= MAX_MESSAGE for a in sent)
    assert [a.buttons for a in sent] == [(), (), buttons]
    assert "".join(a.text for a in sent).count("line ") == 120


def test_split_closes_and_reopens_tags_around_a_cut() -> None:
    text = "<b>" + ("word " * 1500) + "</b>"
    parts = split_message(text)
    assert len(parts) == 2
    assert parts[0].startswith("<b>") and parts[0].endswith("</b>")
    assert parts[1].startswith("<b>") and parts[1].endswith("</b>")


def test_split_never_cuts_an_entity() -> None:
    text = "&amp;" * 1000
    for part in split_message(text):
        assert part.replace("&amp;", "") == ""


async def test_a_file_is_made_off_the_event_loop_while_other_replies_go_out() -> None:
    telegram, release = ScriptedTelegram(), threading.Event()

    def slow_pdf() -> bytes:  # stands for a second of PDF rendering
        assert release.wait(5)
        return b"%PDF"

    delivery = Delivery(telegram, sleep=Pauses())
    making = asyncio.create_task(delivery.deliver([RenderDocument(1, "form.pdf", slow_pdf, "表单")]))
    await asyncio.sleep(0.05)
    await delivery.deliver([Send(2, "今天的接待")])  # someone else is answered meanwhile
    assert telegram.delivered == [Send(2, "今天的接待")]
    release.set()
    [outcome] = await making
    assert outcome.delivered
    assert telegram.delivered[-1] == SendDocument(1, "form.pdf", b"%PDF", "表单")


async def test_a_file_that_cannot_be_made_is_an_apology_in_the_chat() -> None:
    telegram = ScriptedTelegram()

    def broken() -> bytes:
        raise ValueError("a glyph the font lacks")

    await Delivery(telegram, sleep=Pauses()).deliver(
        [RenderDocument(1, "memo.pdf", broken, if_failed="抱歉，出了点问题。")])
    assert telegram.delivered == [Send(1, "抱歉，出了点问题。")]
