"""Guided conversations declared as data (``model``), run by one engine (``engine``)."""

from __future__ import annotations

from bot.flows.model import Flow


def all_flows() -> dict[str, Flow]:
    """Every flow of the bot by name. Flows are added here as they are written."""
    flows: list[Flow] = []
    return {flow.name: flow for flow in flows}
