"""What arrives over Feishu's long connection, read for the core, and which events were handled.

Feishu pushes an event again when the bot did not acknowledge it within three seconds (or answered
it with an error): after a crash, or when the core was busy that long (the morning digests at
50,000 visits take three). The acknowledgement goes once the event is handled and written, as
Telegram's confirmation does; an event pushed again that was handled already is dropped by its
``event_id``, which Feishu keeps for every push of one event. Those ids are kept in a table for a
day, so a push again after a restart is dropped too.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tinydb import Query
from tinydb.table import Table

TABLE = "feishu_events"
# How long a handled event's id is kept: Feishu pushes an unacknowledged event again for hours.
KEEP_SECONDS = 24 * 3600
# Old ids are dropped every this many records (and at start).
PRUNE_EVERY = 1000
# "@_user_1": where a message mentions someone (in a group, the bot).
_MENTION = re.compile(r"@_user_\d+\s*")
# A menu's event key that may become a command ("new", "today").
_MENU_KEY = re.compile(r"[a-z_]{1,32}")


class SeenEvents:
    """The ids of the events handled lately. ``note`` and ``forget`` are in memory (any time, on the
    event loop); ``record`` and ``prune`` write, on the core thread."""

    def __init__(self, table: Table) -> None:
        self._table = table
        self._at: dict[str, float] = {str(doc["id"]): float(doc["at"]) for doc in table.all()}
        self._records = 0

    def seen(self, event_id: str) -> bool:
        return event_id in self._at

    def note(self, event_id: str, now: float) -> None:
        """Handled from now on: a second push meanwhile is dropped."""
        self._at[event_id] = now

    def forget(self, event_id: str) -> None:
        """Not handled after all (it failed): a push again is handled."""
        self._at.pop(event_id, None)

    def record(self, event_id: str, now: float) -> None:
        """Handled, for good: a push again, even after a restart, is dropped."""
        self._at[event_id] = now
        self._table.insert({"id": event_id, "at": now})
        self._records += 1
        if self._records % PRUNE_EVERY == 0:
            self.prune(now)

    def prune(self, now: float) -> None:
        oldest = now - KEEP_SECONDS
        self._table.remove(Query().at < oldest)
        self._at = {event_id: at for event_id, at in self._at.items() if at >= oldest}


def message_text(message_type: str, content: str) -> str | None:
    """The text of a text or rich-text (``post``) message, mentions taken out; None for others."""
    try:
        body = json.loads(content or "{}")
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    if message_type == "text":
        text = str(body.get("text") or "")
    elif message_type == "post":
        text = _post_text(body)
    else:
        return None
    return _MENTION.sub("", text).strip()


def _post_text(body: dict[str, Any]) -> str:
    """A rich-text message's words, line by line (its title first, if any)."""
    post: Any = body.get("content") if "content" in body else next(iter(body.values()), {})
    title = str(body.get("title") or (post.get("title") if isinstance(post, dict) else "") or "")
    rows = post.get("content") if isinstance(post, dict) else post
    lines = [title] if title else []
    for row in rows if isinstance(rows, list) else []:
        words = [str(item.get("text", "")) for item in row if isinstance(item, dict) and item.get("tag") in
                 ("text", "a", "md")] if isinstance(row, list) else []
        lines.append("".join(words))
    return "\n".join(lines)


def file_of(content: str) -> tuple[str, str] | None:
    """A file message's key and name."""
    try:
        body = json.loads(content or "{}")
    except ValueError:
        return None
    if not isinstance(body, dict) or not body.get("file_key"):
        return None
    return str(body["file_key"]), str(body.get("file_name") or "document")


def menu_command(event_key: str) -> str | None:
    """The command a bot menu item stands for: its event key, set in the developer console, names
    one (``today`` → ``/today``)."""
    key = event_key.strip().lstrip("/").lower()
    return f"/{key}" if _MENU_KEY.fullmatch(key) else None
