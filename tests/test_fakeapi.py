"""The fake Bot API server must be believable to the real frameworks, or end-to-end tests prove nothing.

These tests run minimal aiogram 3 and python-telegram-bot 22 bots (long polling) against
:class:`FakeBotApi` and assert from the server side what a person would see. They also pin down how
each framework reports 429 / 403 / 5xx / bad HTML and an unreachable API, which is what the bot's
delivery layer has to handle: neither framework retries a failed sendMessage by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import html
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.filters import Command, CommandStart
from aiogram.types import BotCommand, BufferedInputFile, CallbackQuery, InlineKeyboardButton, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from telegram import BotCommandScopeAllPrivateChats, Update
from telegram import InlineKeyboardButton as PtbButton
from telegram import InlineKeyboardMarkup as PtbMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.fakeapi import FakeBotApi, FakeUser, HtmlParseError, parse_html

ALICE = FakeUser(id=1001, first_name="Alice", username="alice")
#: A user whose name is HTML: a bot that does not escape it gets "can't parse entities" from Telegram.
MALLORY = FakeUser(id=1002, first_name="<b>Mallory", language_code="zh")

PtbApp = Application[Any, Any, Any, Any, Any, Any]


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        yield server


# --- framework harnesses


def aiogram_bot(api: FakeBotApi) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api.url))
    return Bot(api.token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))


@contextlib.asynccontextmanager
async def aiogram_polling(api: FakeBotApi, router: Router) -> AsyncIterator[Bot]:
    """Run an aiogram Dispatcher with ``router`` in a task; stop it cleanly however the test ends."""
    bot = aiogram_bot(api)
    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    task = asyncio.create_task(dispatcher.start_polling(bot, polling_timeout=1, handle_signals=False))
    try:
        await api.wait_for_polling(timeout=5)
        yield bot
    finally:
        with contextlib.suppress(RuntimeError):  # "Polling is not started" if startup failed
            await asyncio.wait_for(dispatcher.stop_polling(), 5)
        if not task.done():
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)
        await bot.session.close()


def ptb_app(api: FakeBotApi) -> PtbApp:
    return (
        Application.builder()
        .token(api.token)
        .base_url(f"{api.url}/bot")
        .base_file_url(f"{api.url}/file/bot")
        .build()
    )


@contextlib.asynccontextmanager
async def ptb_polling(api: FakeBotApi, app: PtbApp) -> AsyncIterator[PtbApp]:
    """Initialize, start and long-poll a python-telegram-bot Application; always stop it cleanly."""
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=dt.timedelta(seconds=1))
        try:
            await api.wait_for_polling(timeout=5)
            yield app
        finally:
            await asyncio.wait_for(app.updater.stop(), 5)
            await asyncio.wait_for(app.stop(), 5)


def choice_keyboard() -> list[list[tuple[str, str]]]:
    return [[("Yes", "visit:42:yes"), ("No", "visit:42:no")]]


# --- 1. aiogram 3


async def test_aiogram_bot_replies_with_html_buttons_and_edits_after_press(api: FakeBotApi) -> None:
    router = Router()
    seen: dict[str, Any] = {}

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        assert message.from_user is not None
        name = html.escape(message.from_user.first_name)
        keyboard = InlineKeyboardBuilder()
        for row in choice_keyboard():
            keyboard.row(*(InlineKeyboardButton(text=text, callback_data=data) for text, data in row))
        sent = await message.answer(
            f"Hello, <b>{name}</b>! Confirm the visit?", reply_markup=keyboard.as_markup()
        )
        seen["sent_id"] = sent.message_id  # proves aiogram parsed the Message the server returned

    @router.callback_query(F.data.startswith("visit:"))
    async def pressed(callback: CallbackQuery) -> None:
        assert isinstance(callback.message, Message)
        seen["pressed_text"] = callback.message.text
        await callback.answer("Saved")
        await callback.message.edit_text(f"You chose <i>{callback.data}</i>")

    @router.message(Command("export"))
    async def export(message: Message) -> None:
        csv = BufferedInputFile(b"client,time\nACME,10:00\n", filename="visits.csv")
        await message.answer_document(csv, caption="Visits <b>today</b>")

    async with aiogram_polling(api, router) as bot:
        await bot.set_my_commands([BotCommand(command="start", description="开始")], language_code="zh")

        api.user_sends(MALLORY, "/start")
        reply = await api.wait_for_message(MALLORY.id, timeout=5)
        assert reply.text == "Hello, <b>Mallory! Confirm the visit?"  # the name shows literally
        assert reply.raw_text == "Hello, <b>&lt;b&gt;Mallory</b>! Confirm the visit?"
        assert reply.entities == [{"type": "bold", "offset": 7, "length": 10}]
        assert reply.button_texts == ["Yes", "No"]

        press = api.user_presses(MALLORY, reply, button="Yes")
        answer = await api.wait_for_callback_answer(press, timeout=5)
        assert answer.text == "Saved"
        edited = await api.wait_for_message(MALLORY.id, timeout=5)
        assert (edited.event, edited.message_id) == ("edited", reply.message_id)
        assert edited.text == "You chose visit:42:yes"
        assert edited.buttons == []  # editMessageText without reply_markup drops the keyboard

        api.user_sends(ALICE, "/export")
        document = await api.wait_for_message(ALICE.id, timeout=5)
        assert document.document is not None
        assert (document.document.filename, document.document.text) == (
            "visits.csv",
            "client,time\nACME,10:00\n",
        )
        assert document.text == "Visits today"

        await api.wait_for_idle(quiet=0.1)  # the handlers run on after the server answered them
        assert seen == {"sent_id": reply.message_id, "pressed_text": reply.text}

    commands = await api.wait_for_call("setMyCommands", lambda r: r.params.get("language_code") == "zh")
    # aiogram always sends a form: urlencoded, or multipart when there is a file; nested objects as JSON text
    assert commands.content_type == "application/x-www-form-urlencoded"
    assert api.calls("sendDocument")[0].content_type == "multipart/form-data"
    assert api.commands(language_code="zh") == [{"command": "start", "description": "开始"}]
    get_updates = api.calls("getUpdates")[-1]
    assert sorted(get_updates.params["allowed_updates"]) == ["callback_query", "message"]


# --- 2. python-telegram-bot 22


async def test_ptb_bot_replies_with_html_buttons_and_edits_after_press(api: FakeBotApi) -> None:
    seen: dict[str, Any] = {}

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_user is not None and update.message is not None
        name = html.escape(update.effective_user.first_name)
        markup = PtbMarkup(
            [[PtbButton(text, callback_data=data) for text, data in row] for row in choice_keyboard()]
        )
        sent = await update.message.reply_html(
            f"Hello, <b>{name}</b>! Confirm the visit?", reply_markup=markup
        )
        seen["sent_id"] = sent.message_id

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.message is not None
        seen["pressed_text"] = getattr(query.message, "text", None)
        await query.answer("Saved", show_alert=True)
        await query.edit_message_text(f"You chose <i>{query.data}</i>", parse_mode="HTML")

    async def export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_document(
            b"client,time\nACME,10:00\n", filename="visits.csv", caption="Visits"
        )

    app = ptb_app(api)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("export", export))
    app.add_handler(CallbackQueryHandler(pressed, pattern=r"^visit:"))

    async with ptb_polling(api, app):
        assert app.bot.username == "reception_test_bot"  # from getMe
        await app.bot.set_my_commands([("start", "Start")], scope=BotCommandScopeAllPrivateChats())
        api.user_sends(MALLORY, "/start")
        reply = await api.wait_for_message(MALLORY.id, timeout=5)
        assert reply.text == "Hello, <b>Mallory! Confirm the visit?"
        assert reply.parse_mode == "HTML"
        assert reply.button_texts == ["Yes", "No"]

        press = api.user_presses(MALLORY, reply, "visit:42:no")
        answer = await api.wait_for_callback_answer(press, timeout=5)
        assert (answer.text, answer.show_alert) == ("Saved", True)
        edited = await api.wait_for_message(MALLORY.id, timeout=5)
        assert (edited.event, edited.text, edited.buttons) == ("edited", "You chose visit:42:no", [])

        api.user_sends(ALICE, "/export")
        document = await api.wait_for_message(ALICE.id, timeout=5)
        assert document.document is not None
        assert (document.document.filename, document.document.content) == (
            "visits.csv",
            b"client,time\nACME,10:00\n",
        )

        await api.wait_for_idle(quiet=0.1)  # the handlers run on after the server answered them
        assert seen == {"sent_id": reply.message_id, "pressed_text": reply.text}

    assert api.commands({"type": "all_private_chats"}) == [{"command": "start", "description": "Start"}]
    # PTB (httpx) posts a urlencoded form, multipart when uploading; nested objects as JSON text
    assert api.calls("sendMessage")[0].content_type == "application/x-www-form-urlencoded"
    assert api.calls("sendDocument")[0].content_type == "multipart/form-data"
    assert api.calls("deleteWebhook"), "PTB's start_polling clears the webhook first"


# --- 3. errors the delivery layer must handle


async def test_aiogram_429_raises_retry_after_and_loses_the_message_unless_retried(api: FakeBotApi) -> None:
    bot = aiogram_bot(api)
    try:
        api.fail_next("sendMessage", 429, retry_after=1)
        with pytest.raises(TelegramRetryAfter) as caught:
            await bot.send_message(ALICE.id, "Visit with ACME at 10:00")
        assert caught.value.retry_after == 1
        assert api.messages(ALICE.id) == []  # aiogram does not retry: the message is simply not sent

        await asyncio.sleep(caught.value.retry_after)
        await bot.send_message(ALICE.id, "Visit with ACME at 10:00")
        assert [m.text for m in api.messages(ALICE.id)] == ["Visit with ACME at 10:00"]
        assert [r.status for r in api.calls("sendMessage")] == [429, 200]
    finally:
        await bot.session.close()


async def test_aiogram_handler_reply_is_dropped_on_429_and_unescaped_html_is_rejected(
    api: FakeBotApi,
) -> None:
    router = Router()
    errors: list[TelegramBadRequest] = []

    @router.message(F.text == "hi")
    async def greet(message: Message) -> None:
        assert message.from_user is not None
        try:
            await message.answer(f"Hello, {message.from_user.first_name}")  # not escaped: a bug
        except TelegramBadRequest as error:
            errors.append(error)

    @router.message(F.text == "remind")
    async def remind(message: Message) -> None:
        await message.answer("Reminder: ACME at 10:00")  # a 429 here escapes to aiogram's error log

    async with aiogram_polling(api, router):
        api.user_sends(MALLORY, "hi")
        await api.wait_for_idle()
        assert len(errors) == 1
        assert errors[0].message == (
            "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
        )
        await api.expect_no_message(MALLORY.id, within=0.2)

        api.fail_next("sendMessage", 429, retry_after=1)
        api.user_sends(ALICE, "remind")
        await api.wait_for_idle()
        await api.expect_no_message(ALICE.id, within=0.2)
        assert [(r.status, r.description) for r in api.errors(ALICE.id)] == [
            (429, "Too Many Requests: retry after 1")
        ]


FrameworkCall = Callable[[FakeBotApi], Awaitable[None]]


async def _aiogram_send(api: FakeBotApi) -> None:
    bot = aiogram_bot(api)
    try:
        await bot.send_message(ALICE.id, "ping")
    finally:
        await bot.session.close()


async def _ptb_send(api: FakeBotApi) -> None:
    async with ptb_app(api) as app:
        await app.bot.send_message(ALICE.id, "ping")


# PTB 22 warns that RetryAfter.retry_after will become a timedelta; not what this test is about.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
@pytest.mark.parametrize(
    ("send", "status", "expected"),
    [
        (_aiogram_send, 429, TelegramRetryAfter),
        (_aiogram_send, 403, TelegramForbiddenError),
        (_aiogram_send, 500, TelegramServerError),
        (_aiogram_send, 502, TelegramServerError),
        (_ptb_send, 429, RetryAfter),
        (_ptb_send, 403, Forbidden),
        (_ptb_send, 500, NetworkError),
        (_ptb_send, 400, BadRequest),
    ],
    ids=lambda v: getattr(v, "__name__", str(v)),
)
async def test_injected_failures_map_to_each_frameworks_exception(
    api: FakeBotApi, send: FrameworkCall, status: int, expected: type[Exception]
) -> None:
    api.fail_next("sendMessage", status, retry_after=2)
    with pytest.raises(expected):
        await send(api)
    await send(api)  # one failure only: the next call goes through
    assert [r.status for r in api.calls("sendMessage")] == [status, 200]


async def test_blocked_chat_answers_403_to_every_send(api: FakeBotApi) -> None:
    api.set_blocked(ALICE.id)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await _aiogram_send(api)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await _ptb_send(api)
    api.set_blocked(ALICE.id, blocked=False)
    await _aiogram_send(api)
    assert len(api.messages(ALICE.id)) == 1


async def test_both_frameworks_download_a_document_the_user_sent(api: FakeBotApi) -> None:
    update = api.user_sends_document(ALICE, "contacts.csv", b"name\nBob\n", caption="import")
    file_id = update["message"]["document"]["file_id"]

    bot = aiogram_bot(api)
    try:
        downloaded = await bot.download(file_id)
        assert downloaded is not None and downloaded.read() == b"name\nBob\n"
    finally:
        await bot.session.close()
    async with ptb_app(api) as app:
        telegram_file = await app.bot.get_file(file_id)
        assert bytes(await telegram_file.download_as_bytearray()) == b"name\nBob\n"


async def test_strict_chats_and_accepted_tokens() -> None:
    async with FakeBotApi(strict_chats=True, accepted_tokens={"42:right"}) as strict:
        async with aiohttp.ClientSession() as session:
            url = f"{strict.url}/bot42:wrong/getMe"
            async with session.post(url) as response:
                assert (response.status, (await response.json())["description"]) == (401, "Unauthorized")
            url = f"{strict.url}/bot42:right/sendMessage"
            async with session.post(url, json={"chat_id": ALICE.id, "text": "hi"}) as response:
                assert (await response.json())["description"] == "Bad Request: chat not found"
            strict.user_sends(ALICE, "/start")  # now the chat exists
            async with session.post(url, json={"chat_id": ALICE.id, "text": "hi"}) as response:
                assert response.status == 200
        assert strict.tokens_used == {"42:wrong", "42:right"}


# --- the API going away


async def test_aiogram_polling_survives_refused_connections(
    api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    router = Router()

    @router.message()
    async def echo(message: Message) -> None:
        await message.answer(f"echo: {message.text}")

    async with aiogram_polling(api, router) as bot:
        await api.go_offline("refuse")
        with pytest.raises(TelegramNetworkError):
            await bot.send_message(ALICE.id, "lost")
        api.user_sends(ALICE, "while offline")
        await asyncio.sleep(0.5)
        await api.go_online()
        reply = await api.wait_for_message(ALICE.id, timeout=8)
        assert reply.text == "echo: while offline"
    assert any(
        "Failed to fetch updates" in r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR
    )


async def test_ptb_polling_survives_502_bad_gateway(api: FakeBotApi) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(f"echo: {update.message.text}")

    app = ptb_app(api)
    app.add_handler(CommandHandler("ping", echo))
    async with ptb_polling(api, app):
        async with api.offline("502"):
            with pytest.raises(NetworkError, match="Bad Gateway"):
                await app.bot.send_message(ALICE.id, "lost")
            api.user_sends(ALICE, "/ping")
            await asyncio.sleep(0.5)
        reply = await api.wait_for_message(ALICE.id, timeout=8)
        assert reply.text == "echo: /ping"
    assert any(r.name == "getupdates" and r.status == 502 for r in api.requests)


async def test_offline_refuse_closes_the_port_and_online_reopens_it(api: FakeBotApi) -> None:
    url = f"{api.url}/bot{api.token}/getMe"
    async with aiohttp.ClientSession() as session:
        await api.go_offline()
        with pytest.raises(aiohttp.ClientConnectorError):
            await session.get(url)
        await api.go_online()
        async with session.get(url) as response:
            assert (await response.json())["result"]["username"] == "reception_test_bot"


async def test_drop_next_cuts_the_connection_without_an_answer(api: FakeBotApi) -> None:
    url = f"{api.url}/bot{api.token}/getMe"
    api.drop_next("getMe")
    async with aiohttp.ClientSession() as session:
        # POST, as the frameworks call: aiohttp would send a GET again by itself.
        with pytest.raises(aiohttp.ServerDisconnectedError):
            await session.post(url)
        async with session.post(url) as response:
            assert response.status == 200
    assert [r.status for r in api.calls("getMe")] == [None, 200]


# --- server semantics without a framework


RawCall = Callable[..., Coroutine[Any, Any, tuple[int, dict[str, Any]]]]


@contextlib.asynccontextmanager
async def raw_client(api: FakeBotApi) -> AsyncIterator[RawCall]:
    async with aiohttp.ClientSession() as session:

        async def call(method: str, **params: Any) -> tuple[int, dict[str, Any]]:
            async with session.post(f"{api.url}/bot{api.token}/{method}", json=params) as response:
                return response.status, await response.json()

        yield call


async def test_get_updates_long_poll_offset_limit_and_allowed_updates(api: FakeBotApi) -> None:
    async with raw_client(api) as call:
        loop = asyncio.get_running_loop()
        started = loop.time()
        loop.call_later(0.2, api.user_sends, ALICE, "first")
        _, body = await call("getUpdates", timeout=5)
        assert loop.time() - started < 2  # returned as soon as the update arrived
        first = body["result"][0]
        assert first["message"]["text"] == "first"

        _, body = await call("getUpdates", timeout=0)
        assert [u["update_id"] for u in body["result"]] == [first["update_id"]]  # not confirmed yet

        for text in ("a", "b", "c"):
            api.user_sends(ALICE, text)
        _, body = await call("getUpdates", offset=first["update_id"] + 1, limit=2)
        assert [u["message"]["text"] for u in body["result"]] == ["a", "b"]

        keyboard = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
        status, _ = await call("sendMessage", chat_id=ALICE.id, text="buttons", reply_markup=keyboard)
        assert status == 200
        api.user_presses(ALICE, await api.wait_for_message(ALICE.id), "go")
        last = body["result"][-1]["update_id"]
        # Message "c" is still pending, but a bot asking only for callback queries never gets it.
        _, body = await call("getUpdates", offset=last + 1, allowed_updates=["callback_query"])
        assert [next(k for k in u if k != "update_id") for u in body["result"]] == ["callback_query"]

        started = loop.time()
        _, body = await call("getUpdates", offset=body["result"][-1]["update_id"] + 1, timeout=0.3)
        assert body == {"ok": True, "result": []}
        assert loop.time() - started >= 0.25


async def test_second_get_updates_terminates_the_first_with_409(api: FakeBotApi) -> None:
    async with raw_client(api) as call:
        first = asyncio.create_task(call("getUpdates", timeout=5))
        await api.wait_for_polling()
        status, _ = await call("getUpdates", timeout=0)
        assert status == 200
        status, body = await asyncio.wait_for(first, 2)
        assert status == 409
        assert body["description"].startswith("Conflict: terminated by other getUpdates request")


async def test_validation_errors_match_telegram(api: FakeBotApi) -> None:
    async with raw_client(api) as call:
        assert await call("sendMessage", chat_id=1, text="x" * 4097) == (
            400,
            {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"},
        )
        status, body = await call("sendMessage", chat_id=1, text="x" * 4096)
        assert status == 200
        long_data = {"inline_keyboard": [[{"text": "A", "callback_data": "é" * 33}]]}  # 66 bytes
        status, body = await call("sendMessage", chat_id=1, text="x", reply_markup=long_data)
        assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")
        status, body = await call("sendMessage", chat_id=1, text="a < b", parse_mode="HTML")
        assert (
            body["description"]
            == 'Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 2'
        )
        status, body = await call("sendMessage", chat_id=1, text="   ", parse_mode="HTML")
        assert body["description"] == "Bad Request: message text is empty"

        status, body = await call("sendMessage", chat_id=1, text="<b>same</b>", parse_mode="HTML")
        message_id = body["result"]["message_id"]
        status, body = await call("editMessageText", chat_id=1, message_id=message_id, text="same")
        assert status == 200  # the bold entity is gone, so the content changed
        status, body = await call("editMessageText", chat_id=1, message_id=message_id, text="same")
        assert (status, body["description"].split(":")[0]) == (400, "Bad Request")
        assert "message is not modified" in body["description"]
        status, body = await call("editMessageText", chat_id=1, message_id=999, text="x")
        assert body["description"] == "Bad Request: message to edit not found"

        status, body = await call("answerCallbackQuery", callback_query_id="nope")
        assert (status, body["description"]) == (
            400,
            "Bad Request: query is too old and response timeout expired or query ID is invalid",
        )
        assert await call("noSuchMethod") == (
            404,
            {"ok": False, "error_code": 404, "description": "Not Found"},
        )
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{api.url}/botnot-a-token/getMe") as response,
    ):
        assert response.status == 404


async def test_wait_for_message_failure_lists_what_the_chat_received(api: FakeBotApi) -> None:
    async with raw_client(api) as call:
        await call("sendMessage", chat_id=ALICE.id, text="Welcome")
        await call("sendMessage", chat_id=ALICE.id, text="<b>broken", parse_mode="HTML")
    with pytest.raises(AssertionError) as caught:
        await api.wait_for_message(ALICE.id, contains="Goodbye", timeout=0.1)
    report = str(caught.value)
    assert "[new] sent" in report and "'Welcome'" in report
    assert "can't parse entities" in report


@pytest.mark.parametrize(
    ("source", "text", "entities"),
    [
        ("<b>bold</b> &amp; <i>it</i>", "bold & it", [("bold", 0, 4), ("italic", 7, 2)]),
        ('<a href="https://e.x/?a=1&amp;b=2">link</a>', "link", [("text_link", 0, 4)]),
        (
            "<tg-spoiler>s</tg-spoiler><span class='tg-spoiler'>p</span>",
            "sp",
            [("spoiler", 0, 1), ("spoiler", 1, 1)],
        ),
        ('<pre><code class="language-python">x = 1</code></pre>', "x = 1", [("pre", 0, 5)]),
        ("😀 <u>u</u> &#60;&#x3e; &copy; Tom & Jerry", "😀 u <> &copy; Tom & Jerry", [("underline", 3, 1)]),
        ("<blockquote>q <strong>s</strong></blockquote>", "q s", [("blockquote", 0, 3), ("bold", 2, 1)]),
    ],
)
def test_html_parser_accepts_telegram_html(
    source: str, text: str, entities: list[tuple[str, int, int]]
) -> None:
    parsed = parse_html(source)
    assert parsed.text == text
    assert [(e["type"], e["offset"], e["length"]) for e in parsed.entities] == entities


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("<b>Bob", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("line<br>break", 'Unsupported start tag "br" at byte offset 4'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("Привет <x", "Unclosed start tag at byte offset 13"),
    ],
)
def test_html_parser_rejects_what_telegram_rejects(source: str, error: str) -> None:
    with pytest.raises(HtmlParseError) as caught:
        parse_html(source)
    assert str(caught.value) == error
