"""Guided conversations declared as data (``model``), run by one engine (``engine``)."""

from __future__ import annotations

from bot.flows.model import Flow


def all_flows() -> dict[str, Flow]:
    """Every flow of the bot by name. Flows are added here as they are written."""
    from bot.flows.approval import SEND_BACK
    from bot.flows.client_date import ADD_DATE
    from bot.flows.client_notes import NOTES
    from bot.flows.contact import ADD_CONTACT, EDIT_CONTACT
    from bot.flows.debrief import DEBRIEF
    from bot.flows.new_visit import NEW_VISIT  # imported here: flows import the views, which import Context
    from bot.flows.visit_changes import CANCEL, NOTE, RESCHEDULE

    flows: list[Flow] = [NEW_VISIT, RESCHEDULE, CANCEL, NOTE, DEBRIEF,
                         ADD_CONTACT, EDIT_CONTACT, ADD_DATE, NOTES, SEND_BACK]
    return {flow.name: flow for flow in flows}
