"""/lang: choose Simplified Chinese, Traditional Chinese or English; remembered per person."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.callbacks import CallbackData
from bot.core.context import Context, keyboard
from bot.core.events import Button
from bot.core.router import Router
from bot.handlers.menu import set_menu
from bot.i18n import LOCALES, N_

router = Router()

LANGUAGE_NAMES = {"zh_Hans": N_("lang.name.zh_Hans"), "zh_Hant": N_("lang.name.zh_Hant"),
                  "en": N_("lang.name.en")}


@dataclass(frozen=True)
class LanguageButton(CallbackData, prefix="lang"):
    """``lang:<locale>``."""

    locale: str

    def check(self) -> str | None:
        return None if self.locale in LOCALES else f"no locale {self.locale!r}"


@router.command("lang", menu=N_("cmd.lang"))
def choose(ctx: Context) -> None:
    """Offers the three languages as buttons."""
    buttons = [Button(ctx.t(LANGUAGE_NAMES[locale]), LanguageButton(locale).pack()) for locale in LOCALES]
    ctx.reply(ctx.t("lang.choose"), keyboard(buttons))


@router.callback(LanguageButton.prefix)
def chosen(ctx: Context) -> None:
    """Stores the choice and answers in the new language."""
    assert ctx.staff is not None
    locale = LanguageButton.from_args(ctx.args).locale
    staff = ctx.services.access.set_locale(ctx.staff, locale)
    t = ctx.services.i18n.get(locale)
    ctx.show(t("lang.set", language=t(LANGUAGE_NAMES[locale])))
    set_menu(ctx, staff)
