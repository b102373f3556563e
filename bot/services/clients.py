"""Clients and contacts: finding a company by any part of its name, creating one only once, and
remembering each visitor once however often they come.

Finding: "华为", "为", "huawei", "hw" and "華為" all find 华为. Converting names to pinyin is slow
(the slowest part of a search by far), so ``NameIndex`` converts each name once, when the service
first searches, and again only when a name is written; a query then costs a few string comparisons per client.
Every write of a client goes through this service, which is what keeps the index true.
"""

from __future__ import annotations

import heapq
import re
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache

from bot.domain.clients import Client, Contact, ImportantDate, fold, greeting_name, has_han
from bot.domain.pinyin import Style, lazy_pinyin, pinyin
from bot.repositories.clients import ClientRepository, ContactRepository
from bot.repositories.imports import PendingImports, Rows

# Ranks of a match: the whole name, its start, or inside it; then how it matched.
EXACT, PREFIX, INSIDE = 0, 1, 2
AS_TYPED, PINYIN, INITIALS, OTHER_SCRIPT = 0, 1, 2, 3
_NOT_LATIN = re.compile(r"[^0-9a-z]+")
_WORD = re.compile(r"\w+")
# Separates the tails in ``_Entry.tails``, so a query can only match from the start of a syllable.
_SEP = "\0"
# The letters kept of each tail. Whole tails made a name's index grow with the square of its length
# (a 20,000-character name took 2.3 GB); no query typed in practice is this long, and a longer one is
# looked for by its first ``TAIL`` letters and then checked against the whole pinyin.
TAIL = 64


class DuplicateContact(ValueError):
    """Another contact of the same client already has this name (the same person)."""

    def __init__(self, existing: Contact) -> None:
        super().__init__(f"client {existing.client_id} already has contact {existing.name!r}")
        self.existing = existing


@dataclass(frozen=True)
class _Entry:
    """One client name, prepared for every kind of query."""

    name: str  # folded
    pinyin: str  # "huawei"
    # Where each syllable starts in ``pinyin``: (0, 3).
    starts: tuple[int, ...]
    tails: str  # "\0huawei\0wei": the pinyin from each syllable on, each cut to ``TAIL`` letters
    initials: str  # "hw"
    initial_tails: str  # "\0hw\0w"
    # The readings of each Chinese character (with tones, every reading of a heteronym), so a name in
    # one script is found by a query in the other: 華為 and 华为 are both hua2 wei4.
    readings: tuple[frozenset[str], ...]

    def holds_from_a_syllable(self, latin: str) -> bool:
        """Whether the pinyin holds ``latin`` from the start of one of its syllables."""
        if len(latin) <= TAIL:
            return _SEP + latin in self.tails
        return any(self.pinyin.startswith(latin, start) for start in self.starts)

    def initials_hold(self, latin: str) -> bool:
        """Whether the initials hold ``latin`` (each initial starts a syllable)."""
        return latin in self.initials

    def distinct_readings(self) -> set[str]:
        """Every reading of any of the name's characters, each once."""
        return set().union(*self.readings)


@lru_cache(maxsize=20_000)
def _readings(char: str) -> frozenset[str]:
    return frozenset(pinyin(char, style=Style.TONE3, heteronym=True)[0])


def _entry(name: str) -> _Entry:
    folded = fold(name)
    syllables = [word for part in lazy_pinyin(folded) for word in _WORD.findall(part)]
    full, initials = "".join(syllables), "".join(s[0] for s in syllables)
    starts, at = [], 0
    for syllable in syllables:
        starts.append(at)
        at += len(syllable)
    han = tuple(_readings(char) for char in folded if has_han(char))
    tails = "".join(_SEP + full[start:start + TAIL] for start in starts)
    initial_tails = "".join(_SEP + initials[i:i + TAIL] for i in range(len(initials)))
    return _Entry(folded, full, tuple(starts), tails, initials, initial_tails, han)


