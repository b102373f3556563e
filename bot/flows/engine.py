"""Runs every flow: asks each step, checks answers, Back / Skip / Cancel, the review card, Save.

Buttons carry ``f:<token>:<op>[:<arg>]`` (``FlowButton``). The token belongs to one dialog, so a
button from an older form (or from before the person finished it) is answered with "this form has
expired" and the current question again, never acted on; a button of a card whose Save was
recorded (its reply lost to a crash, say) shows what was saved instead, where the flow can
(``Flow.saved_again``). The dialog is saved after every answer, so a restart resumes exactly where
the person was.

    start ──▶ step ──answer ok──▶ next applicable step ──…──▶ review ──Save──▶ on_save
               ▲  └─answer bad──▶ hint + same step        │  ▲
               └────────── Back / Edit ◀──────────────────┘  └─ edited step returns here
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.core.callbacks import CallbackData, read_number
from bot.core.context import Context, keyboard
from bot.core.events import Button
from bot.core.text import MAX_TEXT
from bot.domain.contact_fields import read_day
from bot.domain.dialogs import Dialog, SavedForm
from bot.domain.typed_confirmation import read_confirmation
from bot.domain.typed_undecided import is_undecided
from bot.flows import answers as parse
from bot.flows.model import Answers, Choice, Flow, Kind, Step
from bot.i18n import N_, Html, escape
from bot.repositories.dialogs import DialogRepository, SavedFormRepository

PREFIX = "f"
# Once this many answers are given, /cancel asks before throwing them away.
CONFIRM_CANCEL_FROM = 3


class Op(StrEnum):
    """What a button inside a flow does; the values are what its callback data carries."""

    CHOOSE = "c"  # a choice, Yes / No, a search result ("+": a new one named as typed)
    TICK = "m"  # ticks or unticks a box of a multi-choice step
    UNTICK = "mx"  # takes a typed item (by its place in the list) off a multi-choice step
    TICKED = "md"  # Done under the boxes
    QUICK_DATE = "d"  # Today (0) or Tomorrow (1)
    DATE_YES = "dy"  # the date as the bot read it is right
    DATE_NO = "dn"
    HALF = "h"  # 上午 (0) or 下午 (1)
    BACK = "b"
    SKIP = "s"
    EDIT = "e"  # ✏️ on the review card: the step's id
    SAVE = "sv"
    CANCEL = "x"
    CANCEL_YES = "xy"  # /cancel asked first: yes, throw the answers away
    CANCEL_NO = "xn"
    REPLACE_YES = "ry"  # another form asked to open: yes, throw this one away
    REPLACE_NO = "rn"


@dataclass(frozen=True)
class FlowButton(CallbackData, prefix=PREFIX):
    """A button inside one dialog (``token``); what ``arg`` holds depends on ``op``, and the step
    it is pressed at checks it."""

    token: str
    op: Op
    arg: str = ""


class FlowEngine:
    def __init__(self, flows: Mapping[str, Flow], dialogs: DialogRepository,
                 saved: SavedFormRepository) -> None:
        self.flows = dict(flows)
        self.dialogs = dialogs
        self.saved = saved

    # ---- entry points -------------------------------------------------------------------------

    def start(self, ctx: Context, flow_name: str, answers: Answers | None = None, *,
              at_review: bool = False, edit: str | None = None) -> None:
        """Opens a flow and asks its first question. An open one is replaced; if it has as many
        answers as /cancel would ask about, the person is asked first (a tap on "New visit" in the
        middle of a form must not throw the form away).

        ``at_review`` opens the review card of answers given here (editing a saved record); with
        ``edit``, that step's question instead, as its ✏️ button would (the room of a clash).
        """
        open_dialog = self.active(ctx.event.user.id)
        if open_dialog is not None and len(open_dialog.answers) >= CONFIRM_CANCEL_FROM:
            open_dialog.replacing = {"flow": flow_name, "answers": answers or {}, "at_review": at_review,
                                     "edit": edit}
            self.dialogs.save(open_dialog)
            yes = _button(ctx.t("flow.replace_yes"), open_dialog.token, Op.REPLACE_YES)
            no = _button(ctx.t("flow.cancel_no"), open_dialog.token, Op.REPLACE_NO)
            title = ctx.t(self.flows[open_dialog.flow].title)
            ctx.reply(ctx.t.plural("flow.replace_confirm", len(open_dialog.answers), title=title),
                      keyboard([yes, no]))
            return
        self._open(ctx, flow_name, answers, at_review=at_review, edit=edit)

    def _open(self, ctx: Context, flow_name: str, answers: Answers | None, *, at_review: bool,
              edit: str | None = None) -> None:
        flow = self.flows[flow_name]
        dialog = Dialog(ctx.event.user.id, flow_name, secrets.token_hex(3), ctx.now, None,
                        answers={**flow.initial(ctx), **(answers or {})})
        if at_review:
            dialog.history = [s.id for s in flow.steps if s.applies(dialog.answers)]
            dialog.step = self._first_unanswered(flow, dialog)
            if dialog.step is None and edit in dialog.history:
                dialog.step, dialog.editing = edit, True
        else:
            dialog.step = self._next_step(flow, dialog, after=None)
        self._ask(ctx, flow, dialog, new_message=True)

    def active(self, user_id: int) -> Dialog | None:
        dialog = self.dialogs.get(user_id)
        return dialog if dialog is not None and dialog.flow in self.flows else None

    def on_text(self, ctx: Context, aside: Callable[[Context], bool] | None = None) -> bool:
        """Takes typed text as the answer to the open question; False when no flow is open.

        ``aside`` answers text the open question cannot take that asks something else ("今天谁来"
        typed at the arrival time) and says whether it did: then the question is asked again,
        with no complaint and every answer kept."""
        dialog = self.active(ctx.event.user.id)
        if dialog is None:
            return False
        flow = self.flows[dialog.flow]
        text = (ctx.event.text or "").strip()
        pressed = self._typed_confirmation(dialog, text)
        if pressed is None:  # the Yes / No question left unanswered: what comes next is not about it
            dialog.confirming_cancel, dialog.replacing = False, {}
        if len(text) > MAX_TEXT:
            self._complain(ctx, flow, dialog, ctx.t("flow.too_long", limit=MAX_TEXT, length=len(text)))
        elif pressed is not None:
            pressed(self, ctx, flow, dialog, "")
        elif dialog.step is None:
            self._complain(ctx, flow, dialog, ctx.t("flow.review_use_buttons"))
        elif flow.step(dialog.step).optional and parse.is_skip_word(text):
            self._on_skip(ctx, flow, dialog, "")
        elif flow.step(dialog.step).optional and flow.step(dialog.step).undecided and is_undecided(text):
            self._on_undecided(ctx, flow, dialog, flow.step(dialog.step))
        else:
            self._take_text(ctx, flow, dialog, flow.step(dialog.step), text, aside=aside)
        return True

    @staticmethod
    def _typed_confirmation(dialog: Dialog, text: str) -> _Handler | None:
        """The Yes or No button of the Yes / No question last asked, when ``text`` is a typed yes
        or no (对, 不对, yes, no); None when no such question is open or the text is something else,
        which is then read as an answer."""
        typed = read_confirmation(text)
        if typed is None:
            return None
        if dialog.confirming_cancel:  # cleared by every question asked since, as ``replacing``
            return FlowEngine._on_cancel_yes if typed else FlowEngine._on_cancel_no
        if dialog.replacing:
            return FlowEngine._on_replace_yes if typed else FlowEngine._on_cancel_no
        if dialog.step is not None and dialog.pending.get("reading"):
            return FlowEngine._on_date_yes if typed else FlowEngine._on_date_no
        return None

    def side_question_lapses(self, user_id: int) -> None:
        """"Discard the form?" or "start another form?" asked and not answered before something
        else (``bot.handlers.dialogs.side_question_lapses``): a Yes typed later is no answer to it
        (its Discard button still is), so the form is never thrown away by a 好的 meant for
        something else."""
        dialog = self.active(user_id)
        if dialog is not None and (dialog.confirming_cancel or dialog.replacing):
            dialog.confirming_cancel, dialog.replacing = False, {}
            self.dialogs.save(dialog)

    def ask_again(self, ctx: Context) -> bool:
        """The open question (or review card) once more, as a new message, writing nothing: for an
        update handled before a restart and handed over again, whose reply may be lost
        (``bot.core.replays``). False when no flow is open."""
        return self._prompt_open(ctx, note=None)

    def show_open(self, ctx: Context) -> bool:
        """The open form named, then its question (or review card) with its buttons, writing
        nothing: for a chat shown anew (the console started again), where the buttons shown before
        are gone. False when no form is open."""
        return self._prompt_open(ctx, note=N_("flow.still_open"))

    def _prompt_open(self, ctx: Context, note: str | None) -> bool:
        dialog = self.active(ctx.event.user.id)
        flow = self.flows[dialog.flow] if dialog is not None else None
        if dialog is None or flow is None or (dialog.step is None and not flow.review):
            return False
        if note is not None:
            ctx.reply(ctx.t(note, title=ctx.t(flow.title)))
        reading = dialog.pending.get("reading") if dialog.step is not None else None
        if reading:  # a date read and not yet confirmed: that question, as it was left
            self._show_reading(ctx, dialog, datetime.fromisoformat(reading), new_message=True)
        else:
            self._prompt(ctx, flow, dialog, new_message=True)
        return True

    def show_saved(self, ctx: Context, token: str) -> bool:
        """What the form of ``token`` saved ("Already saved as visit #N" and its card), if it was
        saved and its flow can show it; writes nothing."""
        return self._saved_again(ctx, token)

    def on_button(self, ctx: Context) -> None:
        """Handles every ``f:`` button."""
        button = FlowButton.from_args(ctx.args)
        dialog = self.active(ctx.event.user.id)
        if dialog is None or dialog.token != button.token:
            if not self._saved_again(ctx, button.token):
                self._expired(ctx, dialog)
            return
        _BUTTONS[button.op](self, ctx, self.flows[dialog.flow], dialog, button.arg)

    def cancel(self, ctx: Context) -> bool:
        """/cancel: asks first when much was typed; False when there was nothing to cancel."""
        dialog = self.active(ctx.event.user.id)
        if dialog is None:
            return False
        if len(dialog.answers) >= CONFIRM_CANCEL_FROM and not dialog.confirming_cancel:
            dialog.confirming_cancel = True
            self.dialogs.save(dialog)
            yes = _button(ctx.t("flow.cancel_yes"), dialog.token, Op.CANCEL_YES)
            no = _button(ctx.t("flow.cancel_no"), dialog.token, Op.CANCEL_NO)
            ctx.reply(ctx.t.plural("flow.cancel_confirm", len(dialog.answers)), keyboard([yes, no]))
            return True
        self._drop(ctx, dialog)
        return True

    # ---- answers ------------------------------------------------------------------------------

    def _take_text(self, ctx: Context, flow: Flow, dialog: Dialog, step: Step, text: str, *,
                   aside: Callable[[Context], bool] | None) -> None:
        result: parse.Value | parse.Problem | parse.Confirm | parse.AskTime | parse.AskHalf
        # "今天谁来" asked at "which company" or "who is visiting" is a question, not a name: answered,
        # then the question again. Other steps read the text first and ask only if they refuse it.
        names = step.kind is Kind.SEARCH or (step.kind is Kind.MULTI and step.free_text)
        if names and aside is not None and aside(ctx):
            self._ask(ctx, flow, dialog, new_message=True)
            return
        if step.kind is Kind.SEARCH:
            problem = step.check_item(ctx, text) if step.check_item is not None else None
            if problem is not None:  # not searched, so not offered as a new one either
                self._complain(ctx, flow, dialog, problem)
                return
            dialog.pending = {"query": text}
            self._ask(ctx, flow, dialog, new_message=True)
            return
        if step.kind is Kind.DATETIME:
            result = parse.datetime_text(ctx, step, dialog, text)
        else:
            result = parse.text_answer(ctx, step, self._choices(ctx, step, dialog), text, dialog)
        if isinstance(result, parse.Problem):
            self._complain(ctx, flow, dialog, result.message, aside=aside)
        elif isinstance(result, parse.Confirm):
            self._confirm_reading(ctx, dialog, result, new_message=True)
        elif isinstance(result, parse.AskTime):
            dialog.pending = {"date": result.day.isoformat()}
            if result.part is not None:
                dialog.pending["part"] = result.part
            self.dialogs.save(dialog)
            ctx.reply(ctx.t("flow.date_need_time", date=ctx.format_date(result.day)))
        elif isinstance(result, parse.AskHalf):
            self._ask_half(ctx, dialog, result, text)
        else:
            self._accept(ctx, flow, dialog, step, result.value, new_message=True, aside=aside)

    def _accept(self, ctx: Context, flow: Flow, dialog: Dialog, step: Step, value: Any, *,
                new_message: bool, aside: Callable[[Context], bool] | None = None) -> None:
        problem = step.check(ctx, value, dialog.answers) if step.check else None
        if problem is not None:
            dialog.pending = {}
            # Typed text the step read but refuses (明天谁来 as a country code) may be a question too.
            self._complain(ctx, flow, dialog, problem, new_message=new_message, aside=aside)
            return
        previous = dialog.answers.get(step.id)
        dialog.answers[step.id] = value
        if previous is not None and previous != value:
            for later in step.resets:
                dialog.answers.pop(later, None)
                if later in dialog.history:
                    dialog.history.remove(later)
        self._advance(ctx, flow, dialog, step, new_message=new_message)

    def _advance(self, ctx: Context, flow: Flow, dialog: Dialog, step: Step, *, new_message: bool) -> None:
        dialog.pending = {}
        if step.id not in dialog.history:
            dialog.history.append(step.id)
        if dialog.editing:
            # An edit can make steps apply that did not (lodging now "yes"): ask those, then the card.
            dialog.step = self._first_unanswered(flow, dialog)
            dialog.editing = dialog.step is not None
        else:
            dialog.step = self._next_step(flow, dialog, after=step.id)
        self._ask(ctx, flow, dialog, new_message=new_message)

    # ---- asking -------------------------------------------------------------------------------

    def _ask(self, ctx: Context, flow: Flow, dialog: Dialog, *, new_message: bool) -> None:
        # A question asked after "Cancel? Sure?": the person went on, so a later Cancel asks again
        # (a second Cancel right after the first confirms it).
        dialog.confirming_cancel = False
        # So is "start another form?": a 好 typed to a later question answers that question.
        dialog.replacing = {}
        self.dialogs.save(dialog)
        if dialog.step is None and not flow.review:
            self._on_save(ctx, flow, dialog, "")
            return
        self._prompt(ctx, flow, dialog, new_message=new_message)

    def _prompt(self, ctx: Context, flow: Flow, dialog: Dialog, *, new_message: bool) -> None:
        """Shows the open question (or the review card), writing nothing."""
        if dialog.step is None:
            self._review(ctx, flow, dialog, new_message=new_message)
            return
        step = flow.step(dialog.step)
        applicable = [s for s in flow.steps if s.asked(dialog.answers) or s.id == step.id]
        number = next(i for i, s in enumerate(applicable, 1) if s.id == step.id)
        text = ctx.t("flow.progress", number=number, total=len(applicable)) + " " + ctx.t(step.question)
        detail = step.detail(ctx, dialog.answers) if step.detail is not None else ""
        if detail:
            text += "\n" + detail
        if step.kind is Kind.MULTI and step.free_text:
            text += self._current_list(ctx, step, dialog)
        if step.kind is Kind.DATETIME and dialog.pending.get("date"):
            # The day chosen still holds (a time typed next is read on it): asked again, it is named.
            text += "\n" + ctx.t("flow.date_need_time",
                                 date=ctx.format_date(datetime.fromisoformat(dialog.pending["date"])))
        rows = self._answer_buttons(ctx, step, dialog)
        rows.append(self._nav_buttons(ctx, step, dialog))
        (ctx.reply if new_message else ctx.show)(text, keyboard(*rows))

    def _current_list(self, ctx: Context, step: Step, dialog: Dialog) -> str:
        """Under a multi-choice question that takes typed items: the list as it stands, when it
        holds typed items (they have no ✅ of their own) or an earlier answer being changed, which a
        typed list replaces."""
        labels = {c.id: _label(ctx, c) for c in self._choices(ctx, step, dialog)}
        ticked = self._ticked(step, dialog)
        changing = bool(dialog.answers.get(step.id))
        if not ticked or not (changing or any(item not in labels for item in ticked)):
            return ""
        items = Html(ctx.t.join((labels.get(i) or escape(i) for i in ticked), style="series"))  # escaped once
        text = "\n" + ctx.t("flow.multi_current", items=items)
        return text + ("\n" + ctx.t("flow.multi_replace") if changing else "")

    def _answer_buttons(self, ctx: Context, step: Step, dialog: Dialog) -> list[list[Button]]:
        token = dialog.token
        if step.kind is Kind.YES_NO:
            return [[_button(ctx.t("flow.yes"), token, Op.CHOOSE, "1"),
                     _button(ctx.t("flow.no"), token, Op.CHOOSE, "0")]]
        if step.kind is Kind.DATETIME:
            return [[_button(ctx.t("flow.today"), token, Op.QUICK_DATE, "0"),
                     _button(ctx.t("flow.tomorrow"), token, Op.QUICK_DATE, "1")]]
        if step.kind is Kind.SEARCH:
            return self._search_buttons(ctx, step, dialog)
        choices = self._choices(ctx, step, dialog)
        if step.kind is Kind.CHOICE:
            return _in_rows([_button(_label(ctx, c), token, Op.CHOOSE, c.id) for c in choices])
        if step.kind is Kind.MULTI:
            ticked = set(self._ticked(step, dialog))
            buttons = [_button(("✅ " if c.id in ticked else "▫️ ") + _label(ctx, c), token, Op.TICK, c.id)
                       for c in choices]
            # Typed items have no button of their own to untick: each gets one that takes it off.
            known = {c.id for c in choices}
            buttons += [_button("➖ " + escape(item), token, Op.UNTICK, str(index))
                        for index, item in enumerate(self._ticked(step, dialog)) if item not in known]
            return [*_in_rows(buttons), [_button(ctx.t("flow.multi_done"), token, Op.TICKED)]]
        return []

    def _search_buttons(self, ctx: Context, step: Step, dialog: Dialog) -> list[list[Button]]:
        query = dialog.pending.get("query")
        if not query or step.search is None:
            return []
        rows = [[_button(_label(ctx, c), dialog.token, Op.CHOOSE, c.id)]
                for c in step.search(ctx, query)]
        if step.create_label:
            rows.append([_button(ctx.t(step.create_label, name=query), dialog.token, Op.CHOOSE, "+")])
        return rows

    def _nav_buttons(self, ctx: Context, step: Step, dialog: Dialog) -> list[Button]:
        token, row = dialog.token, []
        if dialog.history or dialog.editing:
            row.append(_button(ctx.t("flow.back"), token, Op.BACK))
        if step.optional:
            row.append(_button(ctx.t("flow.skip"), token, Op.SKIP))
        row.append(_button(ctx.t("flow.cancel"), token, Op.CANCEL))
        return row

    def _complain(self, ctx: Context, flow: Flow, dialog: Dialog, message: str, *,
                  new_message: bool = True, aside: Callable[[Context], bool] | None = None) -> None:
        """A specific hint, then the same question again; the dialog keeps every earlier answer.
        No hint when the text was a question ``aside`` answered (see ``on_text``)."""
        if aside is None or not aside(ctx):
            (ctx.reply if new_message else ctx.show)(message)
        self._ask(ctx, flow, dialog, new_message=True)

    def _confirm_reading(self, ctx: Context, dialog: Dialog, reading: parse.Confirm, *,
                         new_message: bool) -> None:
        dialog.pending = {"reading": reading.value.isoformat()}
        self.dialogs.save(dialog)
        self._show_reading(ctx, dialog, reading.value, new_message=new_message)

    @staticmethod
    def _show_reading(ctx: Context, dialog: Dialog, value: datetime, *, new_message: bool) -> None:
        """"I read that as … — correct?" with its two buttons; writes nothing."""
        yes = _button(ctx.t("flow.date_yes"), dialog.token, Op.DATE_YES)
        no = _button(ctx.t("flow.date_no"), dialog.token, Op.DATE_NO)
        text = ctx.t("flow.date_confirm", when=ctx.format_time(value))
        (ctx.reply if new_message else ctx.show)(text, keyboard([yes, no]))

    def _ask_half(self, ctx: Context, dialog: Dialog, half: parse.AskHalf, text: str) -> None:
        """上午还是下午? One button per reading, each showing the moment it stands for. The day
        chosen before stays pending, so a time typed instead of a press is still read on it."""
        dialog.pending["half"] = [half.morning.isoformat(), half.afternoon.isoformat()]
        self.dialogs.save(dialog)
        rows = [[_button(ctx.t(_half_label(ctx, moment), when=ctx.format_time(moment)), dialog.token, Op.HALF,
                         str(index))]
                for index, moment in enumerate((half.morning, half.afternoon))]
        ctx.reply(ctx.t("flow.date_am_pm", text=text), keyboard(*rows))

    # ---- review card --------------------------------------------------------------------------

    def _review(self, ctx: Context, flow: Flow, dialog: Dialog, *, new_message: bool) -> None:
        lines = [f"<b>{ctx.t(flow.title)}</b>", ""]
        edit_buttons = []
        for step in flow.steps:
            if not step.applies(dialog.answers):
                continue
            shown = self._describe(ctx, flow, dialog, step)
            lines.append(f"{ctx.t(step.label)}: {shown}")
            edit_buttons.append(_button("✏️ " + ctx.t(step.label), dialog.token, Op.EDIT, step.id))
        save = _button(ctx.t("flow.save"), dialog.token, Op.SAVE)
        cancel = _button(ctx.t("flow.cancel"), dialog.token, Op.CANCEL)
        warnings = flow.warnings(ctx, dialog.answers) if flow.warnings is not None else []
        if warnings:
            lines += ["", *warnings]
        lines += ["", ctx.t("flow.review_hint")]
        buttons = keyboard(*_in_rows(edit_buttons), [save, cancel])
        (ctx.reply if new_message else ctx.show)("\n".join(lines), buttons)

    def _describe(self, ctx: Context, flow: Flow, dialog: Dialog, step: Step) -> str:
        if step.id not in dialog.answers:
            return ctx.t("flow.skipped")
        value = dialog.answers[step.id]
        if flow.describe is not None:
            custom = flow.describe(ctx, step, value, dialog.answers)
            if custom:
                return custom
        if step.kind is Kind.YES_NO:
            return ctx.t("flow.yes") if value else ctx.t("flow.no")
        if step.kind is Kind.DATETIME:
            return ctx.format_time(datetime.fromisoformat(value))
        if step.kind is Kind.DATE:
            day = read_day(str(value))
            return ctx.format_day(day) if day is not None else escape(value)
        if step.kind in (Kind.CHOICE, Kind.MULTI):
            labels = {c.id: _label(ctx, c) for c in self._choices(ctx, step, dialog)}
            items = value if isinstance(value, list) else [value]
            listed = ctx.t.join((labels.get(item) or escape(item) for item in items), style="series")
            return listed or ctx.t("flow.none")
        return escape(value)

    # ---- helpers ------------------------------------------------------------------------------

    def _choices(self, ctx: Context, step: Step, dialog: Dialog) -> tuple[Choice, ...]:
        return step.dynamic_choices(ctx, dialog.answers) if step.dynamic_choices else step.choices

    @staticmethod
    def _next_step(flow: Flow, dialog: Dialog, after: str | None) -> str | None:
        ids = [s.id for s in flow.steps]
        start = ids.index(after) + 1 if after is not None else 0
        return next((s.id for s in flow.steps[start:] if s.asked(dialog.answers)), None)

    @staticmethod
    def _first_unanswered(flow: Flow, dialog: Dialog) -> str | None:
        applicable = (s for s in flow.steps if s.asked(dialog.answers))
        return next((s.id for s in applicable if s.id not in dialog.history), None)

    def _expired(self, ctx: Context, dialog: Dialog | None) -> None:
        ctx.toast(ctx.t("flow.expired"), alert=True)
        if dialog is not None and dialog.flow in self.flows:
            ctx.reply(ctx.t("flow.where_you_were"))
            self._ask(ctx, self.flows[dialog.flow], dialog, new_message=True)

    def _saved_again(self, ctx: Context, token: str) -> bool:
        """A button of a card already saved shows what it saved; False if the card's form was not."""
        saved = self.saved.find(ctx.event.user.id, token)
        flow = self.flows.get(saved.flow) if saved is not None else None
        if saved is None or flow is None or flow.saved_again is None:
            return False
        flow.saved_again(ctx, saved.record)
        return True

    def _drop(self, ctx: Context, dialog: Dialog) -> None:
        self.dialogs.delete(dialog.user_id)
        ctx.show(ctx.t("flow.cancelled")) if ctx.event.is_callback else ctx.reply(ctx.t("flow.cancelled"))

    # ---- buttons ------------------------------------------------------------------------------

    def _on_choice(self, ctx: Context, flow: Flow, dialog: Dialog, arg: str) -> None:
        step = self._current(flow, dialog)
        if step is None:
            return self._expired(ctx, dialog)
        if step.kind is Kind.YES_NO:
            if arg not in ("0", "1"):
                return self._expired(ctx, dialog)
            return self._accept(ctx, flow, dialog, step, arg == "1", new_message=False)
        if step.kind is Kind.SEARCH:
            return self._on_found(ctx, flow, dialog, step, arg)
        if arg not in {c.id for c in self._choices(ctx, step, dialog)}:
            return self._expired(ctx, dialog)
        return self._accept(ctx, flow, dialog, step, arg, new_message=False)

    def _on_found(self, ctx: Context, flow: Flow, dialog: Dialog, step: Step, arg: str) -> None:
        """A search result pressed (its id), or "+": create a new one named as the query."""
        query = str(dialog.pending.get("query", ""))
        if arg == "+" and query:
            return self._accept(ctx, flow, dialog, step, {"new": query}, new_message=False)
        found = step.search(ctx, query) if step.search else ()
        if arg not in {c.id for c in found}:
            return self._expired(ctx, dialog)
        return self._accept(ctx, flow, dialog, step, arg, new_message=False)

    def _on_tick(self, ctx: Context, flow: Flow, dialog: Dialog, arg: str) -> None:
        step = self._current(flow, dialog)
        if step is None or step.kind is not Kind.MULTI:
            return self._expired(ctx, dialog)
        if arg not in {c.id for c in self._choices(ctx, step, dialog)}:
            return self._expired(ctx, dialog)
        ticked = self._ticked(step, dialog)
        ticked.remove(arg) if arg in ticked else ticked.append(arg)
        dialog.pending = {"ticked": ticked}
        return self._ask(ctx, flow, dialog, new_message=False)

    def _on_untype(self, ctx: Context, flow: Flow, dialog: Dialog, arg: str) -> None:
        """➖ under a typed item of a multi-choice step: takes it off the list (ticked, not yet Done)."""
        step = self._current(flow, dialog)
        if step is None or step.kind is not Kind.MULTI:
            return self._expired(ctx, dialog)
        ticked = self._ticked(step, dialog)
        index = read_number(arg, high=len(ticked) - 1)
        if index is None or ticked[index] in {c.id for c in self._choices(ctx, step, dialog)}:
            return self._expired(ctx, dialog)
        del ticked[index]
        dialog.pending = {"ticked": ticked}
        return self._ask(ctx, flow, dialog, new_message=False)

    def _on_multi_done(self, ctx: Context, flow: Flow, dialog: Dialog, _: str) -> None:
        step = self._current(flow, dialog)
        if step is None or step.kind is not Kind.MULTI:
            return self._expired(ctx, dialog)
        ticked = self._ticked(step, dialog)
        if not ticked and not step.optional:
            ctx.toast(ctx.t("flow.multi_pick_one"), alert=True)
            return None
        return self._accept(ctx, flow, dialog, step, ticked, new_message=False)

    def _on_quick_date(self, ctx: Context, flow: Flow, dialog: Dialog, arg: str) -> None:
        step, days_ahead = self._current(flow, dialog), read_number(arg, high=1)  # Today or Tomorrow
        if step is None or step.kind is not Kind.DATETIME or days_ahead is None:
            return self._expired(ctx, dialog)
        day = parse.quick_day(ctx, days_ahead)
        dialog.pending = {"date": day.isoformat()}
        self.dialogs.save(dialog)
        ctx.show(ctx.t("flow.date_need_time", date=ctx.format_date(day)))

    def _on_date_yes(self, ctx: Context, flow: Flow, dialog: Dialog, _: str) -> None:
        step = self._current(flow, dialog)
        reading = dialog.pending.get("reading")
        if step is None or reading is None:
            return self._expired(ctx, dialog)
        return self._accept(ctx, flow, dialog, step, reading, new_message=False)

    def _on_half(self, ctx: Context, flow: Flow, dialog: Dialog, arg: str) -> None:
        """上午 or 下午 pressed: the moment its button showed is the answer."""
        step, index, half = self._current(flow, dialog), read_number(arg, high=1), dialog.pending.get("half")
        if step is None or step.kind is not Kind.DATETIME or index is None or not half:
            return self._expired(ctx, dialog)
        return self._accept(ctx, flow, dialog, step, half[index], new_message=False)

    def _on_date_no(self, ctx: Context, flow: Flow, dialog: Dialog, _: str) -> None:
        dialog.pending = {}
        self._ask(ctx, flow, dialog, new_message=False)

    def _on_back(self, ctx: Context, flow: Flow, dialog: Dialog, _: str) -> None:
        dialog.pending, dialog.editing = {}, False
        if dialog.step is not None and dialog.step in dialog.history:
            dialog.history.remove(dialog.step)
        if dialog.history:
            dialog.step = dialog.history.pop()
        self._ask(ctx, flow, dialog, new_message=False)

    def _on_skip(self, ctx: Context, flow: Flow, dialog: Dialog, _: str) -> None:
        step = self._current(flow, dialog)
        if step is None or not step.optional:
            return self._expired(ctx, dialog)
        if step.kind is Kind.MULTI and self._ticked(step, dialog):
            # Skip pressed under ticked boxes means "no more", not "none": what is ticked is kept.
            return self._on_multi_done(ctx, flow, dialog, "")
        dialog.answers.pop(step.id, None)
        return self._advance(ctx, flow, dialog, step, new_message=False)

    def _on_undecided(self, ctx: Context, flow: Flow, dialog: Dialog, step: Step) -> None:
        """Says "待定" / TBD was noted and goes on, the step unanswered as Skip leaves it."""
        dialog.answers.pop(step.id, None)
        ctx.reply(ctx.t(step.undecided))
        self._advance(ctx, flow, dialog, step, new_message=True)

    def _on_edit(self, ctx: Context, flow: Flow, dialog: Dialog, arg: str) -> None:
        if dialog.step is not None or arg not in {s.id for s in flow.steps}:
            return self._expired(ctx, dialog)
        dialog.step, dialog.editing = arg, True
        return self._ask(ctx, flow, dialog, new_message=False)

    def _on_save(self, ctx: Context, flow: Flow, dialog: Dialog, _: str) -> None:
        if dialog.step is not None:
            return self._expired(ctx, dialog)
        self.dialogs.delete(dialog.user_id)
        record = flow.on_save(ctx, _applicable(flow, dialog.answers))
        if record is not None and flow.saved_again is not None:
            # In the same write as what was saved: a card that offers Save again finds it.
            self.saved.remember(dialog.user_id, SavedForm(dialog.token, flow.name, record))
        return None

    def _on_cancel(self, ctx: Context, flow: Flow, dialog: Dialog, _: str) -> None:
        self.cancel(ctx)

    def _on_cancel_yes(self, ctx: Context, flow: Flow, dialog: Dialog, _: str) -> None:
        self._drop(ctx, dialog)

    def _on_cancel_no(self, ctx: Context, flow: Flow, dialog: Dialog, _: str) -> None:
        dialog.confirming_cancel = False
        dialog.replacing = {}
        ctx.show(ctx.t("flow.continuing"))
        self._ask(ctx, flow, dialog, new_message=True)

    def _on_replace_yes(self, ctx: Context, flow: Flow, dialog: Dialog, _: str) -> None:
        wanted = dialog.replacing
        if not wanted:
            return self._expired(ctx, dialog)
        self._drop(ctx, dialog)
        self._open(ctx, wanted["flow"], wanted["answers"], at_review=wanted["at_review"],
                   edit=wanted.get("edit"))

    @staticmethod
    def _ticked(step: Step, dialog: Dialog) -> list[str]:
        """A multi-choice step's boxes as shown: ticked just now, else as answered before."""
        return list(dialog.pending.get("ticked", dialog.answers.get(step.id, [])))

    @staticmethod
    def _current(flow: Flow, dialog: Dialog) -> Step | None:
        return flow.step(dialog.step) if dialog.step is not None else None


