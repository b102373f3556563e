"""Every flow of the bot by name, handed to the engine by bootstrap (as ``bot.handlers.registry``
gathers the routers)."""

from __future__ import annotations

from bot.flows.approval import SEND_BACK
from bot.flows.client_date import ADD_DATE
from bot.flows.client_notes import NOTES
from bot.flows.company import COMPANY
from bot.flows.contact import ADD_CONTACT, EDIT_CONTACT
from bot.flows.debrief import DEBRIEF
from bot.flows.model import Flow
from bot.flows.my_phone import MY_PHONE
from bot.flows.new_visit import NEW_VISIT
from bot.flows.visit_changes import CANCEL, NOTE, RESCHEDULE


def all_flows() -> dict[str, Flow]:
    """Every flow of the bot by name. Flows are added here as they are written."""
    flows: list[Flow] = [NEW_VISIT, RESCHEDULE, CANCEL, NOTE, DEBRIEF,
                         ADD_CONTACT, EDIT_CONTACT, ADD_DATE, NOTES, COMPANY, MY_PHONE, SEND_BACK]
    return {flow.name: flow for flow in flows}
