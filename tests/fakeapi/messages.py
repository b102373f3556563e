"""Messages: what the bot sends, edits and deletes, checked as Telegram checks it, and the waits on them."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any, Literal

from .models import BotMessage, CallbackAnswer
from .parse_mode import HtmlParseError, ParsedText, parse_html, trim
from .state import ApiState
from .wire import ApiError, Call, bad_request

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
#: Inline button fields that make a button do something (a button needs exactly one).
BUTTON_ACTIONS = frozenset(
    {
        "url", "callback_data", "web_app", "login_url", "switch_inline_query",
        "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
        "callback_game", "pay",
    }
)  # fmt: skip
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
    }
)  # fmt: skip
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"


class Messages(ApiState):
    """The bot's side of a chat: sending, editing and deleting messages, answering presses."""

    async def wait_for_message(
        self,
        chat_id: int,
        predicate: Callable[[BotMessage], bool] | None = None,
        timeout: float = 10,  # noqa: ASYNC109
        *,
        contains: str | None = None,
    ) -> BotMessage:
        """The earliest bot message (sent or edited) to ``chat_id`` not returned by an earlier wait that
        matches ``predicate`` and/or contains ``contains`` in its visible text; it is then consumed.

        Raises AssertionError after ``timeout`` seconds, listing what the chat did receive and the API
        errors the bot got for it (a 400 "can't parse entities" is the usual reason for silence).
        """

        def matches(event: BotMessage) -> bool:
            if event.seq in self._consumed or event.chat_id != chat_id:
                return False
            if contains is not None and contains not in (event.text or ""):
                return False
            return predicate is None or predicate(event)

        def find() -> BotMessage | None:
            return next((event for event in self._events if matches(event)), None)

        found = await self._wait_until(find, timeout)
        if found is None:
            wanted = f" containing {contains!r}" if contains is not None else ""
            wanted += " matching the predicate" if predicate is not None else ""
            summary = self.describe_chat(chat_id)
            raise AssertionError(f"no new bot message{wanted} to chat {chat_id} within {timeout}s\n{summary}")
        self._consumed.add(found.seq)
        return found

    async def expect_no_message(
        self, chat_id: int, within: float = 0.5, predicate: Callable[[BotMessage], bool] | None = None
    ) -> None:
        """Assert the bot sends/edits nothing new (matching ``predicate``) to ``chat_id`` for ``within`` s."""

        def find() -> BotMessage | None:
            return next(
                (
                    e
                    for e in self._events
                    if e.chat_id == chat_id
                    and e.seq not in self._consumed
                    and (predicate is None or predicate(e))
                ),
                None,
            )

        found = await self._wait_until(find, within)
        if found is not None:
            raise AssertionError(f"unexpected bot message to chat {chat_id}: {found}")

    async def wait_for_callback_answer(
        self,
        query: str | Mapping[str, Any],
        timeout: float = 10,  # noqa: ASYNC109
    ) -> CallbackAnswer:
        """The bot's answerCallbackQuery for a press (query id, or the update from user_presses)."""
        query_id = query if isinstance(query, str) else str(query["callback_query"]["id"])
        answer = await self._wait_until(lambda: self._answers.get(query_id), timeout)
        if answer is None:
            raise AssertionError(f"callback query {query_id} was not answered within {timeout}s")
        return answer

    def messages(self, chat_id: int, *, include_deleted: bool = False) -> list[BotMessage]:
        """Every message the bot sent to ``chat_id``, each in its latest version, in sending order."""
        keys = sorted(k for k in self._bot_message_keys if k[0] == chat_id)
        return [self._latest_snapshot(*key) for key in keys if include_deleted or key not in self.deleted]

    def events(self, chat_id: int | None = None) -> list[BotMessage]:
        """Full history of sends and edits (optionally for one chat), oldest first."""
        return [e for e in self._events if chat_id is None or e.chat_id == chat_id]

    def callback_answer(self, query_id: str) -> CallbackAnswer | None:
        return self._answers.get(query_id)

    def describe_chat(self, chat_id: int) -> str:
        """A readable summary of what happened in a chat, for assertion messages."""
        lines = [f"messages to chat {chat_id}:"]
        for event in self.events(chat_id):
            mark = "consumed" if event.seq in self._consumed else "new"
            document = f" document={event.document.filename!r}" if event.document else ""
            lines.append(
                f"  [{mark}] {event.event} #{event.message_id}: {event.text!r}{document} "
                f"buttons={event.button_texts}"
            )
        if len(lines) == 1:
            lines.append("  (none)")
        errors = self.errors(chat_id)
        if errors:
            lines.append("API errors for this chat:")
            lines += [f"  {r.method} -> {r.status} {r.description}" for r in errors]
        return "\n".join(lines)

    async def _m_sendchataction(self, call: Call) -> Any:
        chat = self._chat(call.required_int("chat_id"))
        action = call.string("action")
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.chat_actions.append((int(chat["id"]), action))
        return True

    async def _m_sendmessage(self, call: Call) -> Any:
        chat = self._chat(call.required_int("chat_id"))
        raw, parsed = self._text(call, too_long="message is too long")
        markup = self._reply_markup(call)
        payload = self._new_bot_message(call, chat)
        put_text(payload, parsed, markup)
        return self._record_event("sent", call, payload, raw, markup)

    async def _m_editmessagetext(self, call: Call) -> Any:
        payload = self._editable(call)
        if "text" not in payload:
            raise bad_request("there is no text in the message to edit")
        raw, parsed = self._text(call, too_long="MESSAGE_TOO_LONG")
        markup = self._reply_markup(call)
        new = _without(payload, "text", "entities", "reply_markup")
        put_text(new, parsed, markup)
        return self._apply_edit(call, payload, new, raw, markup)

    async def _m_editmessagecaption(self, call: Call) -> Any:
        payload = self._editable(call)
        if "text" in payload:
            raise bad_request("there is no caption in the message to edit")
        raw = call.string("caption")
        parsed = self._format(raw, call, "caption_entities") if raw else ParsedText("")
        if len(parsed.text) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        markup = self._reply_markup(call)
        new = _without(payload, "caption", "caption_entities", "reply_markup")
        if parsed.text:
            new["caption"] = parsed.text
        if parsed.entities:
            new["caption_entities"] = parsed.entities
        attach_markup(new, markup)
        return self._apply_edit(call, payload, new, raw, markup)

    async def _m_editmessagereplymarkup(self, call: Call) -> Any:
        payload = self._editable(call)
        markup = self._reply_markup(call)
        new = _without(payload, "reply_markup")
        attach_markup(new, markup)
        return self._apply_edit(call, payload, new, None, markup, keep_text=True)

    async def _m_deletemessage(self, call: Call) -> Any:
        key = (
            call.required_int("chat_id"),
            call.required_int("message_id", "message identifier is not specified"),
        )
        if key not in self._messages or key in self.deleted:
            raise bad_request("message to delete not found")
        self.deleted.append(key)
        return True

    async def _m_answercallbackquery(self, call: Call) -> Any:
        query_id = call.string("callback_query_id") or ""
        if query_id not in self._queries or query_id in self._answers:
            raise ApiError(400, QUERY_INVALID)
        self._answers[query_id] = CallbackAnswer(
            callback_query_id=query_id,
            text=call.string("text"),
            show_alert=call.flag("show_alert"),
            url=call.string("url"),
            params=dict(call.params),
        )
        return True

    def _new_bot_message(self, call: Call, chat: dict[str, Any]) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "message_id": next(self._message_ids),
            # Messages carry the short User object; the can_* flags only come with getMe.
            "from": {k: call.bot_user[k] for k in ("id", "is_bot", "first_name", "username")},
            "chat": chat,
            "date": int(time.time()),
        }
        reply = call.decoded("reply_parameters", "can't parse reply parameters JSON object")
        reply_id = reply.get("message_id") if isinstance(reply, dict) else call.integer("reply_to_message_id")
        if reply_id is not None:
            replied = self._messages.get((int(chat["id"]), int(reply_id)))
            if replied is not None:
                payload["reply_to_message"] = replied
            elif not call.flag("allow_sending_without_reply") and not (
                isinstance(reply, dict) and reply.get("allow_sending_without_reply")
            ):
                raise bad_request("message to be replied not found")
        return payload

    def _text(self, call: Call, *, too_long: str) -> tuple[str, ParsedText]:
        """The text of a sendMessage or editMessageText as sent and as parsed; Telegram words the
        "too long" answer differently for the two."""
        raw = call.string("text")
        if raw is None:
            raise bad_request("message text is empty")
        parsed = self._format(raw, call, "entities")
        if not parsed.text:
            raise bad_request("message text is empty")
        if len(parsed.text) > MAX_TEXT:
            raise bad_request(too_long)
        return raw, parsed

    def _format(self, raw: str, call: Call, entities_key: str) -> ParsedText:
        """Parse ``raw`` as Telegram would for the call's parse_mode (HTML strictly; others verbatim)."""
        mode = call.string("parse_mode")
        explicit = call.decoded(entities_key, f"can't parse {entities_key} JSON object")
        if mode is None or mode.lower() not in ("html", "markdown", "markdownv2"):
            if mode is not None:
                raise bad_request(f"unsupported parse_mode {mode!r}")
            return trim(ParsedText(raw, list(explicit) if isinstance(explicit, list) else []))
        if mode.lower() == "html":
            try:
                return trim(parse_html(raw))
            except HtmlParseError as error:
                raise bad_request(f"can't parse entities: {error}") from None
        return trim(ParsedText(raw))  # Markdown is not interpreted by the fake; see the report

    def _reply_markup(self, call: Call) -> dict[str, Any] | None:
        markup = call.decoded("reply_markup", "can't parse reply keyboard markup JSON object")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
                raise bad_request(
                    'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
                )
            for button in (b for row in rows for b in row):
                if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                    raise bad_request("can't parse inline keyboard button: Text buttons are unallowed")
                if not BUTTON_ACTIONS & button.keys():
                    raise bad_request("text buttons are unallowed in the inline keyboard")
                if "callback_data" in button:
                    data = button["callback_data"]
                    if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
                        raise bad_request("BUTTON_DATA_INVALID")
        return markup

    def _editable(self, call: Call) -> dict[str, Any]:
        if call.has("inline_message_id"):
            raise bad_request("the fake Bot API does not support inline messages")
        key = (
            call.required_int("chat_id"),
            call.required_int("message_id", "message identifier is not specified"),
        )
        payload = self._messages.get(key)
        if payload is None or key in self.deleted:
            raise bad_request("message to edit not found")
        if key not in self._bot_message_keys:
            raise bad_request("message can't be edited")
        return payload

    def _apply_edit(
        self,
        call: Call,
        old: dict[str, Any],
        new: dict[str, Any],
        raw: str | None,
        markup: dict[str, Any] | None,
        *,
        keep_text: bool = False,
    ) -> dict[str, Any]:
        def content(message: Mapping[str, Any]) -> tuple[Any, ...]:
            fields = ("text", "entities", "caption", "caption_entities", "reply_markup")
            return tuple(json.dumps(message.get(f), sort_keys=True) for f in fields)

        if content(old) == content(new):
            raise ApiError(400, NOT_MODIFIED)
        new["edit_date"] = int(time.time())
        if keep_text:  # only the keyboard changed: keep the text as last sent
            previous = self._latest_snapshot(int(old["chat"]["id"]), int(old["message_id"]))
            raw = previous.raw_text
            call = ParseModeView(call, previous.parse_mode)
        return self._record_event("edited", call, new, raw, markup)

    def _record_event(
        self,
        event: Literal["sent", "edited"],
        call: Call,
        payload: dict[str, Any],
        raw: str | None,
        markup: dict[str, Any] | None,
    ) -> dict[str, Any]:
        chat_id, message_id = int(payload["chat"]["id"]), int(payload["message_id"])
        self._messages[(chat_id, message_id)] = payload
        self._bot_message_keys.add((chat_id, message_id))
        self._events.append(
            BotMessage(
                seq=len(self._events),
                event=event,
                method=call.record.method,
                chat_id=chat_id,
                message_id=message_id,
                text=payload.get("text", payload.get("caption")),
                raw_text=raw,
                parse_mode=call.string("parse_mode"),
                entities=list(payload.get("entities", payload.get("caption_entities", []))),
                reply_markup=markup,
                document=self._documents.get((chat_id, message_id)),
                payload=payload,
            )
        )
        self._bump()
        return payload


class ParseModeView(Call):
    """A Call whose parse_mode is overridden, so a keyboard-only edit keeps the text's parse mode."""

    def __init__(self, call: Call, parse_mode: str | None) -> None:
        super().__init__(call.record, call.bot_user, call.request)
        self._parse_mode = parse_mode

    def string(self, key: str, default: str | None = None) -> str | None:
        if key == "parse_mode":
            return self._parse_mode
        return super().string(key, default)


def put_text(payload: dict[str, Any], parsed: ParsedText, markup: dict[str, Any] | None) -> None:
    payload["text"] = parsed.text
    if parsed.entities:
        payload["entities"] = parsed.entities
    attach_markup(payload, markup)


def attach_markup(payload: dict[str, Any], markup: dict[str, Any] | None) -> None:
    """Telegram echoes only inline keyboards in the Message; reply keyboards are not part of it."""
    if markup is not None and "inline_keyboard" in markup:
        payload["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}


def _without(payload: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k not in keys}
