"""Clients and their contacts in TinyDB, each keyed by its id (the document id, counting up from 1).

Contacts are looked up by client on every client card and every visit form, so the repository keeps
an in-memory map client id → contact ids, built from the stored documents on first use and kept up
to date by ``save`` and ``delete`` (it is the only writer of the table).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple, TypeVar

from tinydb.table import Table

from bot.domain.clients import Client, Contact
from bot.repositories.codec import each_document, highest_id
from bot.repositories.keyed import KeyedDocuments

T = TypeVar("T")


class _Numbered(KeyedDocuments[T]):
    """Ids count up from 1 and are never reused. The highest is found once (from the last chunk's
    document ids) and then followed through ``save``."""

    def __init__(self, table: Table, kind: type[T], key: Callable[[T], int]) -> None:
        super().__init__(table, kind, key)
        self._table = table
        self._id_of = key
        self._highest: int | None = None
        self.on_rollback(self._forget_highest)

    def _forget_highest(self) -> None:
        self._highest = None

    def next_id(self) -> int:
        if self._highest is None:
            self._highest = highest_id(self._table)
        return self._highest + 1

    def save(self, item: T) -> T:
        saved = super().save(item)
        if self._highest is not None:
            self._highest = max(self._highest, self._id_of(item))
        return saved

    def insert_many(self, items: list[T]) -> None:
        super().insert_many(items)
        if self._highest is not None and items:
            self._highest = max(self._highest, *(self._id_of(item) for item in items))


class ClientRepository(_Numbered[Client]):
    def __init__(self, table: Table) -> None:
        super().__init__(table, Client, lambda client: client.id)

    def names(self) -> list[tuple[int, str]]:
        """Every client's id and name, read without decoding whole clients (for the search index)."""
        return list(each_document(self._table, lambda doc_id, doc: (int(doc_id), str(doc["name"]))))


class ContactKeys(NamedTuple):
    """What a question may find a contact by, kept in memory for every contact."""

    client_id: int
    name: str
    title: str
    email: str
    phone: str

    @classmethod
    def of(cls, contact: Contact) -> ContactKeys:
        return cls(contact.client_id, contact.name, contact.title, contact.email, contact.phone)


def _keys(doc: Mapping[str, Any]) -> ContactKeys:
    return ContactKeys(int(doc["client_id"]), str(doc.get("name", "")), str(doc.get("title", "")),
                       str(doc.get("email", "")), str(doc.get("phone", "")))


class ContactRepository(_Numbered[Contact]):
    """Contacts, with two indexes built at start from the stored documents and kept up to date by
    every write: each client's contacts, and each contact's name, title, e-mail and phone, so that
    a question about a person ("张总上次来", /find 138) tests fifteen thousand contacts in memory
    rather than reading every contact file (a third of a second or more at 25,000 visits)."""

    def __init__(self, table: Table) -> None:
        super().__init__(table, Contact, lambda contact: contact.id)
        self._by_client: dict[int, list[int]] | None = None
        self._keys: dict[int, ContactKeys] = {}
        self._index()  # now, at start, rather than in the middle of someone's first question
        self.on_rollback(self._forget_index)

    def matching(self, wanted: Callable[[ContactKeys], bool]) -> list[Contact]:
        """The contacts whose keys ``wanted`` accepts, in the order they were added; only those are
        read and decoded."""
        return self.decoded(self.matching_keys(wanted))

    def matching_keys(self, wanted: Callable[[ContactKeys], bool]) -> dict[int, ContactKeys]:
        """The ids and keys of the contacts ``wanted`` accepts, in the order they were added; nothing
        is decoded (to rank many before reading a few)."""
        self._index()
        return {contact_id: keys for contact_id, keys in self._keys.items() if wanted(keys)}

    def decoded(self, contact_ids: Iterable[int]) -> list[Contact]:
        found = (self.get(contact_id) for contact_id in contact_ids)
        return [contact for contact in found if contact is not None]

    def for_client(self, client_id: int) -> list[Contact]:
        """The client's contacts, in the order they were added."""
        found = (self.get(contact_id) for contact_id in self._index().get(client_id, []))
        return [contact for contact in found if contact is not None]

    def save(self, item: Contact) -> Contact:
        previous = self.get(item.id)
        saved = super().save(item)
        index = self._index()
        self._keys[item.id] = ContactKeys.of(item)
        if previous is not None and previous.client_id != item.client_id:
            index[previous.client_id].remove(item.id)
        ids = index.setdefault(item.client_id, [])
        if item.id not in ids:
            ids.append(item.id)
            ids.sort()
        return saved

    def insert_many(self, items: list[Contact]) -> None:
        index = self._index()  # built before the write, so the new contacts are added once
        super().insert_many(items)
        for item in items:
            index.setdefault(item.client_id, []).append(item.id)
            self._keys[item.id] = ContactKeys.of(item)
        for client_id in {item.client_id for item in items}:
            index[client_id].sort()

    def delete(self, key: int) -> None:
        previous = self.get(key)
        super().delete(key)
        if previous is not None:
            self._index()[previous.client_id].remove(key)
        self._keys.pop(key, None)

    def _forget_index(self) -> None:
        self._by_client, self._keys = None, {}

    def _index(self) -> dict[int, list[int]]:
        if self._by_client is None:
            index: dict[int, list[int]] = {}
            # Raw documents: reading one field needs no decoding into a Contact.
            for contact_id, keys in each_document(self._table, lambda doc_id, doc: (int(doc_id), _keys(doc))):
                index.setdefault(keys.client_id, []).append(contact_id)
                self._keys[contact_id] = keys
            self._by_client = {client_id: sorted(ids) for client_id, ids in index.items()}
        return self._by_client
