"""One function builds every dependency and hands them down; nothing is built at import time."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field

from bot.clock import Clock, SystemClock
from bot.core.capabilities import Capabilities
from bot.core.dispatcher import Dispatcher
from bot.core.outbox import TABLE as OUTBOX_TABLE
from bot.core.outbox import Outbox
from bot.core.replays import TABLE as HANDLED_TABLE
from bot.core.replays import HandledUpdates
from bot.core.router import Router
from bot.domain.nudges import Nudge
from bot.domain.policy import Policy, load_policy
from bot.domain.visits import Visit, VisitStatus
from bot.domain.workdays import WorkCalendar, china_calendar
from bot.flows.engine import FlowEngine
from bot.flows.model import Flow
from bot.flows.registry import all_flows
from bot.handlers import registry
from bot.handlers.access import refuse_stranger
from bot.handlers.dialogs import on_group_text, on_replayed, on_text, side_question_lapses
from bot.handlers.inline import answer_inline
from bot.i18n import I18n
from bot.repositories import AccessRequestRepository, InviteRepository, NoticeHourRepository, StaffRepository
from bot.repositories.clients import ClientRepository, ContactRepository
from bot.repositories.company import CompanyRepository
from bot.repositories.contact_log import ContactLogRepository, RelationshipRecords
from bot.repositories.debriefs import DebriefRepository
from bot.repositories.dialogs import DialogRepository, SavedFormRepository
from bot.repositories.done_once import DoneOnceRepository
from bot.repositories.identities import TABLE as IDENTITIES_TABLE
from bot.repositories.identities import Identities
from bot.repositories.imports import PENDING, PendingImports
from bot.repositories.nudges import ARCHIVE_AFTER, NudgeRepository
from bot.repositories.planned_policy import PLANNED_POLICY, PlannedPolicyRepository
from bot.repositories.tasks import TaskRepository
from bot.repositories.visits import VisitRepository
from bot.services.access import AccessService
from bot.services.approval import ApprovalService
from bot.services.approval_reminders import ApprovalReminderService
from bot.services.clients import ClientService
from bot.services.company import CompanyService
from bot.services.debriefs import DebriefService, lead_contact_language
from bot.services.digest import DigestLog, DigestPreferences, DigestService
from bot.services.dispatch import NudgeSender, NudgeText
from bot.services.escalation import EscalationService, EscalationText
from bot.services.lookups import LookupService, ReceptionGroups
from bot.services.nudges import NudgeService
from bot.services.relationship import RelationshipService
from bot.services.replan import PolicyReplan
from bot.services.visits import VisitService
from bot.settings import Settings
from bot.storage import Database
from bot.transports.common import TELEGRAM
from bot.views.approval import ReminderView
from bot.views.digest import DigestView
from bot.views.escalations import render as render_escalation
from bot.views.nudges import render as render_nudge


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
    nudges: NudgeService
    calendar: WorkCalendar
    # The bot's name, learnt once a transport connects (Telegram's getMe); used in invitation links.
    bot_username: str = "your_bot"
    # What the messenger can do, as its transport declares it when it starts (Telegram's until then).
    capabilities: Capabilities = TELEGRAM
    # Keyword-only, so fields with defaults may come before it.
    debriefs: DebriefService = field(kw_only=True)
    clients: ClientService = field(kw_only=True)
    relationship: RelationshipService = field(kw_only=True)
    lookups: LookupService = field(kw_only=True)
    digests: DigestService = field(kw_only=True)
    # Everything the bot pushes by itself waits here until it is sent (bot.core.outbox).
    outbox: Outbox = field(kw_only=True)
    # Our company's name, as the banner, the itinerary and the memo print it.
    company: CompanyService = field(kw_only=True)
    approval: ApprovalService = field(kw_only=True)
    # How the pushes the services make read (bot.views): a service decides what goes to whom.
    nudge_text: NudgeText = field(kw_only=True)
    escalation_text: EscalationText = field(kw_only=True)
    # Built once the rest exists: it reads nudges, visits and people through the services.
    escalations: EscalationService = field(init=False)
    # Likewise: approvals still awaited close to the arrival (bot.services.approval_reminders).
    approval_reminders: ApprovalReminderService = field(init=False)
    # Nudges planned by an older policy, planned again by the warm-up (bot.services.replan).
    replan: PolicyReplan = field(kw_only=True)

    @property
    def identities(self) -> Identities:
        """Who is who across messengers, which the transports translate people through."""
        return self.access.identities


def build(settings: Settings, clock: Clock | None = None, db: Database | None = None,
          flows: dict[str, Flow] | None = None) -> Dispatcher:
    """Wires settings, storage, clock, translations and handlers into a ready dispatcher.

    ``clock``, ``db`` and ``flows`` default to the real ones; tests pass their own. Raises
    ``PolicyError`` or ``WorkdaysError`` for an invalid company policy or working-days file, and
    ``DamagedData`` for a stored document the repositories cannot read.
    """
    # Building reads every index into memory: hundreds of thousands of objects that all live on.
    # The cyclic garbage collector's passes over them meanwhile find nothing to free and took
    # 0.3-0.4 s of a 2 s start at 25,000 visits, so it waits until the build is done.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(settings, clock, db, flows)
    finally:
        if collecting:
            gc.enable()


def _build(settings: Settings, clock: Clock | None, db: Database | None,
           flows: dict[str, Flow] | None) -> Dispatcher:
    db = db or Database.open(settings.bot_data_dir)
    access = AccessService(
        StaffRepository(db.table("staff")),
        InviteRepository(db.table("invites")),
        AccessRequestRepository(db.table("access_requests")),
        NoticeHourRepository(db.table("access_notices")),
        identities=Identities(db.table(IDENTITIES_TABLE)),
        admins=settings.admin_identities,
    )
    engine = FlowEngine(all_flows() if flows is None else flows, DialogRepository(db.table("dialogs")),
                        SavedFormRepository(db.table("saved_forms")))
    clock = clock or SystemClock()
    policy = load_policy(settings.bot_data_dir)
    calendar = china_calendar(settings.bot_data_dir)
    nudges = NudgeService(NudgeRepository(db.table("nudges"), db.archive("nudges")), policy, calendar,
                          settings.tz, clock)
    visits = VisitService(VisitRepository(db.table("visits")), planner=nudges.plan_visit)
    clients = ClientService(ClientRepository(db.table("clients")), ContactRepository(db.table("contacts")),
                            pending=PendingImports(db.table(PENDING)))
    debriefs = DebriefService(DebriefRepository(db.table("debriefs")), TaskRepository(db.table("tasks")),
                              memo_language=lead_contact_language(clients.contacts))
    i18n = I18n(settings.bot_default_locale)
    relationship = RelationshipService(
        ContactLogRepository(db.table("contact_log")),
        RelationshipRecords(db.table("relationship_reminders"), db.table("greeting_digests"),
                            db.table("relationship_sweeps")),
        clients=clients, visits=visits.visits, staff=access.staff, policy=policy, i18n=i18n, tz=settings.tz,
        calendar=calendar)
    lookups = LookupService(visits.visits, nudges=nudges.nudges, clients=clients, debriefs=debriefs,
                            groups=ReceptionGroups(db.table("reception_groups")), access=access,
                            tz=settings.tz, lapses=nudges.lapses)
    approval = ApprovalService(visits, access, policy)
    digests = DigestService(lookups, DigestView(lookups), staff=access.staff,
                            preferences=DigestPreferences(db.table("digest_prefs")),
                            log=DigestLog(db.table("digests")), i18n=i18n, policy=policy,
                            calendar=calendar, clock=clock, approvals=approval)
    services = Services(settings, clock, db, i18n, access,
                        registry.routes(), engine, policy, visits, nudges=nudges, calendar=calendar,
                        debriefs=debriefs, clients=clients, relationship=relationship,
                        lookups=lookups, digests=digests, outbox=Outbox(db.table(OUTBOX_TABLE)),
                        company=CompanyService(CompanyRepository(db.table("company"))),
                        approval=approval,
                        replan=PolicyReplan(nudges, visits, PlannedPolicyRepository(db.table(PLANNED_POLICY)),
                                            clock),
                        nudge_text=render_nudge, escalation_text=render_escalation)
    services.escalations = EscalationService(services,
                                             DoneOnceRepository(db.table("escalations"), ("nudge",)))
    services.approval_reminders = ApprovalReminderService(
        services, DoneOnceRepository(db.table("approval_reminders"), ("visit", "step")),
        ReminderView(policy, lookups.name))
    sender = NudgeSender(services)

    def withdrawn(visit: Visit, items: list[Nudge]) -> int:
        """Tells whoever held items now called off, when they may be told (not at night, not on a
        day off unless the visit was then)."""
        if visit.status is VisitStatus.CANCELLED:
            return 0  # the cancellation's own note tells each holder (bot/flows/visit_changes.py)
        when = sender.first_moment(visit, services.clock.now())
        return services.outbox.add(sender.withdrawn_notes(visit, items), "note", when)

    nudges.on_withdrawn = withdrawn
    # Settled nudges of visits long past leave memory for the archive (bot.repositories.nudges); the
    # first write of a start, once every index was read (a damaged document stops it, writing nothing).
    nudges.nudges.archive_settled(clock.now() - ARCHIVE_AFTER)
    return Dispatcher(services, services.routes, on_stranger=refuse_stranger, on_text=on_text,
                      on_group_text=on_group_text, on_inline=answer_inline,
                      handled=HandledUpdates(db.table(HANDLED_TABLE)), on_replayed=on_replayed,
                      before_route=side_question_lapses)
