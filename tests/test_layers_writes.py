"""Handlers, flows, views and documents call services; only a service touches a repository or the
database.

The scan reads every module of those layers and follows each attribute chain
that starts at ``services`` (``ctx.services.visits.visits.all()``, ``services.db.table(...)``) on
the services a real bootstrap builds: a chain that reaches a repository (anything holding a TinyDB
table) or the database is a write, or a read, around the service that owns the rule.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from tinydb.table import Table

from bot.storage import Database
from tests.support.chat import World

BOT = Path(__file__).resolve().parent.parent / "bot"
LAYERS = ("handlers", "flows", "documents", "views")
# The backup's subject is the database itself: its files, zipped whole.
ON_THE_DATABASE = {"documents/backup.py"}


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


def _chains(scope: ast.AST, kinds: dict[str, str]) -> Iterator[tuple[int, list[str]]]:
    """Every longest attribute chain in ``scope`` that starts at ``services``, at a local name given
    a service (``lookups = ctx.services.lookups``) or at a parameter typed as one (``clients:
    ClientService``: ``kinds`` maps the class's name to its field of ``Services``), as the names
    after ``services``."""
    aliases: dict[str, list[str]] = {"services": []}
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
        for arg in (*scope.args.posonlyargs, *scope.args.args, *scope.args.kwonlyargs):
            if isinstance(arg.annotation, ast.Name) and arg.annotation.id in kinds:
                aliases[arg.arg] = [kinds[arg.annotation.id]]
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
    if names[:1] == ["db"]:
        return "services.db"
    value = services
    for depth, name in enumerate(names):
        value = getattr(value, name, None)
        if value is None:
            return None
        # ``services.outbox`` is itself the one way to push (``bot.core.outbox``), not a service's store.
        if depth and _is_storage(value):
            return ".".join(["services", *names[:depth + 1]])
    return None


def _findings(services: object, source: str) -> Iterator[tuple[int, str]]:
    """(line, the chain as far as the storage it reaches) for each such chain in ``source``."""
    kinds = {type(value).__name__: name for name, value in vars(services).items()}
    for scope in _scopes(ast.parse(source)):
        for line, names in _chains(scope, kinds):
            reached = _reaches_storage(services, names)
            if reached:
                yield line, reached


@pytest.fixture
def services(tmp_path: Path) -> Iterator[object]:
    world = World(tmp_path / "data")
    yield world.dispatcher.services
    world.db.close()


def test_no_handler_flow_view_or_document_reaches_a_repository(services: object) -> None:
    found = []
    for layer in LAYERS:
        for path in sorted((BOT / layer).glob("*.py")):
            if path.relative_to(BOT).as_posix() in ON_THE_DATABASE:
                continue
            found += [f"{path.relative_to(BOT.parent)}:{line}: {reached}"
                      for line, reached in sorted(set(_findings(services, path.read_text(encoding="utf-8"))))]
    assert not found, "call a service method instead:\n" + "\n".join(found)


def test_the_scan_sees_a_write_around_a_service(services: object) -> None:
    """The scan itself, on the shapes the code had: through ``ctx.services``, a local name, the
    database, a parameter."""
    source = """
def act(ctx):
    ctx.services.nudges.nudges.save(nudge)
    ctx.services.nudges.tick(nudge, 1, now)

def register(ctx):
    lookups = ctx.services.lookups
    lookups.groups.save(group)
    lookups.register_group(group)

def confirm(ctx):
    pending = PendingImports(ctx.services.db.table("pending_imports"))

def check(clients: ClientService):
    return clients.clients.next_id()
"""
    assert sorted(set(_findings(services, source))) == [
        (3, "services.nudges.nudges"), (8, "services.lookups.groups"), (12, "services.db"),
        (15, "services.clients.clients")]
