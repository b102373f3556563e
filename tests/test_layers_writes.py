"""Handlers and flows call services; only a service touches a repository or the database.

The scan reads every module of ``bot/handlers`` and ``bot/flows`` and follows each attribute chain
that starts at ``services`` (``ctx.services.visits.visits.all()``, ``services.db.table(...)``) on
the services a real bootstrap builds: a chain that reaches a repository (anything holding a TinyDB
table) or the database is a write, or a read, around the service that owns the rule.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tinydb.table import Table

from bot.storage import Database
from tests.support.chat import World

BOT = Path(__file__).resolve().parent.parent / "bot"
LAYERS = ("handlers", "flows")


def _is_storage(value: object) -> bool:
    """The database, a table, or a repository: an object whose own fields hold a table."""
    if isinstance(value, (Database, Table)):
        return True
    if type(value).__module__.startswith("bot.repositories."):
        return True
    fields = getattr(value, "__dict__", {})
    return any(isinstance(field, (Database, Table)) for field in fields.values())


def _chain(node: ast.expr) -> tuple[str | None, list[str]]:
    """An attribute chain as its root name and the names after it; a chain through ``.services``
    (``ctx.services.visits``) is rooted at ``services``."""
    names: list[str] = []
    while isinstance(node, ast.Attribute):
        if node.attr == "services":
            return "services", names[::-1]
        names.append(node.attr)
        node = node.value
    return (node.id if isinstance(node, ast.Name) else None), names[::-1]


def _chains(scope: ast.AST) -> Iterator[tuple[int, list[str]]]:
    """Every longest attribute chain in ``scope`` that starts at ``services``, or at a local name
    given a service (``lookups = ctx.services.lookups``), as the names after ``services``."""
    aliases: dict[str, list[str]] = {"services": []}
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            root, names = _chain(node.value)
            if root in aliases:
                aliases[node.targets[0].id] = aliases[root] + names
    inner = {id(node.value) for node in ast.walk(scope) if isinstance(node, ast.Attribute)}
    for node in ast.walk(scope):
        if isinstance(node, ast.Attribute) and id(node) not in inner:
            root, names = _chain(node)
            if root in aliases:
                yield node.lineno, aliases[root] + names


def _scopes(tree: ast.Module) -> Iterator[ast.AST]:
    """Each function on its own, so that a local name means one thing; the module's own lines too."""
    yield ast.Module(body=[node for node in tree.body
                           if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))],
                     type_ignores=[])
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def _reaches_storage(services: object, names: list[str]) -> str | None:
    """The part of the chain that lands on storage, if it does."""
    value = services
    for depth, name in enumerate(names):
        value = getattr(value, name, None)
        if value is None:
            return None
        if _is_storage(value):
            return ".".join(["services", *names[:depth + 1]])
    return None


def test_handlers_and_flows_reach_no_repository(tmp_path: Path) -> None:
    world = World(tmp_path / "data")
    try:
        services = world.dispatcher.services
        found: set[str] = set()
        for layer in LAYERS:
            for path in sorted((BOT / layer).glob("*.py")):
                tree = ast.parse(path.read_text(encoding="utf-8"))
                for scope in _scopes(tree):
                    for line, names in _chains(scope):
                        reached = _reaches_storage(services, names)
                        if reached:
                            found.add(f"{path.relative_to(BOT.parent)}:{line}: {reached}")
    finally:
        world.db.close()
    assert not found, "call a service method instead:\n" + "\n".join(sorted(found))
