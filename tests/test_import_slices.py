"""The Import button writes a sheet a slice of the core at a time: others are answered in between,
what changes meanwhile is taken into account, and a write failing midway keeps whole rows of the
slices before it, the rest imported by sending the same file again, nothing twice."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.events import Event
from bot.core.slices import Budget
from bot.domain.clients import Contact
from bot.handlers import importing
from tests.support.chat import Person, World
from tests.test_import import admin, clients, invited, upload

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_time_per_slice(monkeypatch: pytest.MonkeyPatch) -> None:
    # However fast this machine, each slice takes the least it may: ``ROWS_AT_A_TIME`` rows.
    monkeypatch.setattr(importing, "Budget", lambda: Budget(0), raising=False)


def sheet(rows: int) -> bytes:
    lines = "".join(f"Client {n:04d},Contact {n}\n" for n in range(rows))
    return ("Client name,Contact\n" + lines).encode()


def press_import(me: Person, rows: int) -> Event:
    message = next(m for m in reversed(me.messages) if m.buttons)
    return Event(me.user, me.id, callback_data=message.button(f"Import {rows} rows").data, callback_id="q",
                 message_id=message.message_id)


def test_the_import_goes_in_slices_and_others_are_answered_in_between(world: World) -> None:
    me = admin(world, "en")
    colleague = invited(world, "staff member", 70)
    upload(me, "clients.csv", sheet(200))
    press = press_import(me, 200)
    actions, aside = world.dispatcher.turn(press)
    world.deliver(actions)
    service = world.dispatcher.services.clients
    turns = 0
    while aside is not None:
        actions, aside = world.dispatcher.resume(press, aside.done())
        world.deliver(actions)
        turns += 1
        before = len(colleague.messages)
        colleague.send("/today")  # between two turns of the core given to the import
        assert len(colleague.messages) == before + 1
        if turns == 2:
            # Meanwhile someone saves a client named in a later row, and takes the next id.
            service.create("Client 0150", by=70, now=NOW)
            me.press_data(press.callback_data or "", press.message_id or 0)  # Import pressed again
            assert world.toasts[-1] == "This file has been dealt with already. Send it again to import it."
    assert turns == 8  # 200 rows, 25 a slice (``ROWS_AT_A_TIME``)
    assert "Imported (new clients: 199, new contacts: 200)" in me.last.text
    imported = clients(world)
    assert len(imported) == 200 and imported["Client 0150"] == ["Contact 150"]
    assert all(contacts == [f"Contact {int(name[-4:])}"] for name, contacts in imported.items())
    assert service.search("Client 0199")[0].name == "Client 0199"


def test_a_write_failing_midway_keeps_the_rows_before_and_the_same_file_imports_the_rest(
        world: World) -> None:
    me = admin(world, "en")
    # Acme's contacts span the first two slices (rows 2-26, then 27-51 of the sheet).
    rows = [f"Client {n:04d},Contact {n}\n" for n in range(60)]
    rows[24:24] = ["Acme,Bob\n", "Acme,Carol\n"]
    content = ("Client name,Contact\n" + "".join(rows)).encode()
    upload(me, "clients.csv", content)
    store = world.dispatcher.services.clients.contact_store
    original = store.insert_many
    calls = []

    def disk_full_at_the_third_slice(items: list[Contact]) -> None:
        calls.append(len(items))
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        original(items)

    store.insert_many = disk_full_at_the_third_slice  # type: ignore[method-assign]
    me.press("Import 62 rows")
    assert ("Importing clients.csv stopped at row 52: the rows before it are imported (new clients: 49, "
            "new contacts: 50), the rest is not.") in me.last.text
    world.restart()  # what the slices before wrote is on disk, whole rows of it
    imported = clients(world)
    assert len(imported) == 49 and imported["Acme"] == ["Bob", "Carol"]
    assert sum(len(contacts) for contacts in imported.values()) == 50

    upload(me, "clients.csv", content)
    assert "12 rows can be imported (new clients: 12, new contacts: 12)" in me.last.text
    me.press("Import 12 rows")
    assert "Imported (new clients: 12, new contacts: 12)" in me.last.text
    imported = clients(world)
    assert len(imported) == 61 and imported["Acme"] == ["Bob", "Carol"]
    others = {name: contacts for name, contacts in imported.items() if name != "Acme"}
    assert all(contacts == [f"Contact {int(name[-4:])}"] for name, contacts in others.items())
