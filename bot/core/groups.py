"""What a group chat may see: one rule for every command, button, file and typed question.

Client files are confidential (the handbooks mark them 机密), and a group holds people who are not
staff, or staff who should not see every visit. So in a group chat:

- a stranger (or someone switched off) is answered nothing, and no access request is made;
- in any group, an admin may register the group as the reception team's, or release it
  (``GroupUse.ANY``);
- in the registered group, staff see the day's arrivals, today's and tomorrow's
  (``GroupUse.REGISTERED``, and questions typed in words);
- anything else answers "ask me in a private chat", with a link that opens one where the
  messenger has such links (a button's press only the notice).

Every route declares its ``GroupUse`` (``bot.core.router``; by default private chats only) and the
dispatcher asks ``admit`` before any handler runs, so no handler looks at the chat to decide.
"""

from __future__ import annotations

from enum import Enum

from bot.core.context import Context, keyboard
from bot.core.events import Button
from bot.i18n import N_

# The /start payload of the link from a group to the private chat. It is no invitation code (those
# are 16 characters), so /start treats it as a plain start, for staff and strangers alike.
FROM_GROUP = "from_group"


class GroupUse(Enum):
    """Where in group chats a route may answer; in a private chat every route may."""

    PRIVATE = "private"  # private chats only: in a group, staff are pointed to the private chat
    REGISTERED = "registered"  # also the registered reception group: the day's arrivals
    ANY = "any"  # also any group: managing the group itself


def admit(ctx: Context, use: GroupUse) -> bool:
    """Whether a handler of this kind may answer in the event's chat; if not, says why (to staff;
    a stranger in a group is answered nothing)."""
    if ctx.event.private:
        return True
    if ctx.staff is None:
        return False
    if use is GroupUse.ANY:
        return True
    if use is GroupUse.REGISTERED:
        if ctx.services.lookups.groups.get(ctx.event.chat_id) is not None:
            return True
        _point_to_private(ctx, N_("group.not_registered_hint"))
    else:
        _point_to_private(ctx, N_("lookup.private_only"))
    return False


def _point_to_private(ctx: Context, key: str) -> None:
    text = ctx.t(key)
    if ctx.event.is_callback:
        ctx.toast(text, alert=True)
        return
    link = ctx.chat_link(FROM_GROUP)
    ctx.reply(text, keyboard([Button(ctx.t("group.open_private"), url=link)] if link else []))
