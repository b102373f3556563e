"""The requests a Save sends to the approvers: each approver gets one in their own language, and a
company with dozens of managers costs a Save no more than one with a manager per language (the
words and buttons of a language are made once, not once per approver)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.domain.staff import Role, Staff
from bot.i18n import Translator
from tests.support.chat import Person, World
from tests.visit_chat import HOST, company, new_visit

MORE_MANAGERS = 10


def dates_made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The moments formatted from now on, by locale (every date a message shows is made here)."""
    made: list[str] = []
    real = Translator.format_moment

    def counted(self: Translator, *args: object, **kwargs: object) -> str:
        made.append(self.locale)
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Translator, "format_moment", counted)
    return made


def test_every_manager_is_asked_in_their_language_and_a_language_costs_once(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    people = company(world)
    host, maria = people["林晓"], people["Maria Chen"]
    services = world.dispatcher.services
    made = dates_made(monkeypatch)
    new_visit(host, save=False)
    made.clear()
    host.press("保存")  # asks Maria Chen, 林晓's department head
    alone = len(made)
    assert "asks you to approve the arrangement of visit #1" in maria.last.text

    # 林晓 has no department head set now: every manager is asked, in English and in Chinese.
    services.access.staff.save(replace(services.access.staff.get(HOST), manager_id=None))  # type: ignore[type-var]
    managers: list[Person] = [maria]
    for k in range(MORE_MANAGERS):
        language = "en" if k % 2 else "zh-hans"
        user_id = 100 + k
        services.access.staff.save(Staff(user_id, f"经理{k}", Role.MANAGER, world.clock.now(),
                                         language_code=language))
        managers.append(world.person(user_id, f"经理{k}", language_code=language))
    new_visit(host, room="302", save=False)
    made.clear()
    host.press("保存")

    requests = {manager.last.text for manager in managers}
    assert len(requests) == 2  # one wording per language, each manager's in theirs
    assert all("#2" in text for text in requests)
    assert "asks you to approve the arrangement of visit #2" in maria.last.text
    assert "提交了来访 #2 的接待安排" in managers[1].last.text  # 经理0 reads Simplified Chinese
    assert len(made) <= alone + 1  # one more language than before, not one more date per manager
