"""Who attends on our side, as the visit's card and its documents name them: the executives who must
attend, and the colleagues named on the form who do not use the bot."""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.policy import Policy
from bot.domain.visits import Visit


def executive_names(t: Callable[..., str], policy: Policy, visit: Visit) -> list[str]:
    """Each executive who must attend: the role, with the person when named ("总经理 赵刚")."""
    named = {a.role: a.name for a in visit.attendees if a.role}
    executives = policy.executives
    return [" ".join(part for part in (t(executives[e].key), named.get(e, "")) if part)
            for e in visit.executives if e in executives]


def named_colleagues(visit: Visit) -> list[str]:
    """Colleagues named on the form who neither use the bot nor stand for an executive: "王芳 秘书"."""
    return [f"{a.name} {a.title}".strip() for a in visit.attendees if not a.role and a.user_id is None]
