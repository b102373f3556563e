"""Translations: gettext catalogs in ``locales/<locale>/LC_MESSAGES/messages.po``.

Code names messages by key (``t("start.welcome", name=...)``); the catalogs hold the sentences for
zh_Hans, zh_Hant and en, including plural forms. The ``.po`` files are compiled in memory at start
(Babel), so there is no build step and no binary ``.mo`` in the repository.

Parameters are HTML-escaped as they are formatted, because every message is written in the core's
HTML subset (``bot.core.events``); pass ``Html(...)`` for a parameter that is already safe markup.
"""

from __future__ import annotations

import gettext
import html
import io
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache, reduce
from pathlib import Path
from typing import Literal

from babel import Locale
from babel.core import get_global
from babel.dates import format_date, format_datetime
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = ("zh_Hans", "zh_Hant", "en")
DOMAIN = "messages"

# A moment whose formatting reads a language's date data (``I18n.warm``); which one does not matter.
_ANY_MOMENT = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)

# Telegram sends IETF-like codes ("zh-hans", "zh-TW", "en-GB"); a few mean Traditional script.
_TRADITIONAL = {"zh-tw", "zh-hk", "zh-mo", "zh-hant"}


def locale_for(language_code: str | None, default: str) -> str:
    """Maps Telegram's ``language_code`` to one of our locales; unknown or empty gives ``default``."""
    code = (language_code or "").strip().lower().replace("_", "-")
    if not code:
        return default
    if code == "zh" or code.startswith("zh-"):
        traditional = code in _TRADITIONAL or code.startswith("zh-hant")
        return "zh_Hant" if traditional else "zh_Hans"
    return "en"


def babel_locale(locale: str) -> str:
    """The Babel locale for dates and numbers: mainland conventions for zh_Hans, Taiwan's for zh_Hant."""
    return {"zh_Hans": "zh_Hans_CN", "zh_Hant": "zh_Hant_TW"}.get(locale, "en")


def clock(value: time | datetime) -> str:
    """A time of day as every language here writes it: "09:30" (a moment: in its own zone)."""
    return f"{value:%H:%M}"


def country_names(locale: str) -> Mapping[str, str]:
    """Country names by ISO code ("CN") in ``locale``: 中国, 中國, China (Babel's CLDR data)."""
    names: Mapping[str, str] = Locale.parse(babel_locale(locale)).territories
    return names


# Names people use that CLDR spells otherwise (中国香港特别行政区, United Kingdom, South Korea).
_COUNTRY_NAMES = {"香港": "HK", "hongkong": "HK", "澳门": "MO", "澳門": "MO", "macau": "MO", "macao": "MO",
                  "usa": "US", "america": "US", "uk": "GB", "england": "GB", "korea": "KR", "韩国": "KR",
                  "韓國": "KR"}


def country_code(text: str) -> str | None:
    """The code of the country or region ``text`` names: its code (jp, FR; UK for GB) or its name in
    any of our languages (日本, 法國, France); None for one no one lives in (ZZ, EU) or no place."""
    folded = "".join(unicodedata.normalize("NFKC", text).casefold().split())
    if len(folded) == 2 and folded.isascii() and folded.isalpha() and folded.upper() in real_places():
        return folded.upper()
    return _COUNTRY_NAMES.get(folded) or _codes_by_name().get(folded)


@lru_cache(maxsize=1)
def _codes_by_name() -> dict[str, str]:
    return {"".join(name.casefold().split()): code for locale in LOCALES
            for code, name in country_names(locale).items() if code in real_places()}


@lru_cache(maxsize=1)
def real_places() -> frozenset[str]:
    """The two-letter codes of countries and regions people live in, from CLDR: without its unions
    and pseudo-regions (EU, UN, XA) and without ZZ, its "unknown region"."""
    lived_in = get_global("territory_languages")
    return frozenset(code for code in Locale.parse("en").territories
                     if isinstance(code, str) and len(code) == 2 and code.isalpha() and code in lived_in
                     and code != "ZZ")


@lru_cache(maxsize=4096)
def _format_day(day: date, pattern: str, locale: str) -> str:
    """Babel parses the pattern and the locale for every date; a week's list prints the same few
    dates a dozen times, and every list is asked for again and again."""
    return str(format_date(day, pattern, locale=locale))


# "standard" is CLDR's list of things a sentence names ("需部门负责人、总经理和副总审批", "A, B, and
# C"); "or" names alternatives, any one of which will do ("A、B或C", "A, B, or C"); "series" repeats
# the standard list's middle separator to the end ("A、B、C", "A, B, C") for the value of a labelled
# field (a card line, a form's box: "来访人员：张伟、李娜、王芳"), where Chinese writes 、 alone, and for
# entries such as "张伟 138…" where a 和 after a number would read as part of it. CLDR's "unit"
# styles are for measures ("3小时5分钟"): in zh_Hans they join with nothing at all, so they do not
# suit names. "notes" joins notes or clauses that may hold commas of their own ("都不喝酒；张伟 不吃辣",
# "通信设备; China") with the semicolon of the language (the catalog's ``format.notes``), which
# CLDR has no list pattern for.
ListStyle = Literal["standard", "or", "series", "notes"]


