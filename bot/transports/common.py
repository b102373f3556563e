"""What every transport does the same way: start-up chores around the runner."""

from __future__ import annotations

from bot.core.events import Action, SetCommands
from bot.core.runner import Runner
from bot.handlers.menu import command_menu
from bot.i18n import LOCALES

# Telegram keys command menus on two-letter language codes only, so "zh" gets Simplified Chinese;
# a Traditional Chinese user gets their own menu per chat once the bot knows them.
MENU_LANGUAGE_CODES = {"zh_Hans": "zh", "en": "en"}


def default_menus(runner: Runner) -> list[Action]:
    """The menus strangers and new users see before the bot knows them."""
    services = runner.dispatcher.services
    actions: list[Action] = []
    for locale in LOCALES:
        code = MENU_LANGUAGE_CODES.get(locale)
        if code is None:
            continue
        t = services.i18n.get(locale)
        actions.append(SetCommands(command_menu(services.routes, None, t), language_code=code))
    default = services.i18n.get(services.settings.bot_default_locale)
    actions.append(SetCommands(command_menu(services.routes, None, default)))
    return actions
