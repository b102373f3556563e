"""/debrief <n>: the debrief after departure, as a flow; on Save, tasks for the open items and the
meeting memo (会谈备忘录) in the client's language, ready for the host to forward.

    outcome ─▶ needs ─▶ [objections] ─▶ [open items] ─▶ next contact ─▶ [actual spend] ─▶ rating
      ─▶ [comments] ─▶ review card (spend against the visit's estimate) ─▶ Save

Open items are ``item; owner; due`` lines. The check reads them all and names every line it could
not read and why, so the person fixes just those lines; the engine keeps the rest of the dialog.
Dates are read again at Save (where a due that has since passed is kept as said).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from bot.core.context import Context, keyboard
from bot.documents.buttons import document_button
from bot.documents.form import MEAL_KEYS
from bot.domain.budget import BudgetLine, budget_lines
from bot.domain.dates import read_datetime
from bot.domain.debriefs import TOTAL, Debrief, Outcome
from bot.domain.memo import MemoFacts, MemoItem, render_memo
from bot.domain.tasks import LineProblem, OpenItem, Task, read_open_items
from bot.domain.visits import Visit
from bot.flows.model import Answers, Choice, Flow, Kind, Step
from bot.i18n import N_, Translator

OUTCOMES = (
    Choice(Outcome.SIGNED, N_("debrief.outcome.signed")),
    Choice(Outcome.PROGRESSING, N_("debrief.outcome.progressing")),
    Choice(Outcome.FOLLOW_UP, N_("debrief.outcome.follow_up")),
    Choice(Outcome.NO_DEAL, N_("debrief.outcome.no_deal")),
)
RATINGS = tuple(Choice(str(stars), "★" * stars, literal=True) for stars in range(5, 0, -1))
_HINTS = {
    "shape": N_("debrief.item.shape"),
    "owner_unknown": N_("debrief.item.owner_unknown"),
    "owner_ambiguous": N_("debrief.item.owner_ambiguous"),
    "due_unreadable": N_("debrief.item.due_unreadable"),
    "due_past": N_("debrief.item.due_past"),
}


def read_items(ctx: Context, text: str, *,
               allow_past: bool = False) -> tuple[list[OpenItem], list[LineProblem]]:
    """The open items typed, against today's active staff and the company clock."""
    return read_open_items(text, ctx.services.access.everyone(), now=ctx.now,
                           tz=ctx.services.settings.tz, allow_past=allow_past)


def item_hints(ctx: Context, problems: list[LineProblem]) -> str:
    """One specific hint per bad line, naming the line."""
    return "\n".join(ctx.t(_HINTS[p.reason], number=p.number, line=p.line, part=p.part) for p in problems)


def check_items(ctx: Context, value: Any, answers: Answers) -> str | None:
    _, problems = read_items(ctx, str(value))
    return item_hints(ctx, problems) if problems else None


def read_next_contact(ctx: Context, text: str) -> date | None:
    reading = read_datetime(text, now=ctx.now, tz=ctx.services.settings.tz)
    return reading.value.date() if reading.value is not None else None


def check_next_contact(ctx: Context, value: Any, answers: Answers) -> str | None:
    reading = read_datetime(str(value), now=ctx.now, tz=ctx.services.settings.tz)
    if reading.value is None:
        return ctx.t("flow.date_unreadable")
    return ctx.t("flow.date_past") if reading.is_past else None


def describe(ctx: Context, step: Step, value: Any, answers: Answers) -> str:
    """Open items as read (owner, due), the next contact as a date, spend against the estimate."""
    if step.id == "items":
        items, _ = read_items(ctx, str(value), allow_past=True)
        return "".join("\n• " + ctx.t("debrief.item_line", text=item.text, owner=_name(ctx, item.owner),
                                      due=ctx.format_time(item.due)) for item in items)
    if step.id == "next_contact":
        day = read_next_contact(ctx, str(value))
        return ctx.format_date(_noon(ctx, day)) if day else ""
    if step.id == "spend":
        return _spend(ctx, float(value), answers)
    return ""


