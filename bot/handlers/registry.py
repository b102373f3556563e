"""The routing table of the whole bot."""

from __future__ import annotations

from bot.core.router import Router, merge
from bot.handlers import (
    access,
    approval,
    backup,
    cancel,
    checklist,
    clients,
    company,
    contact_log,
    debrief,
    dialogs,
    digest,
    documents,
    help,
    importing,
    invite,
    language,
    link,
    lookups,
    nudges,
    phone,
    review,
    staff,
    visits,
)

# Order matters: it is the order of /help and of the command menu.
MODULES = (access, visits, approval, checklist, lookups, digest, clients, contact_log, debrief, documents,
           phone, help, language, link, cancel, invite, staff, company, importing, backup, review, nudges,
           dialogs)


def routes() -> Router:
    """Every command and button of the bot in one table."""
    return merge([module.router for module in MODULES])