class _Column:
    """One field of every entry in one string, one entry a line, so that finding which entries hold a
    query is ``str.find`` over the whole (a few microseconds) rather than a test per entry in Python
    (noticeable with thousands of clients, on every step of /new that names a client)."""

    def __init__(self, values: list[str]) -> None:
        self.text = "\n".join(values)  # folded names and pinyin hold no line break
        self.starts, at = [], 0
        for value in values:
            self.starts.append(at)
            at += len(value) + 1

    def append(self, value: str) -> None:
        """One more entry at the end."""
        if self.starts:
            self.starts.append(len(self.text) + 1)
            self.text += "\n" + value
        else:
            self.starts.append(0)
            self.text = value

    def holding(self, needle: str) -> Iterator[int]:
        """The positions (in the list given) of the values that contain ``needle``."""
        at = self.text.find(needle)
        while at >= 0:
            index = bisect_right(self.starts, at) - 1
            yield index
            if index + 1 == len(self.starts):
                return
            at = self.text.find(needle, self.starts[index + 1])


class NameIndex:
    """Client names in memory, ready to be searched; ``put`` on every write, ``search`` to find."""

    def __init__(self) -> None:
        self._entries: dict[int, _Entry] = {}
        # The entries' ids and their names, pinyin tails and initials' tails as columns; made again
        # at the first search after a write.
        self._columns: tuple[list[int], _Column, _Column, _Column] | None = None
        self._by_name: dict[str, int] = {}
        # reading ("hua2") → ids of clients with a character read so, to find other-script candidates;
        # each id once, in arrays of machine integers: sets of ids took ten times the memory (a
        # client's readings are tens of entries; a search makes sets of the few readings it asks).
        self._by_reading: dict[str, array[int]] = {}

    def put(self, client_id: int, name: str) -> None:
        """Adds a client's name, or replaces it after a rename. A new client is added to the end of
        the columns, which are made again only after a rename or a removal: making them costs a
        search a few milliseconds with ten thousand clients, and every Save of a visit for a new
        client, or any change to a client, would otherwise cost the next search that."""
        old = self._entries.get(client_id)
        if old is not None and old.name == fold(name):
            return  # the same name: nothing a search sees changes
        self.remove(client_id)
        entry = self._entries[client_id] = _entry(name)
        if self._columns is not None:
            ids, *columns = self._columns
            ids.append(client_id)
            for column, value in zip(columns, (entry.name, entry.tails, entry.initial_tails), strict=True):
                column.append(value)
        self._by_name.setdefault(entry.name, client_id)
        for reading in entry.distinct_readings():
            self._by_reading.setdefault(reading, array("i")).append(client_id)

    def remove(self, client_id: int) -> None:
        entry = self._entries.pop(client_id, None)
        if entry is None:
            return
        self._columns = None
        if self._by_name.get(entry.name) == client_id:
            del self._by_name[entry.name]
        for reading in entry.distinct_readings():
            self._by_reading[reading].remove(client_id)

    def named(self, name: str) -> int | None:
        """The client with this very name, however it is cased or spaced."""
        return self._by_name.get(fold(name))

    def search(self, query: str, limit: int) -> list[int]:
        """Ids of the best matches: exact, then prefix, then inside; as typed before pinyin."""
        text = fold(query)
        if not text:
            return []
        if _all_han(text):
            found = self._by_characters(text)
        else:
            latin = "" if has_han(text) else _NOT_LATIN.sub("", text)
            found = self._by_columns(text, latin)
        return heapq.nsmallest(limit, found, key=lambda cid: (*found[cid], len(self._entries[cid].name), cid))

    def _by_columns(self, text: str, latin: str) -> dict[int, tuple[int, int]]:
        """The names that hold the query as typed, or its letters in their pinyin or initials."""
        ids, names, tails, initials = self._searchable()
        matched = set(names.holding(text))
        if latin:  # from the start of a syllable of the pinyin, or of the initials
            near = {*tails.holding(_SEP + latin[:TAIL]), *initials.holding(_SEP + latin[:TAIL])}
            if len(latin) > TAIL:  # found by its first letters: the rest is checked on the whole
                near = {i for i in near if self._entries[ids[i]].holds_from_a_syllable(latin)
                        or self._entries[ids[i]].initials_hold(latin)}
            matched.update(near)
        return {ids[i]: _rank(self._entries[ids[i]], text, latin) for i in matched}

    def _by_characters(self, text: str) -> dict[int, tuple[int, int]]:
        """A query of Chinese characters only: the names that hold it as typed, then those whose
        characters read like it (the query typed in the other script).

        Readings cannot tell 華/华 (a script) from 鞍/安 (a homophone), so these rank after matches
        as typed that are as good (whole name, prefix, inside). A name that holds the query holds
        its characters' readings too, so only the names with a reading of each of its characters
        are looked at: a dozen, where looking for the query in every client's name as well
        (``_by_columns``) was most of the time a step of /new that names a client took.
        """
        wanted = [_readings(char) for char in text]
        if not all(wanted):  # a character of no reading at all: only the names that hold it as typed
            return self._by_columns(text, "")
        candidates: set[int] | None = None
        # The rarest character first: the set made is the smallest, and the others only filter it.
        for readings in sorted(set(wanted), key=self._named_with):
            ids = (client_id for reading in readings for client_id in self._by_reading.get(reading, ()))
            candidates = set(ids) if candidates is None else candidates.intersection(ids)
        found = {}
        for client_id in candidates or ():
            entry = self._entries[client_id]
            if text in entry.name:
                found[client_id] = _rank(entry, text, "")
                continue
            where = _reads_like(entry.readings, wanted)
            if where is not None:
                found[client_id] = (where, OTHER_SCRIPT)
        return found

    def _named_with(self, readings: frozenset[str]) -> int:
        """How many names hold a character of these readings (at most: a name may count twice)."""
        return sum(len(self._by_reading.get(reading, ())) for reading in readings)

    def _searchable(self) -> tuple[list[int], _Column, _Column, _Column]:
        if self._columns is None:
            ids = list(self._entries)
            entries = [self._entries[client_id] for client_id in ids]
            self._columns = (ids, _Column([e.name for e in entries]), _Column([e.tails for e in entries]),
                             _Column([e.initial_tails for e in entries]))
        return self._columns