def _spend(ctx: Context, spent: float, answers: Answers) -> str:
    """The spend (a total) against the budget's total, with the sum that makes it: 90 per person × 3."""
    visit = ctx.services.visits.get(int(answers["visit_id"]))
    lines = budget_lines(visit) if visit else ()
    if not lines:
        return ctx.t("debrief.spend_total", spent=amount(spent))
    expected = sum(line.total for line in lines)
    sums = " + ".join(_budget_line(ctx, line) for line in lines)
    key = N_("debrief.spend_over") if spent > expected else N_("debrief.spend_under")
    return ctx.t(key, spent=amount(spent), estimate=amount(expected), lines=sums,
                 difference=amount(abs(spent - expected)))


def _budget_line(ctx: Context, line: BudgetLine) -> str:
    """"Meals 90 per person × 3 people"; a meal listed on its own by its kind and day, a stay by
    room-nights."""
    item = ctx.t(line.key)
    if line.lodging is not None:
        return ctx.t.plural("budget.room_line", line.persons, item=item, amount=amount(line.per_person))
    if line.meal is not None:
        item = f"{ctx.t(MEAL_KEYS[line.meal.kind])} {ctx.format_date(_noon(ctx, line.meal.day))}"
    return ctx.t.plural("budget.line", line.persons, item=item, amount=amount(line.per_person))


def save(ctx: Context, answers: Answers) -> None:
    """Stores the debrief and its tasks, tells each new owner, and hands the host the memo."""
    assert ctx.staff is not None
    visit = ctx.services.visits.get(int(answers["visit_id"]))
    if visit is None:
        ctx.show(ctx.t("visit.not_found", number=answers["visit_id"]))
        return
    items, problems = read_items(ctx, answers.get("items", ""), allow_past=True)
    if problems:  # an owner left between the answer and Save: fix the items from the card
        ctx.show(item_hints(ctx, problems))
        ctx.services.flows.start(ctx, "debrief", answers, at_review=True)
        return
    next_contact = read_next_contact(ctx, answers["next_contact"])
    assert next_contact is not None, "the step's check read it"
    memo_t = _memo_translator(ctx, visit)
    spend = ((TOTAL, float(answers["spend"])),) if "spend" in answers else ()
    debrief = Debrief(
        visit.id, Outcome(answers["outcome"]), answers["needs"], next_contact, int(answers["rating"]),
        ctx.staff.user_id, ctx.now, objections=answers.get("objections", ""), actual_spend=spend,
        comments=answers.get("comments", ""), memo_locale=memo_t.locale,
        memo=_memo(ctx, memo_t, visit, needs=answers["needs"], items=items, next_contact=next_contact))
    recorded = ctx.services.debriefs.record(debrief, visit, items)
    ticked = ctx.services.nudges.close_by_debrief(visit.id, ctx.staff.user_id, ctx.now)
    saved = ctx.t.plural("debrief.saved", len(recorded.tasks), number=visit.id,
                         language=ctx.t(f"lang.name.{memo_t.locale}"))
    if ticked:
        saved += "\n" + ctx.t("debrief.ticked", items=ctx.t.join(ctx.t(nudge.key) for nudge in ticked))
    # The minutes (filed in the company) and the client's feedback form come from what was just saved.
    documents = [document_button(ctx.t("doc.button.minutes"), "min", visit.id),
                 document_button(ctx.t("doc.button.feedback"), "fb", visit.id)]
    ctx.show(saved, keyboard(documents))
    ctx.reply(debrief.memo)
    _tell_host(ctx, visit, debrief)
    _tell_owners(ctx, visit, recorded.assigned)


def _memo_translator(ctx: Context, visit: Visit) -> Translator:
    """The client's language if known, else the host's (who forwards it)."""
    locale = ctx.services.debriefs.memo_locale(visit)
    if locale is not None:
        return ctx.services.i18n.get(locale)
    if visit.host == ctx.event.user.id:
        return ctx.t
    return ctx.translator_for(ctx.services.access.person(visit.host))


