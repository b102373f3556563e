"""One function builds every dependency and hands them down; nothing is built at import time."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock, SystemClock
from bot.core.dispatcher import Dispatcher
from bot.core.router import Router
from bot.domain.policy import Policy, load_policy
from bot.flows import all_flows
from bot.flows.engine import FlowEngine
from bot.flows.model import Flow
from bot.handlers import registry
from bot.handlers.access import refuse_stranger
from bot.handlers.dialogs import on_text
from bot.i18n import I18n
from bot.repositories import AccessRequestRepository, InviteRepository, StaffRepository
from bot.repositories.dialogs import DialogRepository
from bot.repositories.visits import VisitRepository
from bot.services.access import AccessService
from bot.services.visits import VisitService
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
    flows: FlowEngine
    policy: Policy
    visits: VisitService
    # Learnt from Telegram's getMe once a transport connects; used in invitation links.
    bot_username: str = "your_bot"


def build(settings: Settings, clock: Clock | None = None, db: Database | None = None,
          flows: dict[str, Flow] | None = None) -> Dispatcher:
    """Wires settings, storage, clock, translations and handlers into a ready dispatcher.

    ``clock``, ``db`` and ``flows`` default to the real ones; tests pass their own. Raises
    ``PolicyError`` for an invalid company policy file.
    """
    db = db or Database.open(settings.bot_data_dir)
    access = AccessService(
        StaffRepository(db.table("staff")),
        InviteRepository(db.table("invites")),
        AccessRequestRepository(db.table("access_requests")),
        settings.bot_admin_ids,
    )
    engine = FlowEngine(all_flows() if flows is None else flows, DialogRepository(db.table("dialogs")))
    visits = VisitService(VisitRepository(db.table("visits")))
    services = Services(settings, clock or SystemClock(), db, I18n(settings.bot_default_locale), access,
                        registry.routes(), engine, load_policy(settings.bot_data_dir), visits)
    return Dispatcher(services, services.routes, on_stranger=refuse_stranger, on_text=on_text)
