"""The layers of ``bot/`` import downwards only (README, "How it is built").

Every import counts: at the top of a module, inside a function (an import moved into a function to
dodge a cycle is still a dependency) and under ``TYPE_CHECKING``. One exception: ``bot.bootstrap``
under ``TYPE_CHECKING``, for the ``Services`` container that the top hands down; naming its type in
an annotation runs nothing and makes no cycle.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"

# Lowest first. A module may import its own layer and those below it. The top-level names of bot/
# (a package, or a module such as bot/clock.py) each sit in one layer.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"domain", "storage", "i18n", "settings", "clock", "defaults", "logs", ""}),
    frozenset({"repositories"}),
    frozenset({"core", "warmup"}),
    frozenset({"services"}),
    frozenset({"views", "documents"}),
    frozenset({"flows", "handlers", "scheduling"}),
    frozenset({"transports"}),
    frozenset({"bootstrap", "app", "__main__"}),
)
# Named under TYPE_CHECKING from any layer: the wiring's container type (see the docstring).
TYPE_ONLY_ANYWHERE = frozenset({"bot.bootstrap"})


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, "bot.views.clients"
    line: int
    target: str  # what it imports, "bot.services.relationship"
    type_only: bool


def module_name(path: Path, root: Path = BOT) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    top = module.split(".")[1] if "." in module else ""
    found = [index for index, names in enumerate(LAYERS) if top in names]
    assert found, f"{module}: bot.{top} is in no layer; add it to LAYERS and to the README"
    return found[0]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(path: Path, root: Path = BOT) -> list[Import]:
    """Every import of ``bot`` in ``path``, wherever it stands, relative ones resolved."""
    module = module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, type_only: bool) -> None:
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                targets = [".".join([*base, *([node.module] if node.module else [])])]
            else:
                targets = [node.module or ""]
        for target in targets:
            if target == "bot" or target.startswith("bot."):
                found.append(Import(module, getattr(node, "lineno", 0), target, type_only))
        inner = type_only or (isinstance(node, ast.If) and _is_type_checking(node))
        for child in ast.iter_child_nodes(node):
            visit(child, inner and not (isinstance(node, ast.If) and child in node.orelse))

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)), False)
    return found


def against_the_order(paths: list[Path], root: Path = BOT) -> list[str]:
    wrong = []
    for path in paths:
        for imp in imports_of(path, root):
            if imp.type_only and imp.target in TYPE_ONLY_ANYWHERE:
                continue
            if layer_of(imp.target) > layer_of(imp.module):
                wrong.append(f"{path.relative_to(root.parent)}:{imp.line} imports {imp.target} from above")
    return wrong


def test_every_module_imports_only_its_layer_and_those_below() -> None:
    assert against_the_order(sorted(BOT.rglob("*.py"))) == []


@pytest.mark.parametrize(
    ("source", "wrong"),
    [
        ("from bot.views.days import day_title\n", True),  # at the top
        ("def f() -> None:\n    from bot.handlers import menu\n", True),  # inside a function
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from bot.flows.engine import FlowEngine\n",
         True),  # for the type checker only: still a dependency
        ("from ..flows import engine\n", True),  # relative
        ("from bot.domain.visits import Visit\nfrom bot.storage import Database\n", False),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from bot.bootstrap import Services\n",
         False),
    ],
)
def test_an_import_against_the_order_is_found(tmp_path: Path, source: str, wrong: bool) -> None:
    """The checker itself: a repository module importing upwards, in each way an import is written."""
    root = tmp_path / "bot"
    path = root / "repositories" / "probe.py"
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")
    found = against_the_order([path], root)
    assert bool(found) is wrong, found