class Html(str):
    """A string that is already safe markup (the core's HTML subset) and must not be escaped again."""

    __slots__ = ()


def escape(value: object) -> str:
    """Escapes user text for the core's HTML subset (Html passes through)."""
    if isinstance(value, Html):
        return value
    return html.escape(str(value), quote=False)


def locales_dir() -> Path:
    """Finds the catalogs: inside an installed package, else at the repository root."""
    packaged = Path(__file__).parent / "locales"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "locales"


def load_catalog(locale: str, directory: Path | None = None) -> gettext.GNUTranslations:
    """Reads one ``.po`` file and compiles it in memory."""
    path = (directory or locales_dir()) / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as po_file:
        catalog = read_po(po_file)  # plural rules come from the file's own Plural-Forms header
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@dataclass(frozen=True)
class Translator:
    """Sentences for one locale."""

    locale: str
    catalog: gettext.GNUTranslations

    def __call__(self, key: str, /, **params: object) -> str:
        return self._format(self.catalog.gettext(key), params)

    # Every date and moment the bot shows is formatted by one of these three.

    def format_moment(self, local: datetime, this_year: int, key: str = "format.datetime") -> str:
        """A moment already in the company zone, by the pattern the catalog names (``format.date``...),
        with its year when that is not ``this_year``."""
        return str(format_datetime(local, self.pattern(key, local.year, this_year),
                                   locale=babel_locale(self.locale)))

    def format_date(self, day: date, this_year: int, key: str = "format.date") -> str:
        """A day by the pattern the catalog names, with its year when that is not ``this_year``."""
        return self.format_day(day, self.pattern(key, day.year, this_year))

    def format_day(self, day: date, pattern: str) -> str:
        """A day by a Babel pattern ("MMM", or one read from the catalog) in this locale."""
        return _format_day(day, pattern, babel_locale(self.locale))

    def pattern(self, key: str, year: int, this_year: int) -> str:
        """The date pattern ``key`` names (``format.date``, ``format.datetime``), or the one that also
        shows the year when the date is in another year than ``this_year``: "1月5日 周二" said in
        January, "2027年1月5日 周二" said in December."""
        return self(WITH_YEAR.get(key, key) if year != this_year else key)

    def join(self, items: Iterable[str], style: ListStyle = "standard") -> str:
        """Items shown to a person as one list, as their language writes it (CLDR's list patterns,
        ``ListStyle``): "A、B和C" in Chinese, "A, B, and C" in English. Plain text like the items: a
        list of markup stays markup only if the caller says so (``Html(t.join(...))``), which is safe
        because these patterns hold no markup character."""
        listed = list(items)
        if style == "notes":
            return self(N_("format.notes")).join(listed)
        if style == "series":
            middle: str = Locale.parse(babel_locale(self.locale)).list_patterns["standard"]["middle"]
            return str(reduce(middle.format, listed)) if listed else ""
        return str(format_list(listed, style=style, locale=babel_locale(self.locale)))

    def plural(self, key: str, count: int, /, **params: object) -> str:
        """A sentence whose form depends on ``count`` (available as ``{count}``)."""
        return self._format(self.catalog.ngettext(key, key + ".plural", count), {"count": count, **params})

    @staticmethod
    def _format(template: str, params: dict[str, object]) -> str:
        if not params:
            return template
        return template.format(**{name: escape(value) for name, value in params.items()})


class I18n:
    """Every catalog, each read once; hands out a Translator per locale.

    Reading a catalog (parsing the ``.po`` file and compiling it) takes about a tenth of a second,
    so a start reads the default locale's only; the others are read by the warm-up once polling
    (``warm``), or by the first person who needs one, whichever comes first.
    """

    def __init__(self, default_locale: str, directory: Path | None = None) -> None:
        self.default_locale = default_locale if default_locale in LOCALES else LOCALES[0]
        self._directory = directory
        self._translators: dict[str, Translator] = {}
        self.get(self.default_locale)

    def get(self, locale: str | None) -> Translator:
        wanted = locale if locale in LOCALES else self.default_locale
        translator = self._translators.get(wanted)
        if translator is None:
            translator = self._translators[wanted] = Translator(wanted, load_catalog(wanted, self._directory))
        return translator

    def warm(self) -> None:
        """Reads every catalog not read yet, and Babel's data for each language's dates: Babel reads
        a locale's data at its first date, which was the first Save that asked approvers reading
        another language than the saver (the slowest Save by far)."""
        for locale in LOCALES:
            translator = self.get(locale)
            translator.format_moment(_ANY_MOMENT, _ANY_MOMENT.year)
            translator.format_date(_ANY_MOMENT.date(), _ANY_MOMENT.year + 1)

    def for_language_code(self, language_code: str | None) -> Translator:
        return self.get(locale_for(language_code, self.default_locale))


def N_(key: str) -> str:
    """Marks a message key in data (flows, menus) so the catalog check finds it."""
    return key


# The patterns for a day or a moment without its year, each with the one that shows the year.
WITH_YEAR = {"format.date": N_("format.date_year"), "format.datetime": N_("format.datetime_year")}
