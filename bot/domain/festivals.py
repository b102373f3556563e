"""Festivals worth a greeting: China's, the lunar ones included, and each client's own country's.

Dates come from the ``holidays`` package, which computes the lunar festivals (Spring Festival,
Dragon Boat, Mid-Autumn) for any year. Its names are matched in English (``en_US``, which nearly
every country supports), because the names are the only way it tells festivals apart and English
is the one language they share; the names staff and clients read come from our catalogs or, for a
foreign festival we have no words for, from the package in the reader's language when it has it.

Not every public holiday is an occasion to wish anyone "happy": Memorial Day, Good Friday, bank
holidays and make-up days off are days off. So only festivals we know to be greeting days are
kept, each on its first day (the Spring Festival's three days off start with the one that counts).
Qingming (清明) is a day for remembering the dead and Labour Day a day off, so both are in the
calendar but get no greeting. A client abroad hears from us on their own festivals and on the two
great Chinese ones, the Spring Festival and Mid-Autumn, when a Chinese partner's wishes are welcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

import holidays


class FestivalKind(StrEnum):
    NEW_YEAR = "new_year"
    SPRING_FESTIVAL = "spring_festival"
    QINGMING = "qingming"
    LABOUR_DAY = "labour_day"
    DRAGON_BOAT = "dragon_boat"
    MID_AUTUMN = "mid_autumn"
    NATIONAL_DAY = "national_day"  # China's (国庆节)
    CHRISTMAS = "christmas"
    THANKSGIVING = "thanksgiving"
    OWN_NATIONAL_DAY = "own_national_day"  # another country's national day
    FESTIVE = "festive"  # another festival we greet on, known by the package's name only


UNGREETED = frozenset({FestivalKind.QINGMING, FestivalKind.LABOUR_DAY})
# China's festivals a client abroad hears from us on, besides their own.
SHARED_WITH_ABROAD = frozenset({FestivalKind.SPRING_FESTIVAL, FestivalKind.MID_AUTUMN})

_K = FestivalKind
_KINDS: dict[str, FestivalKind] = {
    "New Year's Day": _K.NEW_YEAR,
    "Chinese New Year (Spring Festival)": _K.SPRING_FESTIVAL, "Chinese New Year": _K.SPRING_FESTIVAL,
    "Lunar New Year": _K.SPRING_FESTIVAL, "Korean New Year": _K.SPRING_FESTIVAL,
    "Tomb-Sweeping Day": _K.QINGMING,
    "Labor Day": _K.LABOUR_DAY,
    "Dragon Boat Festival": _K.DRAGON_BOAT,
    "Mid-Autumn Festival": _K.MID_AUTUMN, "Chuseok": _K.MID_AUTUMN,
    "Christmas Day": _K.CHRISTMAS, "Christmas": _K.CHRISTMAS,
    "Thanksgiving Day": _K.THANKSGIVING,
    "National Day": _K.OWN_NATIONAL_DAY, "Independence Day": _K.OWN_NATIONAL_DAY,
    "German Unity Day": _K.OWN_NATIONAL_DAY, "Russia Day": _K.OWN_NATIONAL_DAY,
    "Australia Day": _K.OWN_NATIONAL_DAY, "National Foundation Day": _K.OWN_NATIONAL_DAY,
    "Diwali": _K.FESTIVE, "Eid al-Fitr": _K.FESTIVE, "Eid al-Adha": _K.FESTIVE,
}
# "National Day" in Hong Kong and Macau is China's 1 October. Taiwan's 10 October is left out: a
# mainland company does not congratulate on it.
_NATIONAL_DAY_OF = {"CN": _K.NATIONAL_DAY, "HK": _K.NATIONAL_DAY, "MO": _K.NATIONAL_DAY, "TW": None}
_MATCHING = "en_US"
"""The language festival names are matched in."""
# Our locales and the package's language codes, best first.
_LANGUAGES = {"zh_Hans": ("zh_CN",), "zh_Hant": ("zh_TW", "zh_HK"), "en": ("en_US",)}


@dataclass(frozen=True)
class Festival:
    kind: FestivalKind
    day: date
    country: str  # whose festival it is (ISO 3166 alpha-2)
    name: str  # the package's English name

    @property
    def greeted(self) -> bool:
        return self.kind not in UNGREETED

    @property
    def key(self) -> str:
        """Names this festival in the record of greetings sent: ``CN:mid_autumn:2026-09-25``."""
        return f"{self.country}:{self.kind}:{self.day.isoformat()}"


def national_festivals(country: str, year: int) -> list[Festival]:
    """The festivals of ``country`` we know in ``year``, each on its first day, by date.

    An unknown country has none (its clients still get China's shared ones).
    """
    found: dict[str, Festival] = {}
    for day, names in _named_days(country, year, _MATCHING):
        for name in names:
            kind = _kind(country, name)
            if kind is not None and name not in found:
                found[name] = Festival(kind, day, country, name)
    return sorted(found.values(), key=lambda festival: festival.day)


def client_festivals(country: str, start: date, end: date) -> list[Festival]:
    """The festivals to greet a client in ``country`` on, from ``start`` to ``end`` inclusive."""
    chosen: dict[tuple[FestivalKind, date], Festival] = {}
    for year in range(start.year, end.year + 1):
        own = national_festivals(country, year)
        china = [] if country == "CN" else national_festivals("CN", year)
        shared = [f for f in china if f.kind in SHARED_WITH_ABROAD]
        for festival in (*own, *shared):
            if festival.greeted and start <= festival.day <= end:
                chosen.setdefault((festival.kind, festival.day), festival)
    return sorted(chosen.values(), key=lambda festival: (festival.day, festival.kind))


def local_name(festival: Festival, locale: str) -> str:
    """The festival's name in ``locale`` as the package knows it, else its English name."""
    english = _names_on(festival.country, festival.day, _MATCHING)
    if festival.name not in english:
        return festival.name
    position = english.index(festival.name)
    for language in _LANGUAGES.get(locale, ()):
        names = _names_on(festival.country, festival.day, language)
        if len(names) == len(english):
            return names[position]
    return festival.name


def _kind(country: str, name: str) -> FestivalKind | None:
    kind = _KINDS.get(name)
    if name == "National Day":
        return _NATIONAL_DAY_OF.get(country, kind)
    return kind


def _names_on(country: str, day: date, language: str) -> tuple[str, ...]:
    return next((names for d, names in _named_days(country, day.year, language) if d == day), ())


@lru_cache(maxsize=512)
def _named_days(country: str, year: int, language: str) -> tuple[tuple[date, tuple[str, ...]], ...]:
    """Each holiday of the year with its names (a day may carry two: "Mid-Autumn; National Day").

    Built once per country, year and language: the package is slow for each year, and the
    daily sweep asks for every client. A language the country lacks gives nothing, except that
    the names matched on fall back to the country's own language.
    """
    try:
        supported = holidays.country_holidays(country).supported_languages
    except NotImplementedError:  # a country the package does not know
        return ()
    if language not in supported and language != _MATCHING:
        return ()
    chosen = language if language in supported else None
    table = holidays.country_holidays(country, years=year, language=chosen)
    return tuple((day, tuple(name.split("; "))) for day, name in sorted(table.items()))
