"""The note a host sends the client's lead when a visit moves or is called off, drafted in the lead's
language (the memo's: ``DebriefService.memo_locale``) and shown as a block that copies with a tap.

The handbook: when the client reschedules or cancels, apologise to them in a friendly note. The
draft names no reason: the one typed for the team may not be for the client's eyes.
"""

from __future__ import annotations

from bot.core.context import Context
from bot.domain.clients import greeting_name, has_han
from bot.domain.visits import Visit, VisitStatus
from bot.i18n import N_
from bot.views.clients import LANGUAGE_KEYS


def offer(ctx: Context, before: Visit, after: Visit) -> None:
    """Gives the host the draft: in the reply if they made the change, else as a message of its own."""
    lead = before.lead
    host = ctx.services.access.person(after.host)
    if lead is None or host is None or not host.active:
        return
    locale = ctx.services.debriefs.memo_locale(after) or ctx.translator_for(host).locale
    theirs = ctx.services.i18n.get(locale)
    contacts = ctx.services.clients.contacts(after.client_id)
    contact = next((c for c in contacts if c.id == lead.contact_id), None)
    name, title = (contact.name, contact.title) if contact else (lead.name, lead.title)
    key = N_("draft.cancelled") if after.status is VisitStatus.CANCELLED else N_("draft.moved")
    body = theirs(key, guest=addressed(name, title, locale), old=ctx.format_time(before.arrival, theirs),
                  new=ctx.format_time(after.arrival, theirs), host=host.name)
    t = ctx.translator_for(host)
    language = t(LANGUAGE_KEYS.get(locale, LANGUAGE_KEYS["en"]))
    intro = t("draft.intro", lead=lead.name, language=language)
    text = f"{intro}\n<pre>{body}</pre>"
    if host.user_id == ctx.event.user.id:
        ctx.reply(text)
    else:
        ctx.push(host.user_id, text)


def addressed(name: str, title: str, locale: str) -> str:
    """How the note addresses the lead: 张总 in Chinese; in English the name alone, since Mr or Ms
    cannot be guessed and "Dear David Lee (Purchasing Director)" reads oddly."""
    if locale in ("zh_Hans", "zh_Hant") and has_han(name):
        return greeting_name(name, title, locale)
    return name
