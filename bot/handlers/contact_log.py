"""/log <client> [note] and the buttons around it: which client, how we were in touch, and the
cadence nudge's "Logged a contact" and "Snooze a week".

Any staff member may log a contact with any client (whoever called, the relationship was kept);
strangers never get here, the dispatcher refuses them first. Buttons carry ids only:
``log:c:<entry>:<client>``, ``log:h:<entry>:<channel>``, ``log:n:<client>``, ``log:z:<reminder>``
(``bot.services.relationship`` defines them).
"""

from __future__ import annotations

from datetime import timedelta

from bot.core.callbacks import unpack_any
from bot.core.context import Context, keyboard
from bot.core.events import Button, Keyboard
from bot.core.router import Router
from bot.domain.relationship import Channel, ContactEntry
from bot.i18n import N_
from bot.services.relationship import (
    CHOICES,
    LOG_BUTTONS,
    PREFIX,
    ChannelButton,
    ClientPickedButton,
    LoggedButton,
    SnoozeButton,
)

router = Router()
SNOOZE = timedelta(days=7)
CHANNEL_KEYS = {Channel.CALL: N_("log.channel.call"), Channel.VISIT: N_("log.channel.visit"),
                Channel.MESSAGE: N_("log.channel.message"), Channel.EMAIL: N_("log.channel.email"),
                Channel.LEADER: N_("log.channel.leader")}


@router.command("log", menu=N_("cmd.log"))
def log_contact(ctx: Context) -> None:
    """Records the contact at once when the client is clear; otherwise asks which client."""
    assert ctx.staff is not None
    text = " ".join(ctx.args)
    if not text:
        ctx.reply(ctx.t("log.usage"))
        return
    relationship = ctx.services.relationship
    found, note = relationship.find_client(text)
    if not found:
        ctx.reply(ctx.t("log.no_match", query=text))
    elif len(found) == 1:
        ctx.reply(*_logged(ctx, relationship.log(found[0].id, ctx.staff.user_id, ctx.now, note)))
    else:
        entry = relationship.log(None, ctx.staff.user_id, ctx.now, note)
        rows = [[Button(client.name, ClientPickedButton(entry.id, client.id).pack())]
                for client in found[:CHOICES]]
        ctx.reply(ctx.t("log.choose"), keyboard(*rows))


@router.callback(PREFIX)
def log_button(ctx: Context) -> None:
    """The client picked, the way we were in touch, or a cadence nudge's two buttons."""
    assert ctx.staff is not None
    relationship = ctx.services.relationship
    button = unpack_any(ctx.event.callback_data, *LOG_BUTTONS)
    if isinstance(button, LoggedButton):
        client = ctx.services.clients.get(button.client)
        if client is None:
            ctx.toast(ctx.t("error.stale_button"), alert=True)
            return
        ctx.show(*_logged(ctx, relationship.log(client.id, ctx.staff.user_id, ctx.now)))
        return
    if isinstance(button, SnoozeButton):
        _snooze(ctx, button.reminder)
        return
    client_id = button.client if isinstance(button, ClientPickedButton) else None
    channel = button.channel if isinstance(button, ChannelButton) else None
    entry = relationship.entry(button.entry)
    if entry is None or entry.by != ctx.staff.user_id:
        ctx.toast(ctx.t("error.stale_button"), alert=True)
        return
    if client_id is not None:
        entry = relationship.complete(entry, client_id=client_id)
    elif channel is not None:
        entry = relationship.complete(entry, channel=channel)
    ctx.show(*_logged(ctx, entry))


def _snooze(ctx: Context, reminder_id: str) -> None:
    """The same nudge again in a week, unless a contact is logged before."""
    until = ctx.now + SNOOZE
    reminder = ctx.services.relationship.snooze(reminder_id, until)
    client = ctx.services.clients.get(reminder.client_id) if reminder else None
    if client is None:
        ctx.toast(ctx.t("error.stale_button"), alert=True)
        return
    ctx.show(ctx.t("log.snoozed", client=client.name, when=ctx.format_date(until)))


def _logged(ctx: Context, entry: ContactEntry) -> tuple[str, Keyboard]:
    """What was recorded; while the way is unknown, the buttons that tell it."""
    client = ctx.services.clients.get(entry.client_id) if entry.client_id is not None else None
    person = ctx.services.access.person(entry.by)
    details = {"client": client.name if client else "?", "who": person.name if person else str(entry.by),
               "when": ctx.format_time(entry.at)}
    if entry.channel is None:
        lines = [ctx.t("log.saved", **details)]
    else:
        lines = [ctx.t("log.saved_how", how=ctx.t(CHANNEL_KEYS[entry.channel]), **details)]
    if entry.note:
        lines.append(ctx.t("log.note", note=entry.note))
    if entry.channel is not None:
        return "\n".join(lines), ()
    lines.append(ctx.t("log.ask_channel"))
    buttons = [Button(ctx.t(key), ChannelButton(entry.id, way).pack()) for way, key in CHANNEL_KEYS.items()]
    return "\n".join(lines), keyboard(buttons[:3], buttons[3:])
