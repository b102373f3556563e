"""Adding a contact to a client, and editing one, as two flows over the same steps.

Both are started from the client card with the client's id in the initial answers (``client_id``;
editing also ``contact_id`` and the stored values, opened at the review card). The engine shows only
steps on the card and hands every answer, ids included, to ``on_save``.

    name ─▶ title ─▶ [phone] ─▶ [email] ─▶ [birthday] ─▶ language ─▶ [dietary] ─▶ review ─▶ Save
                        └ bad number / address / day: a specific hint, the same question ┘
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.core.context import Context
from bot.domain.clients import Contact
from bot.domain.contact_fields import day_text, normal_phone, read_day
from bot.flows.client_fields import check_email, check_phone
from bot.flows.model import Answers, Choice, Flow, Kind, Step
from bot.i18n import N_
from bot.services.clients import DuplicateContact
from bot.views.clients import LANGUAGE_KEYS, show_card


def _distinct_name(ctx: Context, value: Any, answers: Answers) -> str | None:
    """Renaming someone to the name of another contact of the client would make two of one person."""
    if "contact_id" not in answers:
        return None  # adding a known name updates that person, which is what "same person" means
    other = ctx.services.clients.contact_named(int(answers["client_id"]), str(value))
    if other is not None and other.id != int(answers["contact_id"]):
        return ctx.t("contact.name_taken", name=other.name)
    return None


STEPS = (
    Step("name", Kind.TEXT, N_("contact.q.name"), N_("contact.l.name"), check=_distinct_name),
    Step("title", Kind.TEXT, N_("contact.q.title"), N_("contact.l.title")),
    Step("phone", Kind.TEXT, N_("contact.q.phone"), N_("contact.l.phone"), optional=True, check=check_phone),
    Step("email", Kind.TEXT, N_("contact.q.email"), N_("contact.l.email"), optional=True, check=check_email),
    Step("birthday", Kind.DATE, N_("contact.q.birthday"), N_("contact.l.birthday"), optional=True),
    Step("language", Kind.CHOICE, N_("contact.q.language"), N_("contact.l.language"),
         choices=tuple(Choice(locale, key) for locale, key in LANGUAGE_KEYS.items())),
    Step("dietary", Kind.TEXT, N_("contact.q.dietary"), N_("contact.l.dietary"), optional=True),
)


def _add(ctx: Context, answers: Answers) -> None:
    """Stores the new contact (or updates the same person) and shows the card again."""
    client_id = int(answers["client_id"])
    contact = ctx.services.clients.add_contact(
        client_id, answers["name"], title=answers.get("title", ""),
        phone=normal_phone(answers.get("phone", "")), email=answers.get("email", ""),
        birthday=read_day(answers.get("birthday", "")), language=answers["language"],
        dietary=answers.get("dietary", ""))
    show_card(ctx, client_id, ctx.t("contact.saved", name=contact.name))


def _edit(ctx: Context, answers: Answers) -> None:
    """Stores the changed contact and shows the card again."""
    client_id = int(answers["client_id"])
    contact = ctx.services.clients.contact(int(answers["contact_id"]))
    if contact is None:
        show_card(ctx, client_id)
        return
    changed = replace(
        contact, name=" ".join(answers["name"].split()), title=answers.get("title", "").strip(),
        phone=normal_phone(answers.get("phone", "")), email=answers.get("email", "").strip(),
        birthday=read_day(answers.get("birthday", "")), language=answers["language"],
        dietary=answers.get("dietary", "").strip())
    try:
        saved = ctx.services.clients.update_contact(changed)
    except DuplicateContact as taken:  # someone else added that name meanwhile
        show_card(ctx, client_id, ctx.t("contact.name_taken", name=taken.existing.name))
        return
    show_card(ctx, client_id, ctx.t("contact.saved", name=saved.name))


def answers_of(contact: Contact) -> Answers:
    """A stored contact as the edit flow's answers: unset details stay unanswered ("skipped")."""
    answers: Answers = {"client_id": contact.client_id, "contact_id": contact.id, "name": contact.name,
                        "title": contact.title, "language": contact.language}
    optional = {"phone": contact.phone, "email": contact.email, "dietary": contact.dietary,
                "birthday": day_text(contact.birthday) if contact.birthday else ""}
    answers.update({key: value for key, value in optional.items() if value})
    return answers


ADD_CONTACT = Flow("contact_add", N_("contact.add_title"), STEPS, on_save=_add)
EDIT_CONTACT = Flow("contact_edit", N_("contact.edit_title"), STEPS, on_save=_edit)
