"""Feishu's string ids as the integers the core keys people and chats on, kept in one small table.

Feishu names a person by an ``open_id`` (``ou_…``, per app) and a chat by a ``chat_id`` (``oc_…``);
the core, its staff records and its callback data use integer ids, as Telegram gives them. Rather
than reshape the core, the transport gives each Feishu id a stable integer the first time it sees
it, in ranges no Telegram id reaches (Telegram's user ids have at most 52 significant bits):

- a person: ``2**52 + n``, a positive id like a Telegram user's, so that a private chat is the
  person's own id (as in Telegram) and buttons that carry a user id (approve, staff) read it;
- a group chat: ``-(2**52 + n)``, negative like a Telegram group's, so the core treats it as a group.

``n`` is the row's number in the ``feishu_ids`` table, which never goes back. A person's private
chat (``p2p``, its own ``oc_…``) is remembered too, so a button pressed there answers in that
person's chat. The table is written on the core thread (``Runner.call``) when a new id is met, and
read from memory afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

from tinydb.table import Table

from bot.settings import Settings
from bot.storage import Database, on_rollback

TABLE = "feishu_ids"
BASE = 2**52
USER, GROUP, P2P = "user", "group", "p2p"


@dataclass(frozen=True, slots=True)
class Person:
    """A Feishu user as far as the bot knows them: their id here, open_id and name (may be "")."""

    id: int
    open_id: str
    name: str = ""


class FeishuIds:
    """The mapping, both ways, with the names learnt of people."""

    def __init__(self, table: Table) -> None:
        self._table = table
        self._by_key: dict[tuple[str, str], int] = {}
        self._open_ids: dict[int, str] = {}
        self._groups: dict[int, str] = {}
        self._names: dict[int, str] = {}
        self._load()
        on_rollback(table, self._load)  # a write undone: back to what the disk holds

    def _load(self) -> None:
        for index in (self._by_key, self._open_ids, self._groups, self._names):
            index.clear()
        for doc in self._table.all():
            self._remember(doc.doc_id, doc)

    def _remember(self, number: int, doc: dict[str, object]) -> None:
        kind, key = str(doc["kind"]), str(doc["key"])
        if kind == USER:
            self._by_key[USER, key] = BASE + number
            self._open_ids[BASE + number] = key
            self._names[BASE + number] = str(doc.get("name") or "")
        elif kind == GROUP:
            self._by_key[GROUP, key] = -(BASE + number)
            self._groups[-(BASE + number)] = key
        elif kind == P2P:
            self._by_key[P2P, key] = int(str(doc["user"]))

    # ---- reads: any thread, from memory -----------------------------------------------------

    def known_user(self, open_id: str) -> Person | None:
        number = self._by_key.get((USER, open_id))
        return None if number is None else Person(number, open_id, self._names.get(number, ""))

    def known_chat(self, chat_id: str) -> int | None:
        """The core's id of a chat met before: a group's, or the person's of a private chat."""
        return self._by_key.get((GROUP, chat_id), self._by_key.get((P2P, chat_id)))

    def open_id(self, number: int) -> str | None:
        return self._open_ids.get(number)

    def group(self, number: int) -> str | None:
        return self._groups.get(number)

    # ---- writes: on the core thread -------------------------------------------------------------

    def user(self, open_id: str, name: str = "") -> Person:
        """The person with this open_id, added if new; a name learnt later is kept."""
        known = self.known_user(open_id)
        if known is not None:
            if name and name != known.name:
                self._table.update({"name": name}, doc_ids=[known.id - BASE])
                self._names[known.id] = name
                return Person(known.id, open_id, name)
            return known
        number = self._add({"kind": USER, "key": open_id, "name": name})
        return Person(BASE + number, open_id, name)

    def chat(self, chat_id: str) -> int:
        """A group chat's id, added if new."""
        known = self._by_key.get((GROUP, chat_id))
        if known is not None:
            return known
        return -(BASE + self._add({"kind": GROUP, "key": chat_id}))

    def private_chat(self, chat_id: str, person: int) -> None:
        """Notes that ``chat_id`` is ``person``'s private chat with the bot."""
        if self._by_key.get((P2P, chat_id)) != person:
            self._add({"kind": P2P, "key": chat_id, "user": person})

    def _add(self, doc: dict[str, object]) -> int:
        # TinyDB numbers a new row one past the highest; rows are never removed, so no number
        # is ever given twice.
        number = self._table.insert(doc)
        self._remember(number, doc)
        return number


def with_feishu_admins(settings: Settings, db: Database) -> Settings:
    """``settings`` with the ``feishu:<open_id>`` admins of ``BOT_ADMIN_IDS`` among the admin ids."""
    if not settings.feishu_admin_open_ids:
        return settings
    ids = FeishuIds(db.table(TABLE))
    with db.unit():
        admins = {ids.user(open_id).id for open_id in sorted(settings.feishu_admin_open_ids)}
    return settings.model_copy(update={"bot_admin_ids": settings.bot_admin_ids | admins})
