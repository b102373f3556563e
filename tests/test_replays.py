"""A Telegram update handled and written, then the bot killed before Telegram heard it was handled:
Telegram hands it over again at the next start, and it must not be applied twice (``bot.core.replays``).

The chats below give each update the id Telegram would, restart the bot in between (the reply of the
first handling lost to the crash) and feed the same update again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.context import Context
from bot.core.events import Event, IncomingFile
from bot.core.replays import KEEP, PRUNE_EVERY, TABLE, HandledUpdates
from bot.flows.model import Answers, Flow, Kind, Step
from bot.storage import Database
from tests.support.chat import Message, Person, World

SAVED: list[Answers] = []


def _save(ctx: Context, answers: Answers) -> None:
    SAVED.append(answers)
    ctx.show("saved")


CONTACT = Flow(
    name="contact",
    title="contact.title",
    steps=(
        Step("client", Kind.TEXT, "contact.client?", "contact.client"),
        Step("contact", Kind.TEXT, "contact.contact?", "contact.contact"),
        Step("phone", Kind.TEXT, "contact.phone?", "contact.phone"),
    ),
    on_save=_save,
)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    SAVED.clear()
    created = World(tmp_path / "data", flows={"contact": CONTACT})
    created.clock.current = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
    yield created
    created.db.close()


def send(person: Person, update_id: int, text: str, *, lost: bool = False) -> None:
    """``person`` types ``text``, Telegram's update ``update_id``; with ``lost`` the reply never
    reaches the chat (the bot is killed right after the write)."""
    actions = person.world.dispatcher.handle(Event(person.user, person.id, text=text, update_id=update_id))
    if not lost:
        person.world.deliver(actions)


def press(person: Person, update_id: int, label: str, message: Message, *, lost: bool = False) -> None:
    event = Event(person.user, person.id, callback_data=message.button(label).data,
                  callback_id=f"cb{update_id}", message_id=message.message_id, update_id=update_id)
    actions = person.world.dispatcher.handle(event)
    if not lost:
        person.world.deliver(actions)


def test_a_typed_answer_handed_over_again_is_taken_once_and_the_question_asked_again(world: World) -> None:
    me = world.person(1, "Lin", language_code="en")
    send(me, 1, "/start")
    me.start_flow("contact")
    send(me, 2, "Acme Corp", lost=True)
    world.restart()  # killed before Telegram heard of update 2: it comes again
    send(me, 2, "Acme Corp")
    assert me.last.text.startswith("2/3 contact.contact?"), "the question the lost reply asked, again"
    send(me, 3, "Bob Li")
    assert me.last.text.startswith("3/3 contact.phone?")
    send(me, 4, "+86 138 0000 0000")
    review = me.last.text
    assert "contact.client: Acme Corp" in review and "contact.contact: Bob Li" in review
    press(me, 5, "Save", me.last)
    assert SAVED == [{"client": "Acme Corp", "contact": "Bob Li", "phone": "+86 138 0000 0000"}]


def test_a_button_that_creates_something_pressed_once_creates_it_once(world: World) -> None:
    admin = world.person(1, "Lin", language_code="en")
    send(admin, 1, "/start")
    send(admin, 2, "/invite")
    roles = admin.last
    press(admin, 3, "staff member", roles, lost=True)
    world.restart()
    press(admin, 3, "staff member", roles)
    assert world.toasts[-1] == "This was already done before the bot restarted; it was not done twice."
    send(admin, 4, "/invite")
    assert len(world.dispatcher.services.access.open_invites(world.clock.now())) == 1


def test_a_lookup_writes_nothing_and_is_answered_again(world: World) -> None:
    me = world.person(1, "Lin", language_code="en")
    send(me, 1, "/start")
    db = world.dispatcher.services.db
    send(me, 2, "/today", lost=True)
    assert not db.unsynced and not world.dispatcher.handled.handled(2)  # type: ignore[union-attr]
    world.restart()
    send(me, 2, "/today")
    assert "already done" not in me.last.text


def test_a_file_handled_after_a_later_update_is_not_taken_for_one_handed_over_again(world: World) -> None:
    me = world.person(1, "Lin", language_code="en")
    send(me, 1, "/start")
    me.start_flow("contact")
    send(me, 11, "Acme Corp")  # written while the file of update 10 was being downloaded
    sheet = IncomingFile("notes.txt", "text/plain", 5, b"hello")
    world.deliver(world.dispatcher.handle(Event(me.user, me.id, document=sheet, update_id=10)))
    assert "already done" not in me.last.text


def test_the_last_ids_recorded_are_kept_across_a_restart_and_older_ones_dropped(tmp_path: Path) -> None:
    with Database.open(tmp_path / "data") as db:
        handled = HandledUpdates(db.table(TABLE))
        for update_id in range(1, KEEP + PRUNE_EVERY + 1):
            with db.unit():
                handled.record(update_id)
    with Database.open(tmp_path / "data") as db:
        handled = HandledUpdates(db.table(TABLE))
        assert len(db.table(TABLE)) == KEEP
        assert handled.handled(KEEP + PRUNE_EVERY) and handled.handled(PRUNE_EVERY + 1)
        assert not handled.handled(PRUNE_EVERY)
