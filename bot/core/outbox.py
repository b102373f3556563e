"""The outbox: every message the bot pushes by itself (nudges, the morning digests, relationship
greetings, escalations, notices to admins) goes through this one table and one sender.

Producers (``bot.scheduling`` wires them) decide what is due, record their own bookkeeping (a
nudge marked sent, a digest logged for the day) and write the rendered messages here, in the same
durable write. The sender (``Runner.send_outbox``) then takes what is queued, and:

```mermaid
stateDiagram-v2
    [*] --> queued: a producer writes it
    queued --> sending: taken (recorded before it is handed to Telegram)
    sending --> [*]: delivered, or the recipient blocked the bot
    sending --> queued: a passing failure (retried in RETRY_AFTER), or a stop before it left
```

At most once: a push is marked "sending" before it is handed over, so a crash in between loses
it rather than sending it twice (a reminder that comes twice teaches people to ignore reminders);
at the next start, pushes left "sending" are dropped with a log line (``drop_interrupted``). A stop
(SIGTERM) is no crash: what never reached Telegram goes back to "queued" and leaves at the next
start. 429s are waited out by delivery; quiet hours are the producers' rule.

A handler's notices to other people (``Context.push``: the team told of a change, the admins of a
request) are queued here too, in the update's own write, so a crash after that write cannot lose
them. They are held back from ``take`` (in memory: ``holding``) until the update's reply was handed
over, so the person acting hears first and the others after, whoever sends the outbox meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence, Set
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from tinydb.table import Document, Table

from bot.core.events import Keyboard, Outcome, Send
from bot.repositories.codec import from_doc, highest_id, raw_documents, replace_by_id, stored, to_doc

RETRY_AFTER = timedelta(minutes=5)
TABLE = "outbox"


class PushState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"


@dataclass(frozen=True)
class Push:
    """One message to push: to whom, what, and where it stands."""

    id: int
    chat_id: int
    text: str
    buttons: Keyboard = ()
    kind: str = ""  # who produced it (nudge, digest, relationship, escalation, notice): for the log
    state: PushState = PushState.QUEUED
    not_before: datetime | None = None  # a retry waits until then
    attempts: int = 0

    @property
    def message(self) -> Send:
        return Send(self.chat_id, self.text, self.buttons)


class Outbox:
    """The queued and sending pushes, in the table "outbox" (by id, in the order they were queued)."""

    def __init__(self, table: Table) -> None:
        self._table = table
        stored(Push)
        # Pushes queued by an update whose reply is not yet handed over: not taken meanwhile. Kept
        # by the core thread (``holding``) and the event loop's (``let_go``), hence the lock.
        self._held: set[int] = set()
        self._lock = threading.Lock()
        self._holding: list[int] | None = None

    def add(self, messages: Iterable[Send], kind: str, not_before: datetime | None = None) -> int:
        """Queues ``messages`` (one write), to leave at once or from ``not_before``; returns how many."""
        start = highest_id(self._table) + 1
        pushes = [Push(start + index, m.chat_id, m.text, m.buttons, kind, not_before=not_before)
                  for index, m in enumerate(messages)]
        if pushes:
            self._table.insert_multiple([Document(to_doc(p), doc_id=p.id) for p in pushes])
            if self._holding is not None:
                ids = [p.id for p in pushes]
                self._holding.extend(ids)
                with self._lock:
                    self._held.update(ids)
        return len(pushes)

    @contextmanager
    def holding(self) -> Iterator[list[int]]:
        """What is queued inside (an update's turn, on the core) is held back from ``take`` until
        ``let_go`` gets the ids this yields (once the update's reply was handed over)."""
        held: list[int] = []
        self._holding = held
        try:
            yield held
        except BaseException:
            # A turn that raised has no reply to wait for, and its write was undone: were its ids
            # kept, a push given one of them later would never be taken.
            self.let_go(held)
            raise
        finally:
            self._holding = None

    def let_go(self, ids: Sequence[int]) -> None:
        """Pushes ``holding`` held back may be taken now. The ids of a write that was undone since
        (its flush failed) do no harm: one queued again meanwhile is held only until this call."""
        if ids:
            with self._lock:
                self._held.difference_update(ids)

    def take(self, now: datetime, limit: int, busy: Set[int] = frozenset()) -> list[Push]:
        """Up to ``limit`` queued pushes whose time has come, oldest first, marked as sending; none
        to a chat in ``busy`` (one whose earlier pushes are still on their way: they go first)."""
        docs, queued = raw_documents(self._table), PushState.QUEUED.value
        with self._lock:
            held = frozenset(self._held)
        ids = sorted(int(doc_id) for doc_id, doc in docs.items() if doc.get("state") == queued
                     and (doc.get("not_before") is None or datetime.fromisoformat(doc["not_before"]) <= now)
                     and int(doc_id) not in held and doc.get("chat_id") not in busy)
        due = [from_doc(Push, docs[str(doc_id)]) for doc_id in ids[:limit]]
        taken = [replace(p, state=PushState.SENDING, attempts=p.attempts + 1) for p in due]
        self._save(taken)
        return taken

    def release(self, pushes: Sequence[Push]) -> int:
        """Puts pushes that never reached Telegram back in the queue, to leave at once."""
        self._save([replace(p, state=PushState.QUEUED) for p in pushes])
        return len(pushes)

    def settle(self, results: Sequence[tuple[Push, Outcome]], now: datetime) -> None:
        """Delivered and blocked pushes leave the outbox; the others are retried in ``RETRY_AFTER``."""
        done = [push.id for push, outcome in results if outcome.delivered or outcome.blocked]
        retry = [replace(push, state=PushState.QUEUED, not_before=now + RETRY_AFTER)
                 for push, outcome in results if not (outcome.delivered or outcome.blocked)]
        self._delete(done)
        self._save(retry)

    def drop_interrupted(self) -> int:
        """At start: pushes a crash left "sending" may have reached Telegram; they are dropped, so
        nothing is sent twice. Returns how many."""
        lost = [p.id for p in self._in_state(PushState.SENDING)]
        self._delete(lost)
        return len(lost)

    def queued(self) -> list[Push]:
        """The queued pushes, oldest first."""
        return self._in_state(PushState.QUEUED)

    def _in_state(self, state: PushState) -> list[Push]:
        # Filtered before decoding: a burst queues thousands, taken a slice at a time.
        docs = raw_documents(self._table)
        ids = sorted(int(doc_id) for doc_id, doc in docs.items() if doc.get("state") == state.value)
        return [from_doc(Push, docs[str(doc_id)]) for doc_id in ids]

    def _save(self, pushes: list[Push]) -> None:
        if pushes:
            docs = {str(p.id): to_doc(p) for p in pushes}
            self._table.update(replace_by_id(docs), doc_ids=[p.id for p in pushes])

    def _delete(self, ids: list[int]) -> None:
        if ids:
            self._table.remove(doc_ids=ids)

