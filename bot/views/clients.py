"""The client card: the company, its contacts, the days it remembers, notes and its visits.

Shown by ``/client`` and again after every client flow saves, so it lives beside those flows (the
handlers import it too; flows importing handlers would be circular).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.core.callbacks import CallbackData
from bot.core.context import Context, keyboard
from bot.core.events import Button, Keyboard
from bot.domain.clients import Client, Contact, ImportantDate
from bot.domain.visits import VisitStatus
from bot.i18n import N_, country_names, escape
from bot.services.relationship import LoggedButton, cadence_word


@dataclass(frozen=True)
class ClientButton(CallbackData, prefix="cl"):
    """``cl:<action>:<id>``: a client chosen from a list (``s``), its card's Add contact (``ac``),
    Edit contact (``ec``), Add date (``ad``) and Notes (``n``), all by client id; a contact chosen to
    edit (``ek``), by contact id."""

    action: Literal["s", "ac", "ec", "ad", "n", "ek"]
    id: int


VISITS_SHOWN = 5
LANGUAGE_KEYS = {"zh_Hans": N_("lang.name.zh_Hans"), "zh_Hant": N_("lang.name.zh_Hant"),
                 "en": N_("lang.name.en")}
DATE_KINDS = {"founding": N_("client.date_kind.founding"), "partnership": N_("client.date_kind.partnership"),
              "anniversary": N_("client.date_kind.anniversary"), "other": N_("client.date_kind.other")}
STATUS_KEYS = {VisitStatus.PLANNED: N_("client.visit.planned"), VisitStatus.DONE: N_("client.visit.done"),
               VisitStatus.CANCELLED: N_("client.visit.cancelled")}


def card(ctx: Context, client: Client) -> tuple[str, Keyboard]:
    """Everything the company file holds, on one screen, with the buttons that add to it."""
    t = ctx.t
    lines = [t("client.card.header", name=client.name),
             t("client.card.class", cls=t(ctx.services.policy.class_(client.default_class).name_key)),
             t("client.card.country", country=country_name(ctx, client.country)),
             t("client.card.industry", industry=client.industry or t("client.card.unset")),
             t("client.card.manager", manager=_manager(ctx, client))]
    lines += ["", t("client.card.contacts")]
    contacts = ctx.services.clients.contacts(client.id)
    lines += [line for contact in contacts for line in _contact(ctx, contact)] or [t("client.card.none")]
    lines += ["", t("client.card.dates")]
    lines += [_date(ctx, day) for day in client.dates] or [t("client.card.none")]
    lines += ["", t("client.card.notes"), escape(client.notes) if client.notes else t("client.card.none")]
    lines += ["", *_visits(ctx, client), _last_contact(ctx, client)]
    buttons = keyboard(
        [Button(t("client.button.add_contact"), ClientButton("ac", client.id).pack()),
         Button(t("client.button.edit_contact"), ClientButton("ec", client.id).pack())],
        [Button(t("client.button.add_date"), ClientButton("ad", client.id).pack()),
         Button(t("client.button.notes"), ClientButton("n", client.id).pack())],
        [Button(t("client.button.log"), LoggedButton(client.id).pack())],
    )
    return "\n".join(lines), buttons


def show_card(ctx: Context, client_id: int, notice: str = "") -> None:
    """The card in place of the pressed message (a new one for typed text), under ``notice``."""
    client = ctx.services.clients.get(client_id)
    if client is None:
        ctx.show(ctx.t("client.gone"))
        return
    text, buttons = card(ctx, client)
    ctx.show(f"{notice}\n\n{text}" if notice else text, buttons)


def country_name(ctx: Context, code: str) -> str:
    """"CN" as the reader says it: 中国, 中國, China (the code itself when unknown)."""
    return country_names(ctx.t.locale).get(code.upper(), code)


def _manager(ctx: Context, client: Client) -> str:
    if client.account_manager is None:
        return ctx.t("client.card.unset")
    staff = ctx.services.access.person(client.account_manager)
    return staff.name if staff else str(client.account_manager)


def _contact(ctx: Context, contact: Contact) -> list[str]:
    t = ctx.t
    lines = [t("client.contact.name_title", name=contact.name, title=contact.title) if contact.title
             else t("client.contact.name", name=contact.name)]
    greeting = ctx.services.clients.greeting_name(contact, t.locale)
    if greeting not in (contact.name, f"{contact.name} ({contact.title})"):  # only when it says more: 张总
        lines.append(t("client.contact.greeting", greeting=greeting))
    if contact.phone:
        lines.append(t("client.contact.phone", phone=contact.phone))
    if contact.email:
        lines.append(t("client.contact.email", email=contact.email))
    if contact.birthday:
        lines.append(t("client.contact.birthday", day=ctx.format_day(contact.birthday)))
    language = t(LANGUAGE_KEYS.get(contact.language, LANGUAGE_KEYS["en"]))
    lines.append(t("client.contact.language", language=language))
    if contact.dietary:
        lines.append(t("client.contact.dietary", dietary=contact.dietary))
    return lines


def _date(ctx: Context, day: ImportantDate) -> str:
    kind = ctx.t(DATE_KINDS.get(day.kind, DATE_KINDS["other"]))
    return ctx.t("client.card.date", label=day.label, day=ctx.format_day(day.day), kind=kind)


def _last_contact(ctx: Context, client: Client) -> str:
    """"Last contact 34 days ago · class A: monthly ⚠️ overdue" — what keeps the relationship warm."""
    t = ctx.t
    last, every, overdue = ctx.services.relationship.last_contact(client, ctx.now)
    when = (t.plural("client.card.days_ago", (ctx.now - last).days) if last is not None
            else t("client.card.never"))
    line = t("client.card.last_contact", when=when)
    if every:
        line += " · " + t("client.card.cadence", cadence=cadence_word(t, every))
    return line + (" " + t("client.card.overdue") if overdue else "")


def _visits(ctx: Context, client: Client) -> list[str]:
    """Newest first; the most recent few, and how many more there are."""
    t = ctx.t
    visits = ctx.services.visits.for_client(client.id)
    if not visits:
        return [t("client.card.visits"), t("client.card.no_visits")]
    lines = [t("client.card.visits")]
    for visit in visits[:VISITS_SHOWN]:
        cls = t(ctx.services.policy.class_(visit.class_id).name_key)
        lines.append(t("client.card.visit", number=visit.id, date=ctx.format_date(visit.arrival), cls=cls,
                       status=t(STATUS_KEYS[visit.status])))
    if len(visits) > VISITS_SHOWN:
        lines.append(t.plural("client.card.more_visits", len(visits) - VISITS_SHOWN))
    return lines
