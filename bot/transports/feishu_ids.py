"""Feishu's string ids as the core's integers: the Feishu view of ``bot.repositories.identities``.

Feishu names a person by an ``open_id`` (``ou_…``, per app) and a chat by a ``chat_id`` (``oc_…``);
the core, its staff records and its callback data use integer ids. A person met for the first time
gets a number of their own (``2**52 + n``, beyond every Telegram id) under the identity
``feishu:<open_id>``, unless that identity was linked to someone who came from Telegram (``/link``):
then they are that person. A group chat gets ``-(2**52 + n)``, negative like a Telegram group's, so
the core treats it as a group. A person's private chat (``p2p``, its own ``oc_…``) is remembered
too, so a button pressed there answers in that person's chat.

Written on the core thread (``Runner.call``) when a new id is met, read from memory afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.repositories.identities import FEISHU, Identities, identity

PREFIX = f"{FEISHU}:"


@dataclass(frozen=True, slots=True)
class Person:
    """A Feishu user as far as the bot knows them: the person id, open_id and name (may be "")."""

    id: int
    open_id: str
    name: str = ""


class FeishuIds:
    """The mapping, both ways, with the names learnt of people."""

    def __init__(self, identities: Identities) -> None:
        self._identities = identities

    # ---- reads: any thread, from memory -----------------------------------------------------

    def known_user(self, open_id: str) -> Person | None:
        name = identity(FEISHU, open_id)
        number = self._identities.person(name)
        return None if number is None else Person(number, open_id, self._identities.name(name))

    def known_chat(self, chat_id: str) -> int | None:
        """The core's id of a chat met before: a group's, or the person's of a private chat."""
        return self._identities.chat(identity(FEISHU, chat_id))

    def open_id(self, number: int) -> str | None:
        """Where a message to person ``number`` goes on Feishu (None: they have no Feishu account)."""
        found = self._identities.on(number, FEISHU)
        return None if found is None else found.removeprefix(PREFIX)

    def group(self, number: int) -> str | None:
        found = self._identities.group(number)
        return None if found is None else found.removeprefix(PREFIX)

    # ---- writes: on the core thread -------------------------------------------------------------

    def user(self, open_id: str, name: str = "") -> Person:
        """The person with this open_id, added if new; a name learnt later is kept."""
        key = identity(FEISHU, open_id)
        number = self._identities.add(key, name)
        return Person(number, open_id, self._identities.name(key))

    def chat(self, chat_id: str) -> int:
        """A group chat's id, added if new."""
        return self._identities.add_group(identity(FEISHU, chat_id))

    def private_chat(self, chat_id: str, person: int) -> None:
        """Notes that ``chat_id`` is ``person``'s private chat with the bot."""
        self._identities.private_chat(identity(FEISHU, chat_id), person)
