"""Plain text and flow buttons: an open flow takes them; otherwise the bot says what it can do.

In the registered reception group, text is a question about arrivals or nothing: never the answer to
a form, which belongs to the private chat it was opened in.
"""

from __future__ import annotations

from bot.core.callbacks import Malformed, unpack
from bot.core.context import Context
from bot.core.router import Router
from bot.flows.engine import PREFIX, FlowButton
from bot.handlers.help import not_understood
from bot.handlers.lookups import answer_aside, answer_question

router = Router()


@router.callback(PREFIX)
def flow_button(ctx: Context) -> None:
    """Back, Skip, Cancel, a choice, Save: everything pressed inside a flow."""
    ctx.services.flows.on_button(ctx)


def on_text(ctx: Context) -> None:
    """Typed text is the answer to the open question, if there is one (or a question of its own
    asked in the middle: answered, then the form's question again); else a question, if it is one."""
    if not ctx.services.flows.on_text(ctx, aside=answer_aside) and not answer_question(ctx):
        not_understood(ctx)


def side_question_lapses(ctx: Context) -> None:
    """Before every update: a Yes / No question asked beside an open form ("discard it?", "start
    another form?") is answered by what the person does next or not at all. A command other than
    /cancel (a second /cancel confirms the first) or a button other than the form's leaves it
    unanswered: a 好的 typed after /help, meant for something else, must not discard the form.
    Typed text goes to the form, which reads it as the answer or lets the question lapse."""
    event = ctx.event
    if not event.private:
        return
    if event.callback_data is not None:
        if unpack(event.callback_data)[0] == PREFIX:
            return
    else:
        text = (event.text or "").strip()
        name = (text[1:].split() or [""])[0].partition("@")[0].lower()
        if not text.startswith("/") or name == "cancel":
            return
    ctx.services.flows.side_question_lapses(event.user.id)


def on_replayed(ctx: Context) -> None:
    """An update handled and written before a restart, handed over again (``bot.core.replays``): it
    is not applied twice, and its reply may have been lost, so the person sees where they are. A
    form's Save shows what it saved; an open form, its question again; anything else, a short note
    (a toast for a button). Strangers and groups get nothing more."""
    if ctx.staff is None or not ctx.event.private:
        return
    flows = ctx.services.flows
    data = ctx.event.callback_data
    if data is not None:
        try:
            button: FlowButton | None = FlowButton.unpack(data)
        except Malformed:  # another family's button: no form's Save to show
            button = None
        if button is not None and flows.show_saved(ctx, button.token):
            return
    if flows.ask_again(ctx):
        return
    (ctx.toast if data is not None else ctx.reply)(ctx.t("replay.already_done"))


def on_group_text(ctx: Context) -> None:
    """Text in the registered reception group: a question about arrivals, answered for the group."""
    if not answer_question(ctx):
        not_understood(ctx)
