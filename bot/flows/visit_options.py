"""The choices, searches and checks of the visit form, read from the policy and the stored data.

Kept apart from ``new_visit`` so the flow itself reads as the arrangement form, step by step.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any

from bot.core.context import Context
from bot.domain.clients import greetings, looks_like_title
from bot.domain.per_person import phone_in
from bot.domain.staff import Staff
from bot.domain.typed_names import (
    has_letters,
    is_date,
    mistaken_company,
    mistaken_name,
    single_letter,
    wordless,
)
from bot.flows.answers import split_items
from bot.flows.model import Answers, Choice
from bot.i18n import LOCALES, N_, country_code, country_names

# Countries offered as buttons; any other is typed as its two-letter code (JP, FR...).
COUNTRIES = ("CN", "HK", "TW", "SG", "JP", "KR", "US", "DE", "GB")
TRAVEL_MODES = (Choice("flight", N_("visit.travel.flight")), Choice("train", N_("visit.travel.train")),
                Choice("car", N_("visit.travel.car")))
EXTRAS = (Choice("projector", N_("visit.extra.projector")), Choice("banner", N_("visit.extra.banner")),
          Choice("name_cards", N_("visit.extra.name_cards")), Choice("photo", N_("visit.extra.photo")),
          Choice("gifts", N_("visit.extra.gifts")))
PAYERS = (Choice("guest", N_("visit.payer.guest")), Choice("company", N_("visit.payer.company")))
TEAM_BUTTONS = 12


def country_choices(ctx: Context, answers: Answers) -> tuple[Choice, ...]:
    """Country names in the reader's language, from Babel's CLDR data."""
    names = country_names(ctx.t.locale)
    return tuple(Choice(code, names.get(code, code), literal=True) for code in COUNTRIES)


def find_clients(ctx: Context, query: str) -> tuple[Choice, ...]:
    return tuple(Choice(str(c.id), c.name, literal=True) for c in ctx.services.clients.search(query))


def check_client_query(ctx: Context, text: str) -> str | None:
    """A company typed that is plainly none (明天下午3点, ???): said, rather than offered as a new client."""
    mistake = mistaken_company(text, now=ctx.now, tz=ctx.services.settings.tz)
    if mistake is None:
        return None
    return ctx.t(N_("visit.client_is_date") if mistake == "date" else N_("visit.client_no_name"), text=text)


def client_is_new(answers: Answers) -> bool:
    return isinstance(answers.get("client"), dict)


def client_id(answers: Answers) -> int | None:
    value = answers.get("client")
    return int(value) if isinstance(value, str) and value.isdigit() else None


# How a known contact is answered at the visitors step: "c12".
CONTACT_ID = re.compile(r"c\d+")


def known_contacts(ctx: Context, answers: Answers) -> tuple[Choice, ...]:
    found = client_id(answers)
    if found is None:
        return ()
    return tuple(Choice(f"c{c.id}", f"{c.name} {c.title}".strip(), literal=True,
                        aliases=(c.name, *greetings(c.name, c.title)))
                 for c in ctx.services.clients.contacts(found))


def split_visitor(item: str) -> tuple[str, str]:
    """"张伟 总经理" / "David Lee / Purchasing Director" / "David Lee (CTO)" into name and title."""
    for separator in ("/", "(", "（", " - "):
        if separator in item:
            name, _, title = item.partition(separator)
            return name.strip(), title.strip(" )）")
    # "David Lee 采购总监", "Anna Schmidt CTO": a title at the end, after the last space.
    name, _, last = item.strip().rpartition(" ")
    if name and looks_like_title(last):
        return name.strip(), last
    if any("\u4e00" <= char <= "\u9fff" for char in item):
        name, _, title = item.strip().partition(" ")
        return name.strip(), title.strip()
    return item.strip(), ""


def split_visitors(text: str) -> list[str]:
    """Visitors as typed: "Anna Schmidt, CTO" is one person with a title, not two people, so a
    piece that reads as a title joins the name before it ("Anna Schmidt / CTO")."""
    people: list[str] = []
    for item in (part.strip() for part in split_items(text)):
        if people and looks_like_title(item) and split_visitor(people[-1])[1] == "":
            people[-1] = f"{people[-1]} / {item}"
        elif item:
            people.append(item)
    return people


# What a typed visitor that is no name is told, by what it looks like instead.
_NOT_A_NAME = {"date": N_("visit.visitor_is_date"), "phone": N_("visit.visitor_is_phone"),
               "count": N_("visit.visitor_is_count"), "no_letters": N_("visit.visitor_no_name")}


def check_visitor(ctx: Context, item: str) -> str | None:
    """A typed visitor that is plainly no name (明天下午3点, 13800138000, 3人); its name alone or
    its title alone reading as a date counts too ("明天 下午3点" splits into both)."""
    tz = ctx.services.settings.tz
    name, title = split_visitor(item)
    mistake = mistaken_name(item, now=ctx.now, tz=tz) or mistaken_name(name, now=ctx.now, tz=tz)
    if mistake is None and title and is_date(title, now=ctx.now, tz=tz):
        mistake = "date"
    if mistake is None:
        return None
    return ctx.t(_NOT_A_NAME[mistake], text=item, phones=ctx.t("visit.l.phones"))


def visitor_names(ctx: Context, answers: Answers) -> list[str]:
    """The visitors as people read them, in the order given (known contacts by their stored name)."""
    known = {c.id: c.label for c in known_contacts(ctx, answers)}
    return [known.get(item, " ".join(part for part in split_visitor(item) if part))
            for item in answers.get("visitors", [])]


def lead_choices(ctx: Context, answers: Answers) -> tuple[Choice, ...]:
    return tuple(Choice(str(i), name, literal=True) for i, name in enumerate(visitor_names(ctx, answers)))


def client_notes(ctx: Context, answers: Answers) -> str:
    """What we already know of an existing client, under the background question."""
    found = client_id(answers)
    client = ctx.services.clients.get(found) if found is not None else None
    return ctx.t("visit.client_notes", notes=client.notes) if client is not None and client.notes else ""


def class_choices(ctx: Context, answers: Answers) -> tuple[Choice, ...]:
    """The policy's classes; typed, a class is also its letter, alone or with 类 / 級 / class."""
    policy = ctx.services.policy
    return tuple(Choice(cid, policy.class_(cid).name_key,
                        aliases=(cid, *(f"{cid}{word}" for word in "类類级級"), f"class {cid}"))
                 for cid, _ in policy.classes.items())


