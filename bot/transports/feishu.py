"""Feishu (Lark) adapter: events over the SDK's long connection in, cards out through the shared
delivery path.

Receiving: ``lark.ws.Client`` keeps a websocket to Feishu (no public URL needed, like Telegram's
long polling) and calls our handlers, one event at a time, on a thread of its own with its own
event loop (the SDK runs its loop to completion itself). Each handler hands the event to the bot's
loop and waits: the core handles it and writes what it changed, and, when it wrote something, its
reply gets up to ``REPLY_HOLD`` to reach Feishu, as for Telegram (``bot.transports.polling``); only
then does the handler return and the SDK acknowledge the event. A crash before that means Feishu
pushes the event again; one it pushes again that was handled is dropped
(``bot.transports.feishu_events``). Events that come while the bot stops are refused, so Feishu
pushes them again to the next start.

- ``im.message.receive_v1``: text in a private chat, or where the bot is @-mentioned in a group;
  a file sent for ``/import``.
- ``card.action.trigger``: a card button; its value carries our callback data. A toast the core
  answers with goes back in the handler's answer.
- ``application.bot.menu_v6``: the bot's menu in the chat, where the tenant set one up: its event
  key names a command (``today`` → ``/today``).

Sending (``FeishuPerformer``): text and keyboards as interactive cards (``feishu_cards``); an edit
updates the card; a document is uploaded, then sent as a file message. Feishu has no command menu
and no inline mode: its ``capabilities`` (``feishu_cards``) keep the core from setting a menu, and
no inline query ever comes. People and chats get integer ids from ``feishu_ids`` (a person linked
to a Telegram account is that account's person).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, TypeVar

import lark_oapi as lark
import lark_oapi.ws.client as ws_client
from lark_oapi.event.callback.model.p2_card_action_trigger import P2CardActionTriggerResponse

from bot.core.delivery import Delivery, DeliveryError, Rejected, RetryAfter, Transient
from bot.core.events import (
    Action,
    AnswerCallback,
    Edit,
    Event,
    IncomingFile,
    Outcome,
    Send,
    SendDocument,
    User,
)
from bot.core.ratelimit import Limits, RateLimiter
from bot.core.runner import Accepted, Runner
from bot.scheduling import start_scheduler
from bot.settings import Settings
from bot.transports.feishu_api import FeishuApi
from bot.transports.feishu_cards import DATA_KEY, capabilities, card, plain
from bot.transports.feishu_events import TABLE as EVENTS_TABLE
from bot.transports.feishu_events import SeenEvents, file_of, menu_command, message_text
from bot.transports.feishu_ids import FeishuIds, Person
from bot.transports.polling import REPLY_HOLD, STOP_GRACE
from bot.transports.retry import until_reachable

log = logging.getLogger(__name__)
T = TypeVar("T")

# Feishu's limits for sending messages: 50 a second and 1,000 a minute for the app, 5 a second to
# one person or one group (shared with the group's other bots).
FEISHU_LIMITS = Limits(overall_per_second=16.0, overall_burst=10.0, overall_reserve=2.0,
                       chat_per_second=5.0, chat_burst=5.0, chat_reserve=1.0,
                       group_per_minute=240.0, group_burst=4.0, group_reserve=1.0)
# How long a handler waits for the bot's loop: Feishu pushes an event again when it is not
# acknowledged within three seconds, so by then the answer would come too late anyway.
HANDLING_LIMIT = 2.8
# How long the name of someone new may take to read from the contacts before they are answered.
NAME_WAIT = 1.0
# How many message ids the adapter remembers (for edits and button presses in this run).
KEEP_MESSAGES = 20_000


class MessageIds:
    """Feishu's message ids (``om_…``) as integers for the core, for this run: an edit refers to a
    message sent, or a button pressed, since the start."""

    def __init__(self, keep: int = KEEP_MESSAGES) -> None:
        self._numbers: OrderedDict[str, int] = OrderedDict()
        self._ids: dict[int, str] = {}
        self._next = 1
        self._keep = keep

    def number(self, message_id: str) -> int:
        number = self._numbers.get(message_id)
        if number is None:
            number, self._next = self._next, self._next + 1
            self._numbers[message_id], self._ids[number] = number, message_id
            if len(self._numbers) > self._keep:
                _, old = self._numbers.popitem(last=False)
                self._ids.pop(old, None)
        return number

    def message_id(self, number: int) -> str | None:
        return self._ids.get(number)


class FeishuPerformer:
    """Carries out one action through the Open API (``FeishuApi`` raises delivery's errors)."""

    def __init__(self, api: FeishuApi, ids: FeishuIds, messages: MessageIds) -> None:
        self._api = api
        self._ids = ids
        self.messages = messages
        self.toasts: dict[str, str] = {}  # a button press's toast, until its handler answers it
        # Each message keeps its uuid over the retries of its delivery (see ``FeishuApi.send``).
        self._uuids: OrderedDict[int, tuple[Action, str]] = OrderedDict()
        self._serial = 0

    async def perform(self, action: Action) -> int | None:
        if isinstance(action, Send):
            return await self._send(action, "interactive", card(action.text, action.buttons))
        if isinstance(action, Edit):
            message_id = self.messages.message_id(action.message_id)
            if message_id is None:
                raise Rejected("a message of an earlier run: sent anew")
            await self._api.update_card(message_id, card(action.text, action.buttons))
            return action.message_id
        if isinstance(action, AnswerCallback):
            if action.text:
                self.toasts[action.callback_id] = plain(action.text)
            return None
        if isinstance(action, SendDocument):
            key = await self._api.upload(action.filename, action.content)
            number = await self._send(action, "file", {"file_key": key})
            if action.caption:
                await self._send(action, "interactive", card(action.caption), part=1)
            return number
        # SetCommands and AnswerInline do not come: no command menu is declared, no inline query comes.
        return None

    async def _send(self, action: Action, msg_type: str, content: dict[str, Any], part: int = 0) -> int:
        chat_id = getattr(action, "chat_id", 0)
        open_id = self._ids.open_id(chat_id)
        group = self._ids.group(chat_id)
        if open_id is None and group is None:
            raise Rejected(f"no Feishu person or chat is known as {chat_id}")
        uuid = f"{self._uuid(action)}-{part}"
        if open_id is not None:
            message_id, _ = await self._api.send("open_id", open_id, msg_type, content, uuid)
        else:
            message_id, _ = await self._api.send("chat_id", str(group), msg_type, content, uuid)
        self._uuids.pop(id(action), None)
        return self.messages.number(message_id)

    def _uuid(self, action: Action) -> str:
        kept = self._uuids.get(id(action))
        if kept is None or kept[0] is not action:
            self._serial += 1
            # The action is kept with it, so its id() is not reused meanwhile.
            kept = self._uuids[id(action)] = (action, f"{time.time_ns():x}-{self._serial}")
            if len(self._uuids) > KEEP_MESSAGES:
                self._uuids.popitem(last=False)
        return kept[1]


class Stopping(Exception):
    """The bot is stopping: the event is refused, and Feishu pushes it again to the next start."""


class Receiver:
    """The SDK's event handlers (on its thread) and what they do on the bot's loop."""

    def __init__(self, runner: Runner, api: FeishuApi, ids: FeishuIds, seen: SeenEvents,
                 performer: FeishuPerformer) -> None:
        self._runner = runner
        self._api = api
        self._ids = ids
        self._seen = seen
        self._messages = performer.messages
        self._performer = performer
        self._loop = asyncio.get_running_loop()
        self.stopping = False
        self._asked: set[str] = set()  # whose name the contacts were asked for in this run
        self._handling: set[asyncio.Future[Any]] = set()
        self.under_way: set[asyncio.Task[Any]] = set()

    def handler(self) -> Any:
        """The SDK's dispatcher with our three handlers."""
        return (lark.EventDispatcherHandler.builder("", "")
                .register_p2_im_message_receive_v1(lambda data: self._hand_over(self._message, data))
                .register_p2_card_action_trigger(self._on_card)
                .register_p2_application_bot_menu_v6(lambda data: self._hand_over(self._menu, data))
                .build())

    # ---- on the SDK's thread ----------------------------------------------------------------------

    def _on_card(self, data: Any) -> Any:
        toast = self._hand_over(self._card, data)
        return P2CardActionTriggerResponse({"toast": {"type": "info", "content": toast}} if toast else {})

    def _hand_over(self, work: Callable[[Any], Awaitable[T]], data: Any) -> T | None:
        """Runs ``work(data)`` on the bot's loop and waits for it; raising makes the SDK answer
        Feishu with an error, and Feishu pushes the event again later."""
        if self._loop.is_closed():
            raise Stopping("the bot has stopped")
        future = asyncio.run_coroutine_threadsafe(self._handled(work, data), self._loop)
        return future.result(HANDLING_LIMIT)

    # ---- on the bot's loop ------------------------------------------------------------------------

    async def _handled(self, work: Callable[[Any], Awaitable[T]], data: Any) -> T | None:
        """``work`` once per event: refused while stopping, dropped (None) when handled before."""
        if self.stopping:
            raise Stopping("the bot is stopping")
        event_id = str(data.header.event_id or "")
        if self._seen.seen(event_id):
            log.info("event %s pushed again: handled before", event_id)
            return None
        # Wall-clock time: bookkeeping of Feishu's pushes, not the business clock.
        self._seen.note(event_id, time.time())
        task = asyncio.current_task()
        assert task is not None
        self._handling.add(task)
        try:
            result = await work(data)
        except BaseException:
            self._seen.forget(event_id)
            raise
        finally:
            self._handling.discard(task)
        await self._runner.call(self._seen.record, event_id, time.time())
        return result

    async def _message(self, data: Any) -> None:
        sender, message = data.event.sender, data.event.message
        if sender is None or sender.sender_type != "user" or message is None:
            return  # another bot, or the system
        private = message.chat_type == "p2p"
        user = await self._person(str(sender.sender_id.open_id), str(message.chat_id) if private else None)
        chat_id, chat_type = (user.id, "private") if private else (await self._group(str(message.chat_id)),
                                                                    "group")
        if message.message_type == "file":
            found = file_of(str(message.content or ""))
            if found is not None:
                where = Event(user, chat_id, chat_type)
                self._aside(self._with_file(where, str(message.message_id), *found))
            return
        text = message_text(str(message.message_type or ""), str(message.content or ""))
        if text:
            await self._accept(Event(user, chat_id, chat_type, text=text))

    async def _card(self, data: Any) -> str:
        event = data.event
        value = event.action.value if event.action is not None else None
        callback = str(value.get(DATA_KEY, "")) if isinstance(value, dict) else ""
        context = event.context
        user = await self._person(str(event.operator.open_id), None)
        chat_id, chat_type = user.id, "private"
        if context is not None and context.open_chat_id:
            known = self._ids.known_chat(str(context.open_chat_id))
            if known is not None and known < 0:
                chat_id, chat_type = known, "group"
            elif known is None:
                # The bot writes in groups only after a message there, so a chat it never heard
                # from is a person's private one.
                await self._runner.call(self._ids.private_chat, str(context.open_chat_id), user.id)
        message = self._messages.number(str(context.open_message_id)) if context and context.open_message_id \
            else None
        callback_id = str(data.header.event_id)
        accepted = await self._accept(Event(user, chat_id, chat_type, callback_data=callback,
                                            callback_id=callback_id, message_id=message))
        if accepted is not None and not accepted.replied.done():
            await asyncio.wait([accepted.replied], timeout=REPLY_HOLD)
        return self._performer.toasts.pop(callback_id, "")

    async def _menu(self, data: Any) -> None:
        event = data.event
        command = menu_command(str(event.event_key or ""))
        if command is None:
            return
        user = await self._person(str(event.operator.operator_id.open_id), None)
        await self._accept(Event(user, user.id, "private", text=command))

    async def _person(self, open_id: str, private_chat: str | None) -> User:
        """The sender as the core knows people; someone new is added (with their name, when the
        contacts answer in time), as is their private chat."""
        person = self._ids.known_user(open_id)
        if person is None or (not person.name and open_id not in self._asked):
            # Asked once a run for someone whose name is not known (the contacts did not answer in time).
            self._asked.add(open_id)
            name = await self._name(open_id)
            if person is None:
                # The way the first admin learns their open_id for BOT_ADMIN_IDS (see the README).
                log.info("Feishu: new person %s (%s)", open_id, name or "name unknown")
            if person is None or name:
                person = await self._runner.call(self._ids.user, open_id, name)
        if private_chat and self._ids.known_chat(private_chat) != person.id:
            await self._runner.call(self._ids.private_chat, private_chat, person.id)
        return _user(person)

    async def _name(self, open_id: str) -> str:
        try:
            return await asyncio.wait_for(self._api.user_name(open_id), NAME_WAIT)
        except (DeliveryError, TimeoutError) as error:
            log.warning("the name of %s could not be read (%s); it is shown as its open_id", open_id, error)
            return ""

    async def _group(self, chat_id: str) -> int:
        known = self._ids.known_chat(chat_id)
        return known if known is not None else await self._runner.call(self._ids.chat, chat_id)

    async def _accept(self, event: Event) -> Accepted | None:
        """The core handles the event (written when this returns); the reply of one that wrote
        something gets ``REPLY_HOLD`` to reach Feishu before the event is acknowledged."""
        try:
            accepted = await self._runner.accept(event)
        except Exception:  # one event's trouble must not stop the bot for everybody
            log.exception("event from %d not handled", event.user.id)
            return None
        self._aside(accepted.answer)
        if accepted.hold:
            await asyncio.wait([accepted.replied], timeout=REPLY_HOLD)
        return accepted

    def _aside(self, work: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(work)
        self.under_way.add(task)
        task.add_done_callback(self.under_way.discard)

    async def _with_file(self, where: Event, message_id: str, key: str, name: str) -> list[Outcome]:
        """A sent file, downloaded aside (the event is acknowledged meanwhile), then handled."""
        try:
            content: bytes | None = await self._api.download(message_id, key)
        except DeliveryError as error:
            log.warning("could not download file %s: %s", name, error)
            content = None
        document = IncomingFile(name, "", len(content or b""), content)
        if document.too_large:
            document = IncomingFile(name, "", document.size)
        return await self._runner.process(replace(where, document=document))

    async def settle(self) -> None:
        """On stop: the events being handled finish, and what they say is delivered."""
        if self._handling:
            await asyncio.wait(self._handling, timeout=STOP_GRACE)
        if self.under_way:
            await asyncio.wait(self.under_way, timeout=STOP_GRACE)


def _user(person: Person) -> User:
    return User(person.id, person.name or person.open_id)


def _connect(settings: Settings, handler: Any, ended: Callable[[BaseException | None], None]) -> None:
    """Keeps the long connection on a thread of its own until the process ends."""
    def run() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        # The SDK runs on a loop its module took at import (the bot's, as imported here); this
        # thread's own instead, which ``start`` runs.
        ws_client.loop = loop
        client = lark.ws.Client(settings.feishu_app_id, settings.feishu_secret, event_handler=handler,
                                domain=settings.feishu_domain, log_level=lark.LogLevel.WARNING)
        try:
            client.start()
        except BaseException as error:
            ended(error)

    threading.Thread(target=run, name="feishu-long-connection", daemon=True).start()


async def run_feishu(runner: Runner, settings: Settings) -> int:
    """Connects and serves until SIGINT/SIGTERM; 1 if the long connection ends by itself."""
    # The SDK logs to standard output by itself; through the bot's log (and its masking) instead.
    logging.getLogger("Lark").handlers.clear()
    assert settings.feishu_app_id is not None and settings.feishu_secret is not None
    api = FeishuApi(settings.feishu_app_id, settings.feishu_secret, settings.feishu_domain)
    db = runner.dispatcher.services.db
    ids = FeishuIds(runner.dispatcher.services.identities)  # the core's, which /link writes to
    seen = await runner.call(_seen_events, db)
    try:
        name = await until_reachable(api.bot_name, (Transient, RetryAfter))
    except DeliveryError as error:
        log.error("Feishu refused the app (check FEISHU_APP_ID and FEISHU_APP_SECRET): %s", error)
        return 2
    services = runner.dispatcher.services
    services.bot_username = name or services.bot_username
    messages = MessageIds()
    performer = FeishuPerformer(api, ids, messages)
    feishu = services.capabilities = capabilities(settings.feishu_app_id)
    runner.delivery = Delivery(performer, limiter=RateLimiter(FEISHU_LIMITS), max_text=feishu.max_text)
    receiver = Receiver(runner, api, ids, seen, performer)
    stopped = asyncio.Event()
    failure: list[BaseException] = []
    loop = asyncio.get_running_loop()

    def ended(error: BaseException | None) -> None:
        if error is not None:
            failure.append(error)
        loop.call_soon_threadsafe(stopped.set)

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopped.set)
    _connect(settings, receiver.handler(), ended)
    jobs = start_scheduler(runner)
    log.info("Feishu: %s connecting over the long connection", services.bot_username)
    try:
        await stopped.wait()
    finally:
        receiver.stopping = True
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        with contextlib.suppress(Exception):
            await receiver.settle()
        await jobs.stop()
        await api.close()
    if failure:
        log.error("the Feishu long connection ended: %s", failure[0])
        return 1
    return 0


def _seen_events(db: Any) -> SeenEvents:
    seen = SeenEvents(db.table(EVENTS_TABLE))
    seen.prune(time.time())
    return seen