def _all_han(text: str) -> bool:
    return all(has_han(char) for char in text)


def _reads_like(have: tuple[frozenset[str], ...], wanted: list[frozenset[str]]) -> int | None:
    """Where a name's characters (their readings, ``have``) read like the query's (``wanted``) one
    after the other: the whole name, its start or inside it; None if nowhere."""
    first, rest = wanted[0], list(enumerate(wanted))[1:]
    for start in range(len(have) - len(wanted) + 1):
        if not first.isdisjoint(have[start]) and all(
                not have[start + j].isdisjoint(readings) for j, readings in rest):
            return EXACT if len(have) == len(wanted) else PREFIX if start == 0 else INSIDE
    return None


def _rank(entry: _Entry, text: str, latin: str) -> tuple[int, int]:
    """How well a name that matched matches: as typed first, then by pinyin, then by initials."""
    if text in entry.name:
        return (EXACT if text == entry.name else PREFIX if entry.name.startswith(text) else INSIDE), AS_TYPED
    full, how = (entry.pinyin, PINYIN) if entry.holds_from_a_syllable(latin) else (entry.initials, INITIALS)
    return (EXACT if latin == full else PREFIX if full.startswith(latin) else INSIDE), how


class ClientService:
    """Client companies and their contacts; the only writer of both, so the name index stays true;
    and the sheet of them each admin sent last, until it is imported or cancelled."""

    def __init__(self, clients: ClientRepository, contacts: ContactRepository, *,
                 pending: PendingImports) -> None:
        self.clients = clients
        self.contact_store = contacts
        self.pending = pending
        self._index: NameIndex | None = None
        # Names not yet in the index while it is built in slices by ``warm``.
        self._unindexed: list[tuple[int, str]] = []
        clients.on_rollback(self._forget_names)

    def warm(self, names: int) -> bool:
        """Adds up to ``names`` names to the index; True once it is complete.

        A start calls this in slices of a few hundred (a tenth of a second each) until it is done,
        so the first search does not wait for the whole index (about 1 s at 5,000 clients) and nobody
        typing meanwhile waits for more than a slice.
        """
        if self._index is None:
            self._index = NameIndex()
            self._unindexed = self.clients.names()
        batch, self._unindexed = self._unindexed[:names], self._unindexed[names:]
        for client_id, name in batch:
            self._index.put(client_id, name)
        return not self._unindexed

    # ---- clients ------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 8) -> list[Client]:
        """Clients whose name holds ``query`` as typed, in pinyin ("huawei") or its initials ("hw"),
        or in the other Chinese script; whole-name and prefix matches first."""
        found = (self.clients.get(client_id) for client_id in self._names().search(query, limit))
        return [client for client in found if client is not None]

    def all(self) -> list[Client]:
        return self.clients.all()

    def get(self, client_id: int) -> Client | None:
        return self.clients.get(client_id)

    def named(self, name: str) -> Client | None:
        """The client with this name, ignoring case, width and spacing ("ＡＣＭＥ" is "Acme")."""
        client_id = self._names().named(name)
        return self.clients.get(client_id) if client_id is not None else None

    def create(self, name: str, *, country: str = "CN", industry: str = "", default_class: str = "C",
               by: int, now: datetime, account_manager: int | None = None) -> Client:
        """Stores a new client; a name already taken returns the existing client unchanged instead.

        Two records of one company would split its contacts and history, so a duplicate is refused
        quietly: the caller gets the company it meant (compare ``created_at`` to tell, if needed).
        """
        name = " ".join(name.split())
        if not name:
            raise ValueError("a client needs a name")
        existing = self.named(name)
        if existing is not None:
            return existing
        client = Client(self.clients.next_id(), name, now, by, country=country.strip().upper() or "CN",
                        industry=industry.strip(), default_class=default_class,
                        account_manager=account_manager)
        return self.update(client)

    def update(self, client: Client) -> Client:
        """Stores a changed client (a rename is re-indexed)."""
        saved = self.clients.save(client)
        self._names().put(saved.id, saved.name)
        return saved

    def next_ids(self) -> tuple[int, int]:
        """The ids the next new client and the next new contact will get (``import_all`` takes them)."""
        return self.clients.next_id(), self.contact_store.next_id()

    def import_all(self, clients: list[Client], contacts: list[Contact]) -> None:
        """Stores new clients and contacts (ids from ``next_id`` onwards) all or nothing.

        One write per table; if the contacts' write fails, the clients just written are removed again
        before the error is re-raised.
        """
        self.clients.insert_many(clients)
        try:
            self.contact_store.insert_many(contacts)
        except BaseException:
            self.clients.delete_many([client.id for client in clients])
            raise
        index = self._names()
        for client in clients:
            index.put(client.id, client.name)

    def hold_sheet(self, user_id: int, filename: str, rows: Rows) -> int:
        """Keeps the checked rows of the sheet an admin sent until they press Import or Cancel (a
        restart meanwhile loses nothing); returns the number that names this sheet in the buttons."""
        return self.pending.put(user_id, filename, rows)

    def held_sheet(self, user_id: int, serial: int) -> tuple[str, Rows] | None:
        """The name and rows of the admin's sheet numbered ``serial``; None once dealt with or replaced."""
        return self.pending.get(user_id, serial)

    def drop_sheet(self, user_id: int) -> None:
        """Forgets the admin's held sheet (an old button then finds nothing)."""
        self.pending.drop(user_id)

    def add_date(self, client_id: int, important: ImportantDate) -> Client:
        """Remembers a founding or partnership anniversary; the list stays in calendar order."""
        client = self._client(client_id)
        dates = sorted((*client.dates, important), key=lambda d: (d.day.month, d.day.day, d.label))
        return self.update(replace(client, dates=tuple(dates)))

    def set_notes(self, client_id: int, notes: str) -> Client:
        return self.update(replace(self._client(client_id), notes=notes.strip()))

    # ---- contacts -----------------------------------------------------------------------------

    def contacts(self, client_id: int) -> list[Contact]:
        """The client's contacts in the order they were added."""
        return self.contact_store.for_client(client_id)

    def contact(self, contact_id: int) -> Contact | None:
        return self.contact_store.get(contact_id)

    def contact_named(self, client_id: int, name: str) -> Contact | None:
        """The client's contact with this name: the same name at the same client is the same person."""
        wanted = fold(name)
        return next((c for c in self.contacts(client_id) if fold(c.name) == wanted), None)

    def find_or_add_contact(self, client_id: int, name: str, title: str = "") -> Contact:
        """The known contact of that name (its title updated if a new one is given), else a new one
        who speaks the language of the client's country until someone says otherwise."""
        known = self.contact_named(client_id, name)
        if known is None:
            language = language_of_country(self._client(client_id).country)
            return self.add_contact(client_id, name, title=title, language=language)
        if title.strip() and title.strip() != known.title:
            return self.contact_store.save(replace(known, title=title.strip()))
        return known

    def add_contact(self, client_id: int, name: str, *, title: str = "", phone: str = "", email: str = "",
                    birthday: date | None = None, language: str = "zh_Hans", dietary: str = "") -> Contact:
        """Stores a contact; if the client already has one of that name, that person is updated."""
        self._client(client_id)
        known = self.contact_named(client_id, name)
        contact = Contact(known.id if known else self.contact_store.next_id(), client_id,
                          " ".join(name.split()), title=title.strip(), phone=phone.strip(),
                          email=email.strip(), birthday=birthday, language=language, dietary=dietary.strip())
        if known is not None:  # what this form does not ask stays as it was
            contact = replace(contact, nationality=known.nationality, notes=known.notes, tags=known.tags)
        return self.contact_store.save(contact)

    def update_contact(self, contact: Contact) -> Contact:
        """Stores a changed contact; raises DuplicateContact when renamed to a colleague's name."""
        other = self.contact_named(contact.client_id, contact.name)
        if other is not None and other.id != contact.id:
            raise DuplicateContact(other)
        return self.contact_store.save(contact)

    def forget_bare_contact(self, contact_id: int) -> bool:
        """Deletes a contact that holds nothing but a name and title (what a visitor typed on a form
        gives); one someone has since told more about (a phone, a birthday, notes...) stays. True
        if it was deleted."""
        contact = self.contact_store.get(contact_id)
        if contact is None or any((contact.phone, contact.email, contact.birthday, contact.nationality,
                                   contact.dietary, contact.notes, contact.tags)):
            return False
        self.contact_store.delete(contact_id)
        return True

    @staticmethod
    def greeting_name(contact: Contact, locale: str) -> str:
        """How the host addresses them: 张总 in Chinese, "David Lee (Purchasing Director)" otherwise."""
        return greeting_name(contact.name, contact.title, locale)

    # ---- helpers ------------------------------------------------------------------------------

    def _client(self, client_id: int) -> Client:
        client = self.clients.get(client_id)
        if client is None:
            raise LookupError(f"no client {client_id}")
        return client

    def _forget_names(self) -> None:
        self._index, self._unindexed = None, []  # built again, from the rolled-back table, when next used

    def _names(self) -> NameIndex:
        """The index, completed now if ``warm`` has not finished it."""
        if self._index is None or self._unindexed:
            while not self.warm(10_000):
                pass
        assert self._index is not None
        return self._index


def language_of_country(country: str) -> str:
    """The locale greetings and memos for a new contact start in: Chinese as written where they are."""
    if country == "CN":
        return "zh_Hans"
    if country in ("TW", "HK", "MO"):
        return "zh_Hant"
    return "en"
