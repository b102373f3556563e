"""/phone, and the question the first itinerary asks its host: their phone, for the client to call.

Saved on the person's staff record and printed on the itinerary of every visit they host.
"""

from __future__ import annotations

import re
from typing import Any

from bot.core.context import Context, keyboard
from bot.core.events import Keyboard
from bot.documents.buttons import document_button
from bot.flows.model import Answers, Flow, Kind, Step
from bot.i18n import N_

# A phone as people type it: +86 138-0013-8000, (021) 5888 0000, 13800138000 ext 12.
_PHONE = re.compile(r"^\+?[\d\s().\-]{5,30}(?:\s*(?:ext\.?|x|转|轉)\s*\d{1,6})?$", re.IGNORECASE)


def is_phone(text: str) -> bool:
    return _PHONE.fullmatch(text.strip()) is not None and sum(c.isdigit() for c in text) >= 5


def _current(ctx: Context, answers: Answers) -> str:
    phone = ctx.staff.phone if ctx.staff is not None else ""
    return ctx.t("phone.now", phone=phone) if phone else ctx.t("phone.why")


def _check(ctx: Context, value: Any, answers: Answers) -> str | None:
    return None if is_phone(str(value)) else ctx.t("phone.hint")


def _save(ctx: Context, answers: Answers) -> None:
    """Keeps the phone (or that the person would rather not give one) and offers the itinerary again."""
    assert ctx.staff is not None
    access = ctx.services.access
    if "phone" not in answers:
        access.set_phone(ctx.staff, ctx.staff.phone)  # asked: not again
        ctx.reply(ctx.t("phone.skipped"))
        return
    saved = access.set_phone(ctx.staff, answers["phone"])
    buttons: Keyboard = ()
    if "visit_id" in answers:
        buttons = keyboard([document_button(ctx.t("doc.button.itinerary"), "itin", int(answers["visit_id"]))])
    ctx.reply(ctx.t("phone.saved", phone=saved.phone), buttons)


MY_PHONE = Flow("my_phone", N_("phone.title"),
                (Step("phone", Kind.TEXT, N_("phone.q"), N_("phone.l"), optional=True, detail=_current,
                      check=_check),),
                on_save=_save, review=False)