def class_detail(ctx: Context, answers: Answers) -> str:
    """What each class means and its meal standard, from the policy, under the question."""
    lines = []
    for _, cls in ctx.services.policy.classes.items():
        budget = cls.meal_budget
        meals = (ctx.t("visit.class_meals_guest_pays") if cls.guest_pays_meals
                 else ctx.t("visit.class_meals", low=budget.min, high=budget.max))
        lines.append(ctx.t("visit.class_line", name=ctx.t(cls.name_key), summary=ctx.t(cls.summary_key),
                           meals=meals))
    return "\n".join(lines)


def purpose_choices(ctx: Context, answers: Answers) -> tuple[Choice, ...]:
    return tuple(Choice(p.id, p.key) for p in ctx.services.policy.purposes)


def check_purpose(ctx: Context, item: str) -> str | None:
    """A purpose typed that is plainly none: a date or time (the arrival typed one step early), a
    single letter (C, the class typed one step late), or no word at all (3, 😀)."""
    if is_date(item, now=ctx.now, tz=ctx.services.settings.tz):
        return ctx.t("visit.purpose_is_date", text=item)
    if single_letter(item):
        return ctx.t("visit.purpose_one_letter", text=item)
    return None if has_letters(item) else ctx.t("visit.purpose_unclear", text=item)


def executive_choices(ctx: Context, answers: Answers) -> tuple[Choice, ...]:
    return tuple(Choice(eid, e.key) for eid, e in ctx.services.policy.executives.items())


def colleagues(ctx: Context) -> list[Staff]:
    me = ctx.event.user.id
    return [s for s in ctx.services.access.everyone() if s.active and s.user_id != me]


def team_choices(ctx: Context, answers: Answers) -> tuple[Choice, ...]:
    """The first colleagues as buttons; anyone else is typed by name (a 2,000-person company)."""
    return tuple(Choice(str(s.user_id), s.name, literal=True) for s in colleagues(ctx)[:TEAM_BUTTONS])


def staff_by_name(ctx: Context, typed: str) -> Staff | None:
    """The colleague typed by name or @username, also with a title after the name ("王五 经理")."""
    for wanted in dict.fromkeys((typed, split_visitor(typed)[0])):
        folded = wanted.strip().lstrip("@").lower()
        found = next((s for s in colleagues(ctx) if folded in (s.name.lower(), s.username.lower())), None)
        if found is not None:
            return found
    return None


def outsider(item: str) -> tuple[str, str] | None:
    """Someone of ours typed with their title who is not on the bot ("赵刚 总经理"): name and title."""
    name, title = split_visitor(item)
    return (name, title) if name and title else None


def executive_role(ctx: Context, title: str) -> str | None:
    """The policy's executive whose title ``title`` is (总经理, 總經理, General manager), or None."""
    folded = title.strip().casefold()
    for eid, executive in ctx.services.policy.executives.items():
        labels = {ctx.services.i18n.get(locale)(executive.key).casefold() for locale in LOCALES}
        # A label may list two titles ("总裁/董事长"); either is the role.
        if any(folded == part.strip() for label in labels for part in label.split("/")):
            return eid
    return None


def named_executive(ctx: Context, item: str) -> tuple[str, str, str] | None:
    """"赵刚 总经理" typed at the executives step: name, title and the policy role, or None."""
    typed = outsider(item)
    if typed is None:
        return None
    role = executive_role(ctx, typed[1])
    return (typed[0], typed[1], role) if role is not None else None


def is_flight_or_train(answers: Answers) -> bool:
    return answers.get("travel") in ("flight", "train")


def arrival_day(answers: Answers) -> date | None:
    """The day the guests arrive, in the company zone: where a bare "4pm" or "8am" belongs."""
    return parse_when(answers["arrival"]).date() if "arrival" in answers else None