def _memo(ctx: Context, t: Translator, visit: Visit, *, needs: str, items: list[OpenItem],
          next_contact: date) -> str:
    return render_memo(t, MemoFacts(
        client=visit.client_name, day=ctx.format_date(visit.arrival, t),
        attendees=[*(_name(ctx, user_id) for user_id in visit.people), *visit.named_attendees], needs=needs,
        items=[MemoItem(i.text, _name(ctx, i.owner), ctx.format_date(i.due, t)) for i in items],
        next_contact=ctx.format_date(_noon(ctx, next_contact), t), company=ctx.services.company.name()))


def _tell_host(ctx: Context, visit: Visit, debrief: Debrief) -> None:
    """The memo goes to the host to forward, also when a teammate wrote the debrief."""
    host = ctx.services.access.person(visit.host)
    if host is None or not host.active or host.user_id == ctx.event.user.id:
        return
    t = ctx.translator_for(host)
    author = ctx.staff.name if ctx.staff else ""
    ctx.push(host.user_id, t("debrief.memo_for_host", author=author, number=visit.id))
    ctx.push(host.user_id, debrief.memo)


def _tell_owners(ctx: Context, visit: Visit, tasks: list[Task]) -> None:
    """Each owner of a new or changed task hears of it in their language (not the writer: they know)."""
    author = ctx.staff.name if ctx.staff else ""
    for task in tasks:
        owner = ctx.services.access.person(task.owner)
        if owner is None or not owner.active or owner.user_id == ctx.event.user.id:
            continue
        t = ctx.translator_for(owner)
        ctx.push(owner.user_id, t("debrief.task_assigned", author=author, client=visit.client_name,
                                  number=visit.id, text=task.text, due=ctx.format_time(task.due, t)))


def answers_of(ctx: Context, debrief: Debrief, tasks: list[Task]) -> Answers:
    """A saved debrief as answers, to open its review card and change it."""
    tz = ctx.services.settings.tz
    answers: Answers = {"visit_id": debrief.visit_id, "outcome": debrief.outcome.value,
                        "needs": debrief.needs, "next_contact": debrief.next_contact.isoformat(),
                        "rating": str(debrief.rating)}
    if debrief.objections:
        answers["objections"] = debrief.objections
    if tasks:
        answers["items"] = "\n".join(
            f"{task.text}; {_handle(ctx, task.owner)}; {task.due.astimezone(tz):%Y-%m-%d %H:%M}"
            for task in tasks)
    if debrief.spent is not None:
        answers["spend"] = int(debrief.spent) if debrief.spent.is_integer() else debrief.spent
    if debrief.comments:
        answers["comments"] = debrief.comments
    return answers


def amount(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _name(ctx: Context, user_id: int) -> str:
    staff = ctx.services.access.person(user_id)
    return staff.name if staff else str(user_id)


def _handle(ctx: Context, user_id: int) -> str:
    """How an owner is typed back: @username (unique) if they have one, else their name."""
    staff = ctx.services.access.person(user_id)
    if staff is None:
        return str(user_id)
    return f"@{staff.username}" if staff.username else staff.name


def _noon(ctx: Context, day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=ctx.services.settings.tz)


STEPS = (
    Step("outcome", Kind.CHOICE, N_("debrief.q.outcome"), N_("debrief.l.outcome"), choices=OUTCOMES),
    Step("needs", Kind.TEXT, N_("debrief.q.needs"), N_("debrief.l.needs")),
    Step("objections", Kind.TEXT, N_("debrief.q.objections"), N_("debrief.l.objections"), optional=True),
    Step("items", Kind.TEXT, N_("debrief.q.items"), N_("debrief.l.items"), optional=True, check=check_items),
    Step("next_contact", Kind.TEXT, N_("debrief.q.next_contact"), N_("debrief.l.next_contact"),
         check=check_next_contact),
    Step("spend", Kind.NUMBER, N_("debrief.q.spend"), N_("debrief.l.spend"), optional=True,
         minimum=0, maximum=100_000_000),
    Step("rating", Kind.CHOICE, N_("debrief.q.rating"), N_("debrief.l.rating"), choices=RATINGS),
    Step("comments", Kind.TEXT, N_("debrief.q.comments"), N_("debrief.l.comments"), optional=True),
)

DEBRIEF = Flow("debrief", N_("debrief.title"), STEPS, on_save=save, describe=describe)
