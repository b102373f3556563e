"""What a visit's documents read besides the visit itself, gathered once, in one language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.documents.layout import plain
from bot.domain.clients import Client, Contact
from bot.domain.policy import Policy
from bot.domain.visits import Visit
from bot.i18n import N_, ListStyle, Translator, clock, country_names

if TYPE_CHECKING:
    from bot.bootstrap import Services



@dataclass(frozen=True)
class Sources:
    """The translator, time zone, policy, staff names, client and contacts a document needs."""

    translator: Translator
    tz: ZoneInfo
    policy: Policy
    names: Mapping[int, str]
    client: Client | None
    contacts: Mapping[int, Contact]
    now: datetime
    # Our company's name as an admin set it (/company); "" until then: the texts say 我司 / our company.
    company: str = ""
    # Staff phones by user id, for the itinerary (the host's, for the client to call).
    phones: Mapping[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, services: Services, t: Translator, visit: Visit, others: Iterable[int] = ()) -> Sources:
        """Everything for ``visit``'s documents; ``others`` are more staff named in them (task owners)."""
        access = services.access
        wanted = _people(visit) | set(others)
        people = {user_id: person for user_id in wanted if (person := access.person(user_id))}
        names = {user_id: person.name for user_id, person in people.items()}
        phones = {user_id: person.phone for user_id, person in people.items() if person.phone}
        contacts = {contact.id: contact for contact in services.clients.contacts(visit.client_id)}
        return cls(t, services.settings.tz, services.policy, names, services.clients.get(visit.client_id),
                   contacts, services.clock.now(), services.company.name(), phones)

    @property
    def locale(self) -> str:
        return self.translator.locale

    def t(self, key: str, /, **params: object) -> str:
        """The message as plain text, ready for paper."""
        return plain(self.translator, key, **params)

    def join(self, items: Iterable[str], style: ListStyle = "standard") -> str:
        """Items as one list in the reader's language (``Translator.join``), plain like the items."""
        return self.translator.join(items, style)

    def ours(self, key: str, named: str, /, **params: object) -> str:
        """``named`` with our company's name in it once it is set, else ``key`` (我司, our company)."""
        return self.t(named, company=self.company, **params) if self.company else self.t(key, **params)

    def name(self, user_id: int) -> str:
        return self.names.get(user_id, str(user_id))

    def time(self, moment: datetime) -> str:
        """A moment as printed on paper, with its year: "2026年12月1日 周二 10:00"."""
        return self._format(moment, N_("doc.format.datetime"), with_year=True)

    def date(self, moment: datetime) -> str:
        return self._format(moment, N_("doc.format.date"), with_year=True)

    def day_time(self, moment: datetime) -> str:
        """Without the year, where the document gives it once elsewhere: "12月3日 周四 10:00"; with
        it for a moment in another year than now's."""
        return self._format(moment, N_("format.datetime"))

    def day(self, moment: datetime) -> str:
        return self._format(moment, N_("format.date"))

    def country(self, code: str) -> str:
        """A country's name from its ISO code: "CN" is 中国, 中國 or China."""
        return country_names(self.locale).get(code, code) if code else ""

    def noon(self, day: dt.date) -> datetime:
        """A day as a moment to format (its noon, in the company zone)."""
        return datetime.combine(day, time(12), tzinfo=self.tz)

    def clock(self, moment: datetime) -> str:
        return clock(moment.astimezone(self.tz))

    def _format(self, moment: datetime, key: str, *, with_year: bool = False) -> str:
        """By the catalog's pattern ``key``: as it stands when ``with_year`` (a pattern that shows the
        year itself), else the one with the year for a moment in another year than now's."""
        local = moment.astimezone(self.tz)
        this_year = local.year if with_year else self.now.astimezone(self.tz).year
        return self.translator.format_moment(local, this_year, key)


def _people(visit: Visit) -> set[int]:
    driver = visit.travel.driver if visit.travel is not None else None
    deciders = [decision.by for decision in visit.decisions]
    return {*visit.people, visit.created_by, *deciders, *([driver] if driver is not None else [])}
