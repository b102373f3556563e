"""The visitors' phones, nationalities and dietary needs: one step each, typed for everyone at once.

Each is kept on the person's contact (company data: the next visit knows it), read by the printed
form's visitor table. "张伟 13800138000，David Lee +65 9123 4567": each visitor's part follows their
name (``bot.domain.per_person``); with one visitor no name is needed. For dietary needs, what is said
before any name is a note for the whole table ("都不喝酒"), kept with the meals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from bot.core.context import Context
from bot.domain.clients import Contact
from bot.domain.per_person import by_person, named, per_person_parts, phone_in
from bot.domain.visits import Visit, Visitor
from bot.flows import visit_options as opt
from bot.flows.model import Answers
from bot.i18n import Translator, escape

# Step id: the contact field it fills.
FIELDS = {"phones": "phone", "nationality": "nationality", "dietary": "dietary"}
_SET: dict[str, Callable[[Contact, str], Contact]] = {
    "phones": lambda contact, value: replace(contact, phone=value),
    "nationality": lambda contact, value: replace(contact, nationality=value),
    "dietary": lambda contact, value: replace(contact, dietary=value),
}


def plain_names(ctx: Context, answers: Answers) -> list[str]:
    """The visitors' names without their titles, in the order given."""
    known = {f"c{c.id}": c.name for c in ctx.services.clients.contacts(opt.client_id(answers) or 0)}
    return [known.get(item) or opt.split_visitor(item)[0] for item in answers.get("visitors", [])]


def check_phones(ctx: Context, value: Any, answers: Answers) -> str | None:
    """Every visitor named has a number after the name (one visitor needs no name, but a number);
    numbers for several need their names."""
    names = plain_names(ctx, answers)
    parts, group = by_person(str(value), names)
    said = sorted({*named(str(value), names), *parts})
    missing = [names[index] for index in said if not phone_in(parts.get(index, ""))]
    if missing and len(names) == 1:
        return ctx.t("visit.phone_missing_one", name=names[0])
    if missing:
        return ctx.t("visit.phones_missing", names=ctx.t.join(missing))
    if not parts or phone_in(group):
        return ctx.t("visit.phones_hint")
    return None


def describe(ctx: Context, step_id: str, value: Any, answers: Answers) -> str:
    """Each visitor's part on its own line under the label: "张伟：138 0013 8000"."""
    names = plain_names(ctx, answers)
    parts, group = by_person(str(value), names)
    if step_id == "phones":
        parts = {index: phone_in(part) for index, part in parts.items()}
    lines = [ctx.t("visit.of_everyone", text=group)] if group else []
    lines += [ctx.t("visit.of_person", name=names[index], text=part)
              for index, part in sorted(parts.items())]
    return "\n" + "\n".join(lines) if lines else escape(value)


def apply(ctx: Context, answers: Answers, visitors: Sequence[Visitor]) -> str:
    """Stores what each answered step says of each visitor on their contact; returns the dietary
    note for the whole group. A person not named keeps what their contact said."""
    names = [v.name for v in visitors]
    contacts = {c.id: c for v in visitors if (c := ctx.services.clients.contact(v.contact_id)) is not None}
    before = dict(contacts)
    group_diet = ""
    for step_id in FIELDS:
        if step_id not in answers:
            continue
        parts, group = by_person(str(answers[step_id]), names)
        if step_id == "dietary":
            group_diet = group
        elif step_id == "nationality" and group:  # "新加坡": everyone's
            parts = {index: parts.get(index, group) for index in range(len(visitors))}
        for index, part in parts.items():
            contact = contacts.get(visitors[index].contact_id)
            value = phone_in(part) if step_id == "phones" else part
            if contact is not None and value:
                contacts[contact.id] = _SET[step_id](contact, value)
    for contact in contacts.values():
        if contact != before[contact.id]:
            ctx.services.clients.update_contact(contact)
    return group_diet


def answers_of(visit: Visit, contacts: Mapping[int, Contact], t: Translator) -> Answers:
    """The steps as they would be typed again (in ``t``'s language), from the visitors' contacts (and
    the meals' note)."""
    answers: Answers = {}
    group = {"dietary": visit.meals.dietary if visit.meals else ""}
    for step_id, attribute in FIELDS.items():
        values = [(v.name, str(getattr(contacts[v.contact_id], attribute)))
                  for v in visit.visitors if v.contact_id in contacts]
        typed = t.join(per_person_parts(values, group.get(step_id, "")), style="notes")
        if typed:
            answers[step_id] = typed
    return answers
