"""The core's front door: one event in, the actions to carry out back.

It decides who is asking (staff, deactivated, stranger), picks their language, routes commands and
button presses, keeps to what a group chat may see (``bot.core.groups``), and makes sure a failing
handler costs the user one apologetic message, never the bot. It is synchronous on purpose:
``bot.core.runner`` runs it on the single database thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.core.callbacks import SEPARATOR, Malformed, unpack
from bot.core.context import Aside, Context
from bot.core.events import (
    MAX_INCOMING_FILE_BYTES,
    Action,
    AnswerCallback,
    AnswerInline,
    Event,
    IncomingFile,
    Outcome,
    Send,
)
from bot.core.groups import GroupUse, admit
from bot.core.replays import HandledUpdates
from bot.core.router import Route, Router
from bot.domain.staff import Role, Staff
from bot.i18n import N_, Translator

if TYPE_CHECKING:
    from bot.bootstrap import Services

log = logging.getLogger(__name__)

# Called with the context of someone who may not see anything: refuses and records the request.
StrangerHandler = Callable[[Context], None]
# Called for plain text from staff that is no command: in a private chat (dialogs, questions, the
# help fallback), or in the registered reception group (questions about arrivals, the help fallback).
TextHandler = Callable[[Context], None]
# Called for an inline query from active staff; adds one AnswerInline to the context.
InlineHandler = Callable[[Context], None]


@dataclass
class Dispatcher:
    services: Services
    routes: Router
    on_stranger: StrangerHandler
    on_text: TextHandler
    on_group_text: TextHandler
    # Set by the runner: delivers an action at once from the core thread (progress of long work).
    deliver_now: Callable[[Action], int | None] | None = None
    on_inline: InlineHandler | None = None
    # The Telegram updates handled and written lately (``bot.core.replays``), and what answers one
    # handed over again after a crash, instead of handling it twice: what its lost reply showed.
    handled: HandledUpdates | None = None
    on_replayed: TextHandler | None = None
    # Called with every update before it is routed (not one handled before a restart).
    before_route: TextHandler | None = None

    def handle(self, event: Event, sync: bool = True) -> list[Action]:
        """Processes one event and returns what to send, doing any work its handler set aside here
        and now (without a runner: tests; the runner does it off the core, see ``turn``)."""
        actions, aside = self.turn(event, sync)
        while aside is not None:
            more, aside = self.resume(event, aside.done())
            actions += more
        return actions

    def turn(self, event: Event, sync: bool = True) -> tuple[list[Action], Aside[Any] | None]:
        """Processes one event: what to send, and the work its handler set aside, if any, for the
        caller to do off the core and then ``resume``. With ``sync=False`` what it wrote is made
        durable by the caller, with ``Database.sync``, while the reply goes out (``unsaved`` then
        says if that failed)."""
        ctx = self._context(event)
        replayed = self._replayed(event)
        try:
            # One write for all the update changes (a saved visit: client, contact, visit,
            # checklist, dialog), made before the reply goes out; on failure none of it happened.
            with self.services.db.unit(sync):
                if replayed:
                    self._answer_again(ctx)
                else:
                    if self.before_route is not None:
                        self.before_route(ctx)
                    self._route(ctx)
                    self._remember(event)
        except Malformed as error:
            # Forged or cut-short callback data: refused like a stale button, one quiet line (a
            # probe sends hundreds), and whatever the handler wrote before it is undone.
            log.debug("refused %s: %s", _describe(event), error)
            ctx.actions = [a for a in ctx.actions if isinstance(a, AnswerCallback)]
            ctx.aside = None
            ctx.toast(ctx.t("error.stale_button"))
        except Exception:
            log.exception("handler failed for %s", _describe(event))
            ctx.actions = [a for a in ctx.actions if isinstance(a, AnswerCallback)]
            ctx.aside = None
            ctx.reply(ctx.t("error.generic"))
        if event.callback_id is not None and not ctx.answered:
            ctx.actions.insert(0, AnswerCallback(event.callback_id))
        return ctx.actions, ctx.aside

    def _replayed(self, event: Event) -> bool:
        """Whether ``event`` is a Telegram update handled and written before, handed over again
        because a crash came before it was confirmed."""
        handled = self.handled
        return event.update_id is not None and handled is not None and handled.handled(event.update_id)

    def _answer_again(self, ctx: Context) -> None:
        """A replayed update: applied once already; its lost reply, as far as it can be shown again."""
        log.info("update %s was handled before the restart; not applied again", ctx.event.update_id)
        if self.on_replayed is not None:
            self.on_replayed(ctx)

    def _remember(self, event: Event) -> None:
        """An update that wrote something is remembered in the same write, so that it is never
        applied twice; one that wrote nothing (a lookup) stays without a write."""
        if event.update_id is not None and self.handled is not None and self.services.db.writing:
            self.handled.record(event.update_id)

    def resume(self, event: Event, rest: Callable[[Context], None]) -> tuple[list[Action], Aside[Any] | None]:
        """Finishes a handler whose work was set aside (``rest``: ``Aside.done``), in a write of its own;
        what to send, and the next work set aside, if any."""
        ctx = self._context(event)
        try:
            with self.services.db.unit():
                rest(ctx)
        except Exception:
            log.exception("handler failed after its work aside for %s", _describe(event))
            ctx.actions, ctx.aside = [], None
            ctx.reply(ctx.t("error.generic"))
        return ctx.actions, ctx.aside

    def unsaved(self, event: Event) -> list[Action]:
        """What to tell the sender when the write of their update failed after its reply had gone
        (``Database.sync``): the reply does not count."""
        ctx = self._context(event)
        ctx.reply(ctx.t("error.not_saved"))
        return ctx.actions

    def shows_progress(self, event: Event) -> bool:
        """Whether the event's handler shows progress as it goes (``Context.live``): long work that
        waits for its progress messages to be delivered, so it must not run on the event loop."""
        if event.document is not None:
            return True
        route = self._callback_route(event.callback_data)[0] if event.callback_data is not None else None
        return route is not None and route.live

    def learn(self, outcomes: list[Outcome]) -> None:
        """Records what delivery found out: who blocked the bot, who is reachable again."""
        for outcome in outcomes:
            chat_id = getattr(outcome.action, "chat_id", None)
            if chat_id is None or chat_id <= 0:
                continue
            if outcome.blocked:
                self._blocked(chat_id)

    def _blocked(self, user_id: int) -> None:
        """Someone blocked the bot: no more pushes to them until they open it again, and the admins
        hear of it once (while they stay unreachable, nothing more is pushed to them to fail)."""
        staff = self.services.access.staff
        person = staff.get(user_id)
        if person is None or not person.reachable:
            return
        staff.set_reachable(user_id, False)
        i18n = self.services.i18n
        notices = []
        for admin in staff.active_admins():
            if admin.user_id != user_id and admin.reachable:
                t = i18n.get(admin.locale) if admin.locale else i18n.for_language_code(admin.language_code)
                notices.append(Send(admin.user_id, t("nudge.blocked", name=person.name)))
        self.services.outbox.add(notices, "notice")

    def _context(self, event: Event) -> Context:
        staff = self.services.access.staff.get(event.user.id)
        ctx = Context(event, self.services, staff, self._translator(staff, event),
                      deliver_now=self.deliver_now)
        if staff is not None and not staff.active:
            ctx.staff = None
        return ctx

    def _translator(self, staff: Staff | None, event: Event) -> Translator:
        i18n = self.services.i18n
        if staff is not None and staff.locale:
            return i18n.get(staff.locale)
        return i18n.for_language_code(event.user.language_code or (staff.language_code if staff else ""))

    def from_staff(self, event: Event) -> bool:
        """Whether the sender is active staff (after their update: an invitee is): their reply goes
        ahead of pushes; a stranger's waits behind them, so strangers cannot hold up staff."""
        staff = self.services.access.staff.get(event.user.id)
        return staff is not None and staff.active

    def _route(self, ctx: Context) -> None:
        event = ctx.event
        access = self.services.access
        if access.is_configured_admin(event.user.id):
            # Admins named in the settings are admins from their first message, whatever it is, and
            # stay so whatever was done in the chat: the owner can always get back in.
            ctx.staff, ctx.newcomer = access.configured_admin(event.user, ctx.now)
        if event.inline_id is not None:
            if ctx.staff is None or self.on_inline is None:
                ctx.actions.append(AnswerInline(event.inline_id))  # strangers: nothing, not even a hint
            else:
                self.on_inline(ctx)
            return
        if event.callback_data is not None:
            route, ctx.args = self._callback_route(event.callback_data)
            if route is None:
                ctx.toast(ctx.t("error.stale_button"))
                return
            self._call(route, ctx)
            return
        if event.document is not None:
            self._route_document(ctx, event.document)
            return
        text = (event.text or "").strip()
        if text.startswith("/") and self._command(ctx, text):
            return
        if ctx.staff is None:
            self._refuse(ctx)
        elif event.private:
            self.on_text(ctx)
        elif admit(ctx, GroupUse.REGISTERED):
            self.on_group_text(ctx)

    def _command(self, ctx: Context, text: str) -> bool:
        """Handles ``/name@bot args`` if it is one of our commands; False when no command of ours
        has that name (the text then goes where any text goes)."""
        name, _, rest = text[1:].partition(" ")
        name, _, addressee = name.partition("@")
        if addressee and addressee.lower() != self.services.bot_username.lower():
            return True  # ``/today@otherbot`` in a group: another bot's command, not ours to answer
        ctx.args = rest.split()
        route = self.routes.commands.get(name.lower())
        if route is None:
            return False
        self._call(route, ctx)
        return True

    def _callback_route(self, data: str) -> tuple[Route | None, list[str]]:
        """The route of a button's callback data (None: a button of an older version) and its args:
        the route of its family and first argument if there is one (``lk:new``), else its family's."""
        prefix, args = unpack(data)
        own = self.routes.callbacks.get(prefix + SEPARATOR + args[0]) if args else None
        if own is not None:
            return own, args[1:]
        return self.routes.callbacks.get(prefix), args

    def _route_document(self, ctx: Context, document: IncomingFile) -> None:
        """A file goes to the handler of its kind (by extension), once it is known to be usable."""
        if ctx.staff is None:
            self._refuse(ctx)
            return
        if not admit(ctx, GroupUse.PRIVATE):
            return
        route = self.routes.documents.get(document.suffix)
        if route is None:
            ctx.reply(ctx.t("file.unknown_kind", name=document.name))
        elif document.too_large:
            ctx.reply(ctx.t("file.too_large", name=document.name, limit=MAX_INCOMING_FILE_BYTES // 2**20))
        elif document.content is None:
            ctx.reply(ctx.t("file.not_received", name=document.name))
        else:
            self._call(route, ctx)

    def _call(self, route: Route, ctx: Context) -> None:
        if not admit(ctx, route.groups):
            return
        if route.role is None:
            route.handler(ctx)
        elif ctx.staff is None:
            self._refuse(ctx)
        elif not ctx.staff.role.at_least(route.role):
            key = N_("access.admins_only") if route.role is Role.ADMIN else N_("access.managers_only")
            ctx.toast(ctx.t(key)) if ctx.event.is_callback else ctx.reply(ctx.t(key))
        else:
            route.handler(ctx)

    def _refuse(self, ctx: Context) -> None:
        if ctx.event.chat_type != "private":
            return  # strangers in a group get no answer at all: nothing to see, nothing to spam
        self.on_stranger(ctx)


def _describe(event: Event) -> str:
    kind = "button " + (event.callback_data or "") if event.is_callback else "message"
    return f"{kind} from user {event.user.id}"
