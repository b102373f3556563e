"""/company: our company's name, one question, saved without a review card."""

from __future__ import annotations

from typing import Any

from bot.core.context import Context
from bot.domain.company import NAME_MAX
from bot.flows.model import Answers, Flow, Kind, Step
from bot.i18n import N_


def current(ctx: Context, answers: Answers) -> str:
    """What the documents say now, since the answer replaces it."""
    name = ctx.services.company.name()
    return ctx.t("company.now", name=name) if name else ctx.t("company.now_unset")


def check_name(ctx: Context, value: Any, answers: Answers) -> str | None:
    return ctx.t("company.too_long", limit=NAME_MAX) if len(" ".join(str(value).split())) > NAME_MAX else None


def set_name(ctx: Context, name: str) -> None:
    """Stores the name and says where it will be printed."""
    assert ctx.staff is not None
    saved = ctx.services.company.set_name(ctx.staff, name, ctx.now)
    ctx.reply(ctx.t("company.saved", name=saved.name))


COMPANY = Flow("company_name", N_("company.title"),
               (Step("name", Kind.TEXT, N_("company.q"), N_("company.l"), detail=current, check=check_name),),
               on_save=lambda ctx, answers: set_name(ctx, answers["name"]), review=False)
