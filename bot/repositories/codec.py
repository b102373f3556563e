"""Turns frozen dataclasses into JSON documents and back, one adapter per type."""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from pydantic import TypeAdapter

T = TypeVar("T")


@cache
def _adapter(kind: type[Any]) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def to_doc(obj: object) -> dict[str, Any]:
    """A dataclass as a JSON-ready dict."""
    doc: dict[str, Any] = _adapter(type(obj)).dump_python(obj, mode="json")
    return doc


def from_doc(kind: type[T], doc: dict[str, Any]) -> T:
    """A stored document back as its dataclass (strict about unknown shapes)."""
    value: T = _adapter(kind).validate_python(dict(doc))
    return value
