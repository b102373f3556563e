"""Updates: users' messages and button presses queued for ``getUpdates``, long polling and webhooks."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

from .models import BotMessage, UserLike, user_dict
from .parse_mode import utf16_len
from .state import ApiState, default_chat
from .wire import ApiError, Call

#: Update types Telegram leaves out unless they are listed in ``allowed_updates`` explicitly.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


class Updates(ApiState):
    """The users' side: what they send and press, and the long polling that hands it to the bot."""

    def push_update(self, update: Mapping[str, Any]) -> dict[str, Any]:
        """Queue any update (a dict without ``update_id``); it gets the next id and is returned."""
        full = {"update_id": next(self._update_ids), **{k: v for k, v in update.items() if k != "update_id"}}
        self._pending.append(full)
        self._bump()
        return full

    def register_chat(self, chat: Mapping[str, Any]) -> dict[str, Any]:
        """Make a chat known (id, type, title/first_name...) so messages in it carry these fields."""
        stored = dict(chat)
        self._chats[int(stored["id"])] = stored
        return stored

    def user_sends(
        self,
        user: UserLike,
        text: str,
        chat_id: int | None = None,
        *,
        chat_title: str | None = None,
        reply_to: BotMessage | Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Queue a text message from ``user``; returns the update.

        The chat is the private chat with the user unless ``chat_id`` is given (negative ids are groups,
        ``-100...`` supergroups). Text starting with ``/`` carries a ``bot_command`` entity, as Telegram
        adds one and both frameworks' command filters rely on it.
        """
        sender = user_dict(user)
        message = self._user_message(sender, chat_id, chat_title, reply_to)
        message["text"] = text
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        return self.push_update({"message": message})

    def user_presses(
        self,
        user: UserLike,
        message: BotMessage | Mapping[str, Any],
        data: str | None = None,
        *,
        button: str | None = None,
        check: bool = True,
    ) -> dict[str, Any]:
        """Queue a callback_query: ``user`` presses an inline button of a message the bot sent.

        Give the button's ``data`` or its visible text as ``button``. With ``check`` (default) the
        button must be on the message as it is now -- a person cannot press a button that was edited
        away. The callback_query carries the current version of the message. Returns the update; the
        query id is ``update["callback_query"]["id"]`` (see :meth:`wait_for_callback_answer`).
        """
        chat_id, message_id = self._message_key(message)
        current = self._messages.get((chat_id, message_id))
        if current is None or (chat_id, message_id) not in self._bot_message_keys:
            raise ValueError(f"message {message_id} in chat {chat_id} was not sent by the bot")
        if (chat_id, message_id) in self.deleted:
            raise ValueError(f"message {message_id} in chat {chat_id} was deleted")
        snapshot = self._latest_snapshot(chat_id, message_id)
        if button is not None:
            data = snapshot.callback_data(button)
        if data is None:
            raise ValueError("give the button's callback data or its text (button=...)")
        available = [b.get("callback_data") for row in snapshot.buttons for b in row]
        if check and data not in available:
            raise ValueError(f"message {message_id} has no button with data {data!r}; it has {available}")
        query_id = str(next(self._query_ids))
        query = {
            "id": query_id,
            "from": user_dict(user),
            "message": json.loads(json.dumps(current)),
            "chat_instance": str(abs(chat_id) * 7919 % 10**12),
            "data": data,
        }
        self._queries[query_id] = query
        return self.push_update({"callback_query": query})

    def _user_message(
        self,
        sender: dict[str, Any],
        chat_id: int | None,
        chat_title: str | None,
        reply_to: BotMessage | Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        if chat_id is None or chat_id == sender["id"]:
            chat = {"id": sender["id"], "type": "private"}
            chat.update({k: sender[k] for k in ("first_name", "last_name", "username") if k in sender})
        else:
            chat = self._chats.get(chat_id) or default_chat(chat_id, chat_title)
        self._chats[int(chat["id"])] = chat
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "from": sender,
            "chat": chat,
            "date": int(time.time()),
        }
        if reply_to is not None:
            key = self._message_key(reply_to)
            if key in self._messages:
                message["reply_to_message"] = self._messages[key]
        self._messages[(int(chat["id"]), message["message_id"])] = message
        return message

    async def wait_for_polling(self, timeout: float = 10) -> None:  # noqa: ASYNC109
        """Wait until the bot is long-polling, i.e. it started and is ready to receive updates."""
        if await self._wait_until(lambda: self._polls_waiting > 0 or None, timeout) is None:
            raise AssertionError(
                f"the bot did not call getUpdates within {timeout}s; requests: {self._brief_log()}"
            )

    async def wait_for_delivery(self, timeout: float = 10) -> None:  # noqa: ASYNC109
        """Wait until every queued update was handed to the bot by getUpdates."""

        def done() -> bool | None:
            return all(u["update_id"] in self._delivered for u in self._pending) or None

        if await self._wait_until(done, timeout) is None:
            raise AssertionError(f"updates not fetched by the bot within {timeout}s: {self._pending}")

    async def _m_getupdates(self, call: Call) -> Any:
        if self.webhook_url:
            raise ApiError(409, CONFLICT_WEBHOOK)
        offset = call.integer("offset")
        limit = min(max(call.integer("limit", 100) or 100, 1), 100)
        timeout = max(call.number("timeout", 0.0), 0.0)
        allowed = call.decoded("allowed_updates", "can't parse allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(kind) for kind in allowed] or None
        self._confirm(offset)

        self._poll_generation += 1
        generation = self._poll_generation
        self._polls_waiting += 1
        self._bump()  # an older poll ends with 409; wait_for_polling() sees this one
        try:
            batch = await self._wait_until(lambda: self._next_batch(generation, limit), timeout)
        finally:
            self._polls_waiting -= 1
        if generation != self._poll_generation:
            raise ApiError(409, CONFLICT_POLL)
        updates = batch or []
        transport = call.request.transport
        if transport is not None and not transport.is_closing():
            self._delivered.update(u["update_id"] for u in updates)
        return updates

    def _is_allowed(self, update: Mapping[str, Any]) -> bool:
        kind = next((key for key in update if key != "update_id"), "")
        if self._allowed_updates is None:
            return kind not in OPT_IN_UPDATES
        return kind in self._allowed_updates

    def _confirm(self, offset: int | None) -> None:
        if offset is None or offset == 0:
            return
        if offset < 0:
            self._pending = self._pending[offset:]
        else:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]

    def _next_batch(self, generation: int, limit: int) -> list[dict[str, Any]] | None:
        if generation != self._poll_generation or self._stopping or self._offline:
            return []  # stop waiting; the caller decides what to answer
        # Telegram drops updates of types the bot did not ask for.
        kept = [update for update in self._pending if self._is_allowed(update)]
        self._pending = kept
        return kept[:limit] or None

    async def _m_deletewebhook(self, call: Call) -> Any:
        self.webhook_url = ""
        if call.flag("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _m_setwebhook(self, call: Call) -> Any:
        self.webhook_url = call.string("url") or ""
        return True

    async def _m_getwebhookinfo(self, call: Call) -> Any:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