def check_departure(ctx: Context, value: Any, answers: Answers) -> str | None:
    if "arrival" in answers and datetime.fromisoformat(value) <= datetime.fromisoformat(answers["arrival"]):
        arrival = ctx.format_time(parse_when(answers["arrival"]))
        return ctx.t("visit.departure_before_arrival", arrival=arrival)
    return None


def check_travel_arrival(ctx: Context, value: Any, answers: Answers) -> str | None:
    if "arrival" in answers and datetime.fromisoformat(value) > datetime.fromisoformat(answers["arrival"]):
        return ctx.t("visit.travel_after_arrival", arrival=ctx.format_time(parse_when(answers["arrival"])))
    return None


def check_country(ctx: Context, value: Any, answers: Answers) -> str | None:
    """A country typed must be a real one, by its code or its name (JP, 法国; not ZZ, CLDR's
    "unknown region", nor EU)."""
    typed = str(value).strip()
    if country_code(typed) is not None:
        return None
    if len(typed) == 2 and typed.isalpha():
        return ctx.t("visit.country_unknown", text=typed)
    return ctx.t("visit.country_hint")


def country_of(answers: Answers) -> str:
    """The new client's country code, as pressed or typed (jp, 法國); China when none was asked."""
    return country_code(str(answers.get("country", "CN"))) or "CN"


def check_words(ctx: Context, value: Any, answers: Answers) -> str | None:
    """Free text that is only emoji or punctuation (😀, ???) names no room, hotel or place."""
    return ctx.t("visit.text_no_words", text=value) if wordless(str(value)) else None


# A flight: the airline's two-character code (CA, MU, 3U) and up to four digits (a letter may
# follow); a train: China's class letter (G, D, C, Z, T, K...) and up to four digits, or a number
# alone (a slow train, Taiwan's 123), 高铁 before it and 次(列车) after it allowed. Connecting legs
# come with / or a comma.
_FLIGHT = re.compile(r"(?:[a-z]\d|\d[a-z]|[a-z]{2})\s?\d{1,4}[a-z]?")
_TRAIN = re.compile(r"(?:高铁|高鐵|动车|動車)?\s?[gdcztklsy]?\s?\d{1,5}\s?(?:次(?:列车|列車)?)?")
_LEGS = re.compile(r"\s*(?:/|,|，|、|\+|→|->)\s*")


def check_travel_number(ctx: Context, value: Any, answers: Answers) -> str | None:
    """A flight or train number of the shape its mode has (CA1234, MU 5101; G1234, D301)."""
    typed = str(value).strip()
    shape, hint = ((_FLIGHT, N_("visit.flight_number_hint")) if answers.get("travel") == "flight"
                   else (_TRAIN, N_("visit.train_number_hint")))
    legs = _LEGS.split(unicodedata.normalize("NFKC", typed).lower())
    return None if all(shape.fullmatch(leg) for leg in legs) else ctx.t(hint, text=typed)


def check_driver(ctx: Context, value: Any, answers: Answers) -> str | None:
    """A driver typed that is plainly no one: a date or time (the pickup's, typed here), or no word
    at all; a phone alone is fine (the driver's number, the name to follow)."""
    typed = str(value)
    if typed in {c.id for c in team_choices(ctx, answers)}:
        return None
    wordless = not (has_letters(typed) or phone_in(typed))
    if wordless or is_date(typed, now=ctx.now, tz=ctx.services.settings.tz):
        return ctx.t("visit.driver_not_a_name", text=typed)
    return None


def check_team(ctx: Context, value: Any, answers: Answers) -> str | None:
    """Colleagues typed by name must exist, unless typed with a title (赵刚 总经理: not on the bot);
    the hint names the ones that are neither."""
    ids = {c.id for c in team_choices(ctx, answers)}
    unknown = [item for item in value
               if item not in ids and staff_by_name(ctx, item) is None and outsider(item) is None]
    return ctx.t("visit.team_unknown_title", names=ctx.t.join(unknown)) if unknown else None


def check_executives(ctx: Context, value: Any, answers: Answers) -> str | None:
    """An executive typed by name needs one of the policy's titles after it (赵刚 总经理)."""
    ids = set(ctx.services.policy.executives)
    unknown = [item for item in value if item not in ids and named_executive(ctx, item) is None]
    if not unknown:
        return None
    titles = ctx.t.join((ctx.t(e.key) for e in ctx.services.policy.executives.values()), style="or")
    return ctx.t("visit.executive_unknown", names=ctx.t.join(unknown), titles=titles)


def executive_ids(ctx: Context, value: list[str]) -> list[str]:
    """The policy roles of an executives answer: ticked ones and those of the people typed."""
    ids = []
    for item in value:
        named = named_executive(ctx, item)
        role = named[2] if named is not None else item
        if role in ctx.services.policy.executives and role not in ids:
            ids.append(role)
    return ids


def parse_when(iso: str) -> datetime:
    """A date-time answer (ISO text with its offset) as a datetime."""
    return datetime.fromisoformat(iso)