_Handler = Callable[[FlowEngine, Context, Flow, Dialog, str], None]

_BUTTONS: dict[Op, _Handler] = {
    Op.CHOOSE: FlowEngine._on_choice, Op.TICK: FlowEngine._on_tick, Op.UNTICK: FlowEngine._on_untype,
    Op.TICKED: FlowEngine._on_multi_done,
    Op.QUICK_DATE: FlowEngine._on_quick_date, Op.DATE_YES: FlowEngine._on_date_yes,
    Op.DATE_NO: FlowEngine._on_date_no, Op.HALF: FlowEngine._on_half,
    Op.BACK: FlowEngine._on_back, Op.SKIP: FlowEngine._on_skip, Op.EDIT: FlowEngine._on_edit,
    Op.SAVE: FlowEngine._on_save, Op.CANCEL: FlowEngine._on_cancel, Op.CANCEL_YES: FlowEngine._on_cancel_yes,
    Op.CANCEL_NO: FlowEngine._on_cancel_no, Op.REPLACE_YES: FlowEngine._on_replace_yes,
    Op.REPLACE_NO: FlowEngine._on_cancel_no,
}


def _applicable(flow: Flow, answers: Answers) -> Answers:
    """The answers to keep: those of steps that apply, and context a flow was started with (ids)."""
    steps = {step.id: step for step in flow.steps}
    return {key: value for key, value in answers.items()
            if key not in steps or steps[key].applies(answers)}


def _half_label(ctx: Context, moment: datetime) -> str:
    """上午 before noon, 下午 until six, 晚上 after: 9:30 read in the afternoon is 21:30, an evening."""
    hour = moment.astimezone(ctx.services.settings.tz).hour
    return N_("flow.date_am") if hour < 12 else N_("flow.date_pm") if hour < 18 else N_("flow.date_evening")


def _button(label: str, token: str, op: Op, arg: str = "") -> Button:
    return Button(label, FlowButton(token, op, arg).pack())


def _label(ctx: Context, choice: Choice) -> str:
    return escape(choice.label) if choice.literal else ctx.t(choice.label)


def _in_rows(buttons: list[Button], per_row: int = 2) -> list[list[Button]]:
    return [buttons[i:i + per_row] for i in range(0, len(buttons), per_row)]
