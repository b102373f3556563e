"""Who is who across messengers: each platform identity (``telegram:<id>``, ``feishu:<open_id>``) and
the person id the core keys everything on (staff, visits, nudges, callback data), in one small table.

A person is one staff record, whichever messengers they use. The core keys people on integers, as
Telegram gives them, so:

- a Telegram account is its own person (``telegram:123`` is person 123) unless it was linked to
  someone (``/link``): only linked Telegram accounts have a row, so the data of a bot that only
  ever ran on Telegram needs no row at all, and a flood of strangers writes none;
- a Feishu account gets a number the first time the transport meets it, ``2**52 + n`` where ``n``
  is its row's number (Telegram's user ids have at most 52 significant bits), and a row saying so.

Linking points an identity at another person (``link``); that person's messages then reach them
on either messenger. A Feishu account's own number stays theirs too, as an address: the answer
to the ``/start`` that linked it was addressed to it.

The same table numbers Feishu's group chats (``-(2**52 + n)``, negative like a Telegram group's,
so the core treats them as groups) and remembers each person's private chat with the bot
(``p2p``), so a button pressed there answers in that chat. Rows are never removed, so no number
is given twice.

The table is written on the core thread (``Runner.call``, or a handler) and read from memory on
any thread afterwards (the transports translate every update and every message through it).
"""

from __future__ import annotations

from tinydb.table import Document, Table

from bot.storage import on_rollback

TABLE = "identities"
BASE = 2**52
TELEGRAM, FEISHU = "telegram", "feishu"
PERSON, GROUP, P2P = "person", "group", "p2p"


def identity(platform: str, key: object) -> str:
    """``telegram:123``, ``feishu:ou_…``: how a person is named on one platform."""
    return f"{platform}:{key}"


def platform_of(name: str) -> str:
    return name.partition(":")[0]


def telegram_id(name: str) -> int | None:
    """The Telegram user id in ``telegram:<id>``; None for anything else."""
    platform, _, key = name.partition(":")
    return int(key) if platform == TELEGRAM and key.isdigit() else None


