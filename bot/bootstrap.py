"""One function builds every dependency and hands them down; nothing is built at import time."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock, SystemClock
from bot.core.dispatcher import Dispatcher
from bot.core.router import Router
from bot.handlers import registry
from bot.handlers.access import refuse_stranger
from bot.handlers.help import not_understood
from bot.i18n import I18n
from bot.repositories import AccessRequestRepository, InviteRepository, StaffRepository
from bot.services.access import AccessService
from bot.settings import Settings
from bot.storage import Database


@dataclass
class Services:
    """Everything a handler may need."""

    settings: Settings
    clock: Clock
    db: Database
    i18n: I18n
    access: AccessService
    routes: Router
    # Learnt from Telegram's getMe once a transport connects; used in invitation links.
    bot_username: str = "your_bot"


def build(settings: Settings, clock: Clock | None = None, db: Database | None = None) -> Dispatcher:
    """Wires settings, storage, clock, translations and handlers into a ready dispatcher."""
    db = db or Database.open(settings.bot_data_dir)
    access = AccessService(
        StaffRepository(db.table("staff")),
        InviteRepository(db.table("invites")),
        AccessRequestRepository(db.table("access_requests")),
        settings.bot_admin_ids,
    )
    services = Services(settings, clock or SystemClock(), db, I18n(settings.bot_default_locale), access,
                        registry.routes())
    return Dispatcher(services, services.routes, on_stranger=refuse_stranger, on_text=not_understood)
