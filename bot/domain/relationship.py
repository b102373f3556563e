"""Keeping clients warm (关系维护) as data and plain rules: the contact log, when a client is overdue
for contact, who hears about a client, and the occasions to greet them on.

The per-class cadence (class A: the account manager monthly, a leader quarterly) is measured from
the last contact anyone from us logged or a visit that took place; a client nobody has contacted
yet counts from the day it was recorded, since someone was in touch to get it into the bot.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from bot.domain.clients import NO_YEAR, Client, Contact, ImportantDate
from bot.domain.festivals import Festival, client_festivals


class Channel(StrEnum):
    """How we were in touch. A leader's visit also counts for the leader cadence."""

    CALL = "call"
    VISIT = "visit"
    MESSAGE = "message"
    EMAIL = "email"
    LEADER = "leader"


class Cadence(StrEnum):
    """Which rhythm a reminder is about: anyone's contact, or a company leader's visit."""

    CONTACT = "contact"
    LEADER = "leader"


@dataclass(frozen=True)
class ContactEntry:
    """Someone from us was in touch with a client. ``client_id`` is None while the person still has
    to pick among several clients matching what they typed; such an entry counts for no one.
    ``channel`` is None until they say how (the contact counts all the same)."""

    id: int
    client_id: int | None
    by: int
    at: datetime
    channel: Channel | None = None
    note: str = ""


@dataclass(frozen=True)
class Reminder:
    """A cadence nudge sent: one per client, rhythm and overdue period (``since``, the day of the
    last contact), so a client stays overdue without being nudged about every day."""

    id: str
    client_id: int
    cadence: Cadence
    since: date
    to: int
    sent_at: datetime
    snoozed_until: datetime | None = None


@dataclass(frozen=True)
class Digest:
    """The greetings digest one person got on one day, and the occasions it listed."""

    id: str
    staff: int
    day: date
    occasions: tuple[str, ...]
    sent_at: datetime


@dataclass(frozen=True)
class Sweep:
    """The daily pass over all clients on the day ``id``: once ``done``, later ticks that day do
    nothing. Until then it is the pass's progress, saved with each piece that nudged someone:
    how many cadence nudges each person got today (``nudged``, by user id), so that a pass stopped
    midway (a restart) and run again keeps to the day's few nudges a person rather than starting
    the count afresh. Records from before there was progress have neither field: done."""

    id: str
    at: datetime
    nudged: dict[int, int] = field(default_factory=dict)
    done: bool = True


def reminder_id(client_id: int, cadence: Cadence, since: date) -> str:
    return f"{client_id}:{cadence}:{since.isoformat()}"


def digest_id(staff: int, day: date) -> str:
    return f"{staff}:{day.isoformat()}"


# ---- the contact log --------------------------------------------------------------------------

# Words that say how, in the three languages; longer phrases first (领导拜访 before 拜访).
_CHANNEL_WORDS: tuple[tuple[Channel, tuple[str, ...]], ...] = (
    (Channel.LEADER, ("领导拜访", "領導拜訪", "领导走访", "領導走訪", "leader visit", "leader visited")),
    (Channel.CALL, ("电话", "電話", "通话", "通話", "call", "called", "phone", "phoned", "rang")),
    (Channel.VISIT, ("拜访", "拜訪", "走访", "走訪", "见面", "見面", "面谈", "面談",
                     "visit", "visited", "met", "meeting")),
    (Channel.EMAIL, ("邮件", "郵件", "电邮", "電郵", "email", "e-mail", "mail", "mailed", "emailed")),
    (Channel.MESSAGE, ("微信", "短信", "簡訊", "消息", "訊息", "留言", "message", "messaged", "wechat",
                       "whatsapp", "text", "texted", "sms")),
)


