"""What a handler sees: the event, the services, the user, a translator, and the replies so far."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from bot.core.capabilities import Capabilities
from bot.core.events import Action, AnswerCallback, Button, Edit, Event, Keyboard, Send
from bot.domain.clients import NO_YEAR
from bot.domain.staff import Staff
from bot.i18n import N_, Translator

if TYPE_CHECKING:
    from bot.bootstrap import Services

T = TypeVar("T")


@dataclass(frozen=True)
class Aside(Generic[T]):
    """Work a handler set aside (``Context.set_aside``): done off the core, so that everybody else is
    answered meanwhile, then ``then`` finishes the handler on the core with its result.

    ``work`` must not touch the database or any service, only what it closes over (the bytes of a
    sheet); it may show progress with ``Context.live``.
    """

    work: Callable[[], T]
    then: Callable[[Context, T], None]

    def done(self) -> Callable[[Context], None]:
        """Does the work (off the core); returns the rest of the handler, to run on the core. If the
        work failed, the rest raises its error, answered as any failing handler's."""
        try:
            result = self.work()
        except Exception as error:
            failure = error

            def failed(ctx: Context) -> None:
                raise failure

            return failed
        return lambda ctx: self.then(ctx, result)


@dataclass
class Context:
    event: Event
    services: Services
    staff: Staff | None
    t: Translator
    # The words after a command, or the arguments of a callback.
    args: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    answered: bool = False
    # Delivers one action at once, while the handler still runs (set by the runner; None in tests).
    deliver_now: Callable[[Action], int | None] | None = None
    # Work to do off the core once the handler returns, and how to finish with its result.
    aside: Aside[Any] | None = None
    # This very update registered the sender: an admin named in the settings, at their first message.
    newcomer: bool = False

    @property
    def now(self) -> datetime:
        return self.services.clock.now()

    @property
    def caps(self) -> Capabilities:
        """What the messenger can do (its limits, its links, whether it has a command menu)."""
        return self.services.capabilities

    def chat_link(self, payload: str = "") -> str:
        """The link that opens one's private chat with the bot, carrying ``payload`` where the
        messenger can; "" where it has no such link."""
        return self.caps.link(self.services.bot_username, payload)

    def reply(self, text: str, buttons: Keyboard = ()) -> None:
        """Sends a new message to the chat the event came from."""
        self.actions.append(Send(self.event.chat_id, text, buttons))

    def show(self, text: str, buttons: Keyboard = ()) -> None:
        """Updates the message whose button was pressed; a new message for a typed command."""
        if self.event.is_callback and self.event.message_id is not None:
            self.actions.append(Edit(self.event.chat_id, self.event.message_id, text, buttons))
        else:
            self.reply(text, buttons)

    def toast(self, text: str, alert: bool = False) -> None:
        """Answers the pressed button with a short notice."""
        if self.event.callback_id is not None and not self.answered:
            self.actions.insert(0, AnswerCallback(self.event.callback_id, text, alert))
            self.answered = True

    def live(self, action: Send | Edit) -> int | None:
        """Shows progress of long work (an import) now, not when the handler returns; best effort:
        the message id, or None (not delivered, or no live transport: the action is dropped)."""
        return self.deliver_now(action) if self.deliver_now is not None else None

    def set_aside(self, work: Callable[[], T], then: Callable[[Context, T], None]) -> None:
        """Long work that needs no database (reading a sheet): done off the core once the handler
        returns, so that everybody else is answered meanwhile; ``then(ctx, result)`` finishes on the
        core, in a write of its own, with a context of its own (and may set work aside again)."""
        self.aside = Aside(work, then)

    def later(self, then: Callable[[Context], None]) -> None:
        """The rest of the handler in a turn of the core of its own, with a context of its own, so
        that whoever waits for the core goes first (long work in slices)."""
        self.aside = Aside(_nothing, lambda ctx, _: then(ctx))

    def push(self, chat_id: int, text: str, buttons: Keyboard = (), kind: str = "notice") -> None:
        """Sends a message to someone else (admins, a team member): queued in the outbox in this
        update's write, so a crash cannot keep the change and lose its notice, and sent by the
        outbox's sender once the reply was handed over (``Runner``)."""
        self.services.outbox.add([Send(chat_id, text, buttons)], kind)

    def translator_for(self, staff: Staff | None, language_code: str = "") -> Translator:
        """The translator for another person: their chosen locale, else their Telegram language."""
        i18n = self.services.i18n
        if staff is not None and staff.locale:
            return i18n.get(staff.locale)
        return i18n.for_language_code(staff.language_code if staff else language_code)

    def format_time(self, moment: datetime, t: Translator | None = None) -> str:
        """A moment in the company time zone, in this user's locale (or ``t``'s): "12月1日 周二 10:00",
        and "2027年1月5日 周二 10:00" for a moment in another year than now's."""
        return self._format(moment, N_("format.datetime"), t or self.t)

    def format_date(self, moment: datetime, t: Translator | None = None) -> str:
        """The day of a moment in the company time zone, e.g. "12月1日 周二" (with the year if not now's)."""
        return self._format(moment, N_("format.date"), t or self.t)

    def format_day(self, day: date) -> str:
        """A remembered day (a birthday, an anniversary) in this user's locale: 1985年3月12日, or 3月12日
        without its year; 12 Mar 1985, 12 Mar."""
        key = N_("client.format.day") if day.year == NO_YEAR else N_("client.format.day_year")
        return self.t.format_day(day, self.t(key))

    def _format(self, moment: datetime, key: str, t: Translator) -> str:
        tz = self.services.settings.tz
        return t.format_moment(moment.astimezone(tz), self.now.astimezone(tz).year, key)




def _nothing() -> None:
    return None


def keyboard(*rows: list[Button] | tuple[Button, ...]) -> Keyboard:
    """A keyboard from rows of buttons, dropping empty rows."""
    return tuple(tuple(row) for row in rows if row)
