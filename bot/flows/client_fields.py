"""The checks of the contact form's steps: a specific hint in the person's language, or None. What
counts as a phone or an email is ``bot.domain.contact_fields``; a day is a ``DATE`` step's own."""

from __future__ import annotations

from typing import Any

from bot.core.context import Context
from bot.domain.contact_fields import is_email, is_phone
from bot.flows.model import Answers


def check_phone(ctx: Context, value: Any, answers: Answers) -> str | None:
    return None if is_phone(str(value)) else ctx.t("contact.bad_phone")


def check_email(ctx: Context, value: Any, answers: Answers) -> str | None:
    return None if is_email(str(value)) else ctx.t("contact.bad_email")
