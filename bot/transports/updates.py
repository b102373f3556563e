"""The Bot API's updates, as its JSON, turned into the core's events: one reading for every framework.

Why not each framework's ``Update`` objects: the core needs a handful of fields, and building the
whole update (every entity and nested object) was a measurable part of each reply on both
frameworks (``bench.e2e``); the two adapters also read those objects in two copies of the same
function. The adapters fetch ``getUpdates`` as plain JSON and hand each update here, with their
way to download a sent file.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.core.events import Event, IncomingFile, User
from bot.transports.polling import Incoming

# Downloads a sent file by its ``file_id``; None if it could not be fetched.
Download = Callable[[str], Awaitable[bytes | None]]


def incoming(update: dict[str, Any], download: Download) -> Incoming:
    """The core's event for one update (a sent file is downloaded first, aside)."""
    update_id = int(update["update_id"])
    message = update.get("message")
    if message is not None:
        sender = message.get("from")
        chat = message["chat"]
        if sender is None:
            return Incoming(update_id)
        document = message.get("document")
        if document is not None:
            async def with_document() -> Event:
                return Event(_user(sender), chat["id"], chat["type"], text=message.get("caption"),
                             document=await _file(document, download), update_id=update_id)

            return Incoming(update_id, download=with_document)
        text = message.get("text")
        if text is None:
            return Incoming(update_id)
        return Incoming(update_id, Event(_user(sender), chat["id"], chat["type"], text=text,
                                         update_id=update_id))
    query = update.get("callback_query")
    if query is not None:
        pressed = query.get("message")
        # The chat's type matters: a button in a group must answer with what the group may see.
        chat = pressed["chat"] if pressed is not None else {"id": query["from"]["id"], "type": "private"}
        return Incoming(update_id, Event(
            _user(query["from"]), chat["id"], chat["type"], callback_data=query.get("data") or "",
            callback_id=query["id"], message_id=pressed["message_id"] if pressed is not None else None,
            update_id=update_id))
    inline = update.get("inline_query")
    if inline is not None:
        return Incoming(update_id, Event(_user(inline["from"]), inline["from"]["id"], "inline",
                                         text=inline.get("query", ""), inline_id=inline["id"],
                                         update_id=update_id))
    return Incoming(update_id)


def _user(user: dict[str, Any]) -> User:
    return User(user["id"], user.get("first_name") or "", user.get("last_name") or "",
                user.get("username") or "", user.get("language_code") or "")


async def _file(document: dict[str, Any], download: Download) -> IncomingFile:
    """The sent file with its content, unless it is too large or cannot be fetched."""
    meta = IncomingFile(document.get("file_name") or "document", document.get("mime_type") or "",
                        document.get("file_size") or 0)
    if meta.too_large:
        return meta
    content = await download(document["file_id"])
    if content is None:
        return meta
    return IncomingFile(meta.name, meta.mime_type, len(content), content)
