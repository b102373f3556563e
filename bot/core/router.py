"""Routes commands and button presses to handlers, each with the least role it needs.

Handler modules declare ``router = Router()`` and decorate small functions; ``bot.handlers``
gathers the routers in one list. ``role=None`` marks a handler that strangers may reach too;
``groups`` says where in group chats it may answer (``bot.core.groups``: by default, nowhere).
A button family's prefix may be followed by its first argument (``lk:new``): that button then has
a route of its own, and its handler gets the arguments after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.core.groups import GroupUse
from bot.domain.staff import Role
from bot.i18n import Translator

if TYPE_CHECKING:
    from bot.core.context import Context

Handler = Callable[["Context"], None]


@dataclass(frozen=True)
class Route:
    handler: Handler
    role: Role | None
    # The message key of the command's one-line description, for /help and the command menu.
    menu_key: str = ""
    # The handler shows progress as it goes (``Context.live``): long work, run off the event loop.
    live: bool = False
    # Where in group chats it may answer; private chats may use every route.
    groups: GroupUse = GroupUse.PRIVATE


@dataclass
class Router:
    commands: dict[str, Route] = field(default_factory=dict)
    callbacks: dict[str, Route] = field(default_factory=dict)
    # Files sent as documents, by lower-case extension (".xlsx").
    documents: dict[str, Route] = field(default_factory=dict)

    def command(
        self, name: str, *, role: Role | None = Role.STAFF, menu: str = "",
        groups: GroupUse = GroupUse.PRIVATE,
    ) -> Callable[[Handler], Handler]:
        """Registers ``/name``; ``menu`` is the message key describing it in /help and the menu."""

        def register(handler: Handler) -> Handler:
            self.commands[name] = Route(handler, role, menu, groups=groups)
            return handler

        return register

    def callback(self, prefix: str, *, role: Role | None = Role.STAFF, live: bool = False,
                 groups: GroupUse = GroupUse.PRIVATE) -> Callable[[Handler], Handler]:
        """Registers the handler of buttons whose callback data starts with ``prefix:``; ``live``:
        it shows progress as it goes (``Route.live``)."""

        def register(handler: Handler) -> Handler:
            self.callbacks[prefix] = Route(handler, role, live=live, groups=groups)
            return handler

        return register

    def document(self, *suffixes: str, role: Role | None = Role.STAFF) -> Callable[[Handler], Handler]:
        """Registers the handler of files whose name ends with one of ``suffixes`` (".csv")."""

        def register(handler: Handler) -> Handler:
            for suffix in suffixes:
                self.documents[suffix.lower()] = Route(handler, role)
            return handler

        return register


def merge(routers: list[Router]) -> Router:
    """One routing table from many; a name claimed twice is a programming error."""
    merged = Router()
    for router in routers:
        for table, source in ((merged.commands, router.commands), (merged.callbacks, router.callbacks),
                              (merged.documents, router.documents)):
            clash = table.keys() & source.keys()
            if clash:
                raise ValueError(f"routed twice: {sorted(clash)}")
            table.update(source)
    return merged


def command_menu(routes: Router, role: Role | None, t: Translator) -> tuple[tuple[str, str], ...]:
    """The commands a person with ``role`` may use (None: a stranger), described in their language."""
    return tuple(
        (name, t(route.menu_key))
        for name, route in routes.commands.items()
        if route.menu_key and (route.role is None or (role is not None and role.at_least(route.role)))
    )