def channel_in(note: str) -> Channel | None:
    """How the note says we were in touch ("打了电话", "called about…"), if it says so."""
    folded = note.casefold()
    words = set(re.findall(r"[a-z-]+", folded))
    for channel, phrases in _CHANNEL_WORDS:
        for phrase in phrases:
            latin = phrase.isascii()
            if (latin and (phrase in words or (" " in phrase and phrase in folded))) or \
                    (not latin and phrase in folded):
                return channel
    return None


# ---- cadence ----------------------------------------------------------------------------------


def overdue_days(last: date, today: date, every: int) -> int | None:
    """Days since ``last`` when more than ``every`` have passed; None when on time or no cadence."""
    days = (today - last).days
    return days if every > 0 and days > every else None


def cadence_recipients(client: Client, latest_host: int | None, admins: Iterable[int],
                       active: Callable[[int], bool]) -> tuple[int, ...]:
    """Who is nudged about an overdue client: its account manager, else whoever hosted its latest
    visit, else the admins (someone must own a client nobody owns)."""
    for person in (client.account_manager, latest_host):
        if person is not None and active(person):
            return (person,)
    return tuple(admins)


def greeting_recipients(client: Client, recent_hosts: Iterable[int], latest_host: int | None,
                        admins: Iterable[int], active: Callable[[int], bool]) -> tuple[int, ...]:
    """Who greets a client: its account manager and everyone who hosted it within the year, else as
    ``cadence_recipients``. Each of them knows the people and may want to write themselves."""
    owners = [p for p in (client.account_manager, *recent_hosts) if p is not None and active(p)]
    return tuple(dict.fromkeys(owners)) or cadence_recipients(client, latest_host, admins, active)


# ---- occasions --------------------------------------------------------------------------------


class OccasionKind(StrEnum):
    FESTIVAL = "festival"
    BIRTHDAY = "birthday"
    COMPANY_DATE = "date"


@dataclass(frozen=True)
class Occasion:
    """A reason to greet one contact on one day."""

    kind: OccasionKind
    day: date
    client: Client
    contact: Contact
    festival: Festival | None = None
    important: ImportantDate | None = None
    years: int | None = None  # of a company date, when its first year is known

    @property
    def key(self) -> str:
        """Names the occasion in the record of digests sent, so it is listed only once."""
        if self.festival is not None:
            what = self.festival.key
        elif self.important is not None:
            what = f"{self.kind}:{self.client.id}:{self.important.label}:{self.day.isoformat()}"
        else:
            what = f"{self.kind}:{self.day.isoformat()}"
        return f"{what}:{self.contact.id}"


def yearly(day: date, year: int) -> date:
    """``day``'s month and day in ``year``; 29 February is the 28th in other years."""
    if (day.month, day.day) == (2, 29):
        try:
            return day.replace(year=year)
        except ValueError:
            return date(year, 2, 28)
    return day.replace(year=year)


def years_since(first: date, on: date) -> int | None:
    """Whole years from ``first`` to ``on``, None when the first year is unknown or not yet past."""
    years = on.year - first.year
    return years if first.year != NO_YEAR and years > 0 else None


def occasions(client: Client, contacts: list[Contact], start: date, end: date) -> list[Occasion]:
    """Every occasion to greet the client's contacts on, ``start`` to ``end`` inclusive, by day."""
    found = [Occasion(OccasionKind.FESTIVAL, festival.day, client, contact, festival=festival)
             for festival in client_festivals(client.country, start, end) for contact in contacts]
    for day in _each_day(start, end):
        found += [Occasion(OccasionKind.BIRTHDAY, day, client, contact) for contact in contacts
                  if contact.birthday is not None and yearly(contact.birthday, day.year) == day]
        found += [Occasion(OccasionKind.COMPANY_DATE, day, client, contact, important=important,
                           years=years_since(important.day, day))
                  for important in client.dates if yearly(important.day, day.year) == day
                  for contact in contacts]
    return sorted(found, key=lambda o: (o.day, o.kind != OccasionKind.FESTIVAL))


def _each_day(start: date, end: date) -> list[date]:
    return [date.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1)]
