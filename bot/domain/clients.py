"""Client companies and their contacts: company data, confidential (the handbooks mark it 机密).

Also the two rules about names that everything else relies on: when two spellings name the same
company or person (``fold``), and how a host greets a contact (``greeting_name``: 张总, the
handbook's surname-and-title convention).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

# A day remembered without its year (a birthday someone would not tell) is stored in this leap year,
# so 29 February fits; Apple's and Google's address books use the same trick.
NO_YEAR = 1604


@dataclass(frozen=True)
class ImportantDate:
    """A day the relationship remembers every year: a founding or partnership anniversary."""

    label: str
    day: date
    kind: str = "anniversary"  # founding | partnership | anniversary | other


@dataclass(frozen=True)
class Client:
    id: int
    name: str
    created_at: datetime
    created_by: int
    # ISO 3166 alpha-2: whose public holidays the festival greetings follow.
    country: str = "CN"
    industry: str = ""
    default_class: str = "C"
    # "client" (has signed) or "prospect": the relationship cadence differs.
    stage: str = "client"
    account_manager: int | None = None
    notes: str = ""
    dates: tuple[ImportantDate, ...] = ()


@dataclass(frozen=True)
class Contact:
    """A person at a client. The host greets them by surname and title: 张总, Ms Lee."""

    id: int
    client_id: int
    name: str
    title: str = ""
    phone: str = ""
    email: str = ""
    # The year is NO_YEAR when unknown.
    birthday: date | None = None
    # zh_Hans, zh_Hant or en: the language of greetings and memos drafted for them.
    language: str = "zh_Hans"
    nationality: str = ""
    dietary: str = ""
    notes: str = ""
    tags: tuple[str, ...] = field(default=())


# CJK Unified Ideographs with Extension A, the compatibility block, and the supplementary planes.
_HAN_RANGES = (("\u3400", "\u9fff"), ("\uf900", "\ufaff"), ("\U00020000", "\U0003ffff"))
_HAN_CLASS = "[" + "".join(f"{low}-{high}" for low, high in _HAN_RANGES) + "]"
_HAN = re.compile(_HAN_CLASS)
_SPACE_BETWEEN_HAN = re.compile(f"(?<={_HAN_CLASS}) (?={_HAN_CLASS})")


def fold(name: str) -> str:
    """The form two spellings of one name share: full-width, case and spacing do not count.

    "ＡＣＭＥ  Ltd" and "acme ltd" are the same company, so creating the second one finds the first;
    "张 伟" is 张伟 (Chinese is written without spaces; a space between characters is a typing habit).
    """
    spaced = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    return _SPACE_BETWEEN_HAN.sub("", spaced)


def has_han(text: str) -> bool:
    """True if the text holds a Chinese character (either script)."""
    return _HAN.search(text) is not None


# ---- greeting: surname + title ---------------------------------------------------------------

# Two-character surnames, in both scripts; every other Chinese name starts with a one-character one.
COMPOUND_SURNAMES = frozenset((
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "钟离", "端木", "南宫", "西门", "独孤", "申屠", "太史", "呼延", "万俟",
    "拓跋", "赫连", "濮阳", "淳于", "单于", "司空", "闻人", "澹台", "公冶", "鲜于", "闾丘",
    "歐陽", "司馬", "諸葛", "東方", "尉遲", "公孫", "長孫", "軒轅", "鍾離", "南宮", "獨孤", "萬俟",
    "赫連", "濮陽", "單于", "聞人", "澹臺", "鮮于", "閭丘",
))

# How a title is shortened after the surname, checked in order against the end of the title, with
# the short form in Simplified and Traditional script. Top leaders are all "总" (张总); a title that
# merely ends like one ("总经理助理") is caught by its real ending first, since only endings count.
_SHORT_TITLES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("总工程师", "總工程師"), "总工", "總工"),
    (("总经理", "總經理", "总裁", "總裁", "董事长", "董事長", "副总", "副總", "总监", "總監", "总", "總",
      "ceo", "president", "chairman", "chairwoman", "general manager", "managing director", "director",
      "vp", "gm"), "总", "總"),
    (("经理", "經理", "manager"), "经理", "經理"),
    (("工程师", "工程師", "engineer"), "工", "工"),
    (("处长", "處長"), "处长", "處長"),
    (("局长", "局長"), "局长", "局長"),
    (("部长", "部長"), "部长", "部長"),
    (("科长", "科長"), "科长", "科長"),
    (("厂长", "廠長"), "厂长", "廠長"),
    (("院长", "院長"), "院长", "院長"),
    (("所长", "所長"), "所长", "所長"),
    (("秘书", "秘書"), "秘书", "秘書"),
    (("律师", "律師"), "律师", "律師"),
    (("医生", "醫生"), "医生", "醫生"),
    (("老师", "老師"), "老师", "老師"),
    (("主任",), "主任", "主任"),
    (("主管",), "主管", "主管"),
    (("助理",), "助理", "助理"),
    (("教授",), "教授", "教授"),
    (("博士",), "博士", "博士"),
)
_LATIN = re.compile(r"[A-Za-z]")


# Titles that have no short form after a surname but still mark a piece of text as a title.
_MORE_TITLES = ("cto", "cfo", "coo", "cio", "cmo", "head", "officer", "lead", "partner", "founder", "owner",
                "specialist", "consultant", "secretary", "assistant", "buyer", "sales", "purchasing",
                "procurement", "专员", "專員", "代表", "顾问", "顧問", "采购", "採購", "销售", "銷售", "董事",
                "合伙人", "合夥人", "创始人", "創辦人")


def looks_like_title(text: str) -> bool:
    """Whether ``text`` reads as a job title rather than a name: "CTO", "采购经理", "Sales Director"."""
    folded = " ".join(text.lower().split())
    if not folded:
        return False
    endings = [ending for group, _, _ in _SHORT_TITLES for ending in group if len(ending) > 1]
    words = folded.split()
    return (any(folded.endswith(ending) for ending in endings)
            or any(word in _MORE_TITLES or word in endings for word in words)
            or any(folded.endswith(more) for more in _MORE_TITLES if not more.isascii()))


def surname(name: str) -> str:
    """The surname of a Chinese name: 欧阳娜 → 欧阳, 张伟 → 张."""
    compact = "".join(name.split())
    return compact[:2] if compact[:2] in COMPOUND_SURNAMES else compact[:1]


def short_title(title: str, locale: str) -> str | None:
    """The form of a title used after a surname (总经理 → 总), or None for a title with none."""
    folded = " ".join(title.strip().casefold().split())
    for endings, simplified, traditional in _SHORT_TITLES:
        if folded.endswith(endings):
            return traditional if locale == "zh_Hant" else simplified
    return None


def greetings(name: str, title: str) -> tuple[str, ...]:
    """Every way a host may write a contact's greeting, in either Chinese script: 林經理 and 林经理
    for 林志明, 经理. Typed at the visitors step, each means that contact."""
    return tuple(dict.fromkeys(greeting_name(name, title, locale) for locale in ("zh_Hans", "zh_Hant")))


def greeting_name(name: str, title: str, locale: str) -> str:
    """How the host addresses a contact, in the reader's locale.

    In Chinese, a Chinese name takes the handbook's convention, surname + short title (张伟,
    总经理 → 张总; 欧阳娜, 经理 → 欧阳经理), or the full name when the title has no short form.
    Otherwise Mr or Ms cannot be guessed, so it is the full name with the title: "David Lee
    (Purchasing Director)".
    """
    name, title = name.strip(), title.strip()
    chinese_name = has_han(name) and not _LATIN.search(name)
    if chinese_name and locale in ("zh_Hans", "zh_Hant"):
        short = short_title(title, locale)
        return surname(name) + short if short else name
    return f"{name} ({title})" if title else name