class Identities:
    """The mapping, both ways, kept in memory; with the names learnt of Feishu people."""

    def __init__(self, table: Table) -> None:
        self._table = table
        self._rows: dict[tuple[str, str], int] = {}  # (kind, key) -> row number
        self._people: dict[str, int] = {}  # identity -> person
        self._names: dict[str, str] = {}
        # person -> platform -> identity; a Feishu account's own number names it too (see above).
        self._reverse: dict[int, dict[str, str]] = {}
        self._group_ids: dict[str, int] = {}  # a Feishu group chat -> the core's chat id
        self._groups: dict[int, str] = {}
        self._private: dict[str, int] = {}  # a Feishu private chat -> its person
        self._last = 0  # the highest row number
        self._load()
        on_rollback(table, self._load)  # a write undone: back to what the disk holds

    def _load(self) -> None:
        for index in (self._rows, self._people, self._names, self._reverse, self._group_ids, self._groups,
                      self._private):
            index.clear()
        self._last = 0
        for doc in self._table.all():
            self._remember(doc.doc_id, doc)

    def _remember(self, number: int, doc: dict[str, object]) -> None:
        kind, key, person = str(doc["kind"]), str(doc["key"]), int(str(doc["id"]))
        self._rows[kind, key] = number
        self._last = max(self._last, number)
        if kind == PERSON:
            old = self._people.get(key)
            if old is not None and old != person:
                self._reverse.get(old, {}).pop(platform_of(key), None)
            self._people[key] = person
            self._names[key] = str(doc.get("name") or "")
            self._reverse.setdefault(person, {})[platform_of(key)] = key
            if platform_of(key) != TELEGRAM:
                self._reverse.setdefault(BASE + number, {})[platform_of(key)] = key
        elif kind == GROUP:
            self._group_ids[key] = person
            self._groups[person] = key
        elif kind == P2P:
            self._private[key] = person

    # ---- reads: any thread, from memory -----------------------------------------------------

    def person(self, name: str) -> int | None:
        """The person ``name`` is; a Telegram account without a row is its own; None: not met yet."""
        known = self._people.get(name)
        return known if known is not None else telegram_id(name)

    def name(self, name: str) -> str:
        """The name learnt for a Feishu identity ("" if none)."""
        return self._names.get(name, "")

    def on(self, person: int, platform: str) -> str | None:
        """``person``'s identity on ``platform`` (where to send them a message), if they have one."""
        found = self._reverse.get(person, {}).get(platform)
        if found is None and platform == TELEGRAM and 0 < person < BASE:
            own = identity(TELEGRAM, person)
            return own if self._people.get(own, person) == person else None
        return found

    def of(self, person: int) -> list[str]:
        """Every identity of ``person`` (none for someone never met on any messenger)."""
        found = [self.on(person, platform) for platform in (TELEGRAM, FEISHU)]
        return [name for name in found if name is not None and self.person(name) == person]

    def telegram_person(self, user_id: int) -> int:
        """The person a Telegram account is (itself, unless linked)."""
        return self._people.get(identity(TELEGRAM, user_id), user_id)

    def telegram_chat(self, chat_id: int) -> int | None:
        """The Telegram chat of the core's ``chat_id``: a group's is itself, a person's is their
        Telegram account's (None: the person has none)."""
        if chat_id < 0:
            return chat_id
        found = self.on(chat_id, TELEGRAM)
        return None if found is None else telegram_id(found)

    def chat(self, key: str) -> int | None:
        """The core's id of a Feishu chat met before (``feishu:oc_…``): a group's, or the person's
        of a private chat."""
        known = self._group_ids.get(key)
        return known if known is not None else self._private.get(key)

    def group(self, chat_id: int) -> str | None:
        return self._groups.get(chat_id)

    # ---- writes: on the core thread -------------------------------------------------------------

    def add(self, name: str, display: str = "") -> int:
        """The person ``name`` is, given a number of their own if new; a name learnt later is kept."""
        known = self._people.get(name)
        if known is not None:
            if display and display != self._names.get(name):
                self._table.update({"name": display}, doc_ids=[self._rows[PERSON, name]])
                self._names[name] = display
            return known
        number = self._last + 1
        self._insert(number, {"kind": PERSON, "key": name, "id": BASE + number, "name": display})
        return BASE + number

    def add_group(self, key: str) -> int:
        """A Feishu group chat's id, added if new."""
        known = self._group_ids.get(key)
        if known is not None:
            return known
        number = self._last + 1
        self._insert(number, {"kind": GROUP, "key": key, "id": -(BASE + number)})
        return -(BASE + number)

    def private_chat(self, key: str, person: int) -> None:
        """Notes that ``key`` is ``person``'s private chat with the bot."""
        if self._private.get(key) != person:
            self._put(P2P, key, person)

    def link(self, name: str, person: int) -> None:
        """``name`` is ``person`` from now on, and so are the private chats it had."""
        before = self.person(name)
        self._put(PERSON, name, person)
        if before is not None and before != person:
            for key in [key for key, chat in self._private.items() if chat == before]:
                self._put(P2P, key, person)

    def _put(self, kind: str, key: str, person: int) -> None:
        row = self._rows.get((kind, key))
        doc: dict[str, object] = {"kind": kind, "key": key, "id": person}
        if row is None:
            self._insert(self._last + 1, doc)
            return
        self._table.update({"id": person}, doc_ids=[row])
        self._remember(row, {**doc, "name": self._names.get(key, "")})

    def _insert(self, number: int, doc: dict[str, object]) -> None:
        # Numbered by us rather than by TinyDB, so that a person's or a group's number is written
        # with its row, in one write.
        self._table.insert(Document(doc, doc_id=number))
        self._remember(number, doc)
