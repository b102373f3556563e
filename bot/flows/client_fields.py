"""The checks of the contact forms' steps: a specific hint in the person's language, or None. What
counts as a phone, an email or a day is ``bot.domain.contact_fields``."""

from __future__ import annotations

from typing import Any

from bot.core.context import Context
from bot.domain.contact_fields import is_email, is_phone, read_day
from bot.flows.model import Answers


def check_phone(ctx: Context, value: Any, answers: Answers) -> str | None:
    return None if is_phone(str(value)) else ctx.t("contact.bad_phone")


def check_email(ctx: Context, value: Any, answers: Answers) -> str | None:
    return None if is_email(str(value)) else ctx.t("contact.bad_email")


def check_day(ctx: Context, value: Any, answers: Answers) -> str | None:
    return None if read_day(str(value)) is not None else ctx.t("contact.bad_day")
