"""Turns frozen dataclasses into JSON documents and back, one adapter per type."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any, TypeVar

from pydantic import TypeAdapter
from tinydb.table import Table

from bot.storage import damaged_document

T = TypeVar("T")
R = TypeVar("R")


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}
# The types repositories store, named when a repository is made; ``warm`` builds their adapters.
_STORED: set[type[Any]] = set()


def _adapter(kind: type[Any]) -> TypeAdapter[Any]:
    """One adapter per type, built on first use (slow to build, more so for a nested type)."""
    if kind not in _ADAPTERS:
        _ADAPTERS[kind] = TypeAdapter(kind)
    return _ADAPTERS[kind]


def stored(kind: type[Any]) -> None:
    """``kind`` is stored: its adapter is built by ``warm`` (or on first use if that comes first)."""
    _STORED.add(kind)


def warm() -> None:
    """Builds the adapters of every stored type, so the first save after a start (a visit: much
    schema building) costs what every later one does."""
    for kind in sorted(_STORED, key=lambda kind: kind.__qualname__):
        _adapter(kind)


def to_doc(obj: object) -> dict[str, Any]:
    """A dataclass as a JSON-ready dict."""
    doc: dict[str, Any] = _adapter(type(obj)).dump_python(obj, mode="json")
    return doc


def from_doc(kind: type[T], doc: dict[str, Any]) -> T:
    """A stored document back as its dataclass (strict about unknown shapes)."""
    value: T = _adapter(kind).validate_python(dict(doc))
    return value


def highest_id(table: Table) -> int:
    """The highest document id, 0 if none; a chunked collection decodes only its last chunk, and
    counts the ids of removed documents too (``bot.storage.chunked``), so ids never go back."""
    docs = table._read_table()
    highest = getattr(docs, "highest", None)
    return int(highest()) if highest is not None else max(map(int, docs), default=0)


def raw_documents(table: Table) -> Mapping[str, dict[str, Any]]:
    """The table's stored documents by document id (a string), as the storage holds them in memory.

    Read only: change documents through ``Table`` methods. Scanning these costs nothing per document,
    where ``Table.all()`` wraps each in a new ``Document`` (a second per hundred thousand).
    """
    docs: Mapping[str, dict[str, Any]] = table._read_table()  # type: ignore[assignment]
    return docs


def each_document(table: Table, read: Callable[[str, dict[str, Any]], R]) -> Iterator[R]:
    """What ``read`` makes of every stored document (given its id string), in storage order. One it
    cannot make sense of stops with ``DamagedData`` naming the file and the document: at a start, the
    one line a damaged file gets (``bot.app``), not a traceback."""
    for doc_id, doc in raw_documents(table).items():
        try:
            yield read(doc_id, doc)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise damaged_document(table, doc_id, error) from error


def replace_by_id(docs: Mapping[str, dict[str, Any]]) -> Callable[[MutableMapping[str, Any]], None]:
    """A TinyDB update that replaces each document by its new version in ``docs``, found by the
    record id the document holds in ``"id"`` (TinyDB hands an update the document, not its id).
    One update call then rewrites many documents in one write."""

    def replace(stored: MutableMapping[str, Any]) -> None:
        new = docs[str(stored["id"])]
        stored.clear()
        stored.update(new)

    return replace
