"""/client <name> and the buttons of a client card: add or edit a contact, add a date, notes.

Every registered staff member may look clients up (which visits they may open is the visits'
business); strangers never get here, the dispatcher refuses them first. Buttons carry ids only:
``cl:<op>:<id>``.
"""

from __future__ import annotations

from bot.core.context import Context, keyboard
from bot.core.events import Button
from bot.core.router import Router
from bot.domain.clients import Client
from bot.flows.client_date import ADD_DATE
from bot.flows.client_notes import NOTES
from bot.flows.contact import ADD_CONTACT, EDIT_CONTACT, answers_of
from bot.i18n import N_
from bot.views.clients import ClientButton, card, show_card

router = Router()
# Buttons offered when several clients match; more means the name should be typed more fully.
CHOICES = 8


@router.command("client", menu=N_("cmd.client"))
def find_client(ctx: Context) -> None:
    """One match: its card; several: a button each; none: says so, with how to search."""
    query = " ".join(ctx.args)
    if not query:
        ctx.reply(ctx.t("client.ask_name"))
        return
    found = ctx.services.clients.search(query, limit=CHOICES + 1)
    if not found:
        ctx.reply(ctx.t("client.no_match", query=query))
    elif len(found) == 1:
        ctx.reply(*card(ctx, found[0]))
    else:
        rows = [[Button(client.name, ClientButton("s", client.id).pack())] for client in found[:CHOICES]]
        text = ctx.t("client.choose", query=query)
        if len(found) > CHOICES:
            text += "\n" + ctx.t("client.choose_more", count=CHOICES)
        ctx.reply(text, keyboard(*rows))


@router.callback(ClientButton.prefix)
def card_button(ctx: Context) -> None:
    """A client chosen from the list, or one of its card's buttons."""
    button = ClientButton.from_args(ctx.args)
    op, record_id = button.action, button.id
    if op == "ek":
        _edit_contact(ctx, record_id)
        return
    client = ctx.services.clients.get(record_id)
    if client is None:
        ctx.toast(ctx.t("client.gone"), alert=True)
    elif op == "s":
        show_card(ctx, client.id)
    elif op == "ec":
        _choose_contact(ctx, client)
    else:
        ctx.services.flows.start(ctx, _FLOWS[op], {"client_id": client.id})


_FLOWS = {"ac": ADD_CONTACT.name, "ad": ADD_DATE.name, "n": NOTES.name}


def _choose_contact(ctx: Context, client: Client) -> None:
    """Straight to the only contact; a button each when there are several."""
    contacts = ctx.services.clients.contacts(client.id)
    if not contacts:
        ctx.toast(ctx.t("client.no_contacts"), alert=True)
    elif len(contacts) == 1:
        _edit_contact(ctx, contacts[0].id)
    else:
        rows = [[Button(f"{c.name} {c.title}".strip(), ClientButton("ek", c.id).pack())] for c in contacts]
        ctx.reply(ctx.t("client.which_contact", name=client.name), keyboard(*rows))


def _edit_contact(ctx: Context, contact_id: int) -> None:
    """The edit flow's review card, filled with what is stored: Edit changes one detail."""
    contact = ctx.services.clients.contact(contact_id)
    if contact is None:
        ctx.toast(ctx.t("client.gone"), alert=True)
        return
    ctx.services.flows.start(ctx, EDIT_CONTACT.name, answers_of(contact), at_review=True)
