"""Inline mode through each real framework: ``@bot 今天`` from staff gets today's arrivals to share,
from a stranger nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.conftest import ADMIN_ID, BotProcess
from tests.fakeapi import FakeBotApi, FakeUser
from tests.fakeapi.models import user_dict

pytestmark = pytest.mark.e2e

ADMIN = FakeUser(ADMIN_ID, "Alice", language_code="en")


def inline_query(api: FakeBotApi, user: FakeUser, query: str, query_id: str) -> None:
    api.push_update({"inline_query": {"id": query_id, "from": user_dict(user), "query": query, "offset": ""}})


async def answered(api: FakeBotApi, query_id: str) -> list[dict[str, Any]]:
    call = await api.wait_for_call("answerInlineQuery",
                                   lambda c: str(c.params.get("inline_query_id")) == query_id)
    assert call.params.get("is_personal") in (True, "true", "True")
    results = call.params["results"]
    return list(json.loads(results) if isinstance(results, str) else results)


async def test_inline_today_for_staff_and_nothing_for_strangers(api: FakeBotApi, bot: BotProcess) -> None:
    async def accept(call: object) -> bool:
        return True

    api.register_method("answerInlineQuery", accept)
    api.user_sends(ADMIN, "/start")
    await api.wait_for_message(ADMIN_ID, contains="Welcome, Alice!")

    inline_query(api, ADMIN, "today", "q-staff")
    results = await answered(api, "q-staff")
    titles = [r["title"] for r in results]
    assert len(titles) == 2 and titles[0].startswith("📅 Today") and titles[1].startswith("📅 Tomorrow")
    assert "No visitors today" in results[0]["input_message_content"]["message_text"]

    inline_query(api, FakeUser(4004, "Eve", language_code="en"), "今天", "q-stranger")
    assert await answered(api, "q-stranger") == []
