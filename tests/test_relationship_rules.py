"""The relationship rules as plain functions: how a note says we were in touch, when a client is
overdue, who hears about it, and the yearly days (29 February, unknown years)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain.clients import NO_YEAR, Client, Contact, ImportantDate
from bot.domain.relationship import (
    Channel,
    OccasionKind,
    cadence_recipients,
    channel_in,
    greeting_recipients,
    occasions,
    overdue_days,
    yearly,
    years_since,
)

NOW = datetime(2026, 9, 22, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(("note", "channel"), [
    ("打了电话，聊了三季度订单", Channel.CALL),
    ("上午拜访了张总", Channel.VISIT),
    ("领导拜访，谈了明年的框架协议", Channel.LEADER),
    ("發了郵件", Channel.EMAIL),
    ("微信聊了几句", Channel.MESSAGE),
    ("called about the Q3 order", Channel.CALL),
    ("Met David at the fair", Channel.VISIT),
    ("e-mail with the quote", Channel.EMAIL),
    ("metal prices", None),
    ("", None),
])
def test_a_note_says_how_we_were_in_touch(note: str, channel: Channel | None) -> None:
    assert channel_in(note) is channel


def test_overdue_only_after_the_cadence_and_never_without_one() -> None:
    last = date(2026, 11, 23)
    assert overdue_days(last, date(2026, 12, 23), 30) is None
    assert overdue_days(last, date(2026, 12, 27), 30) == 34
    assert overdue_days(last, date(2027, 12, 27), 0) is None


def _client(manager: int | None = None) -> Client:
    return Client(1, "华为", NOW, 1, account_manager=manager)


def test_the_account_manager_then_the_latest_host_then_the_admins_hear_of_a_client() -> None:
    everyone = lambda user_id: user_id != 4  # noqa: E731 - user 4 left the company
    assert cadence_recipients(_client(3), 5, [1], everyone) == (3,)
    assert cadence_recipients(_client(4), 5, [1], everyone) == (5,)
    assert cadence_recipients(_client(None), None, [1, 2], everyone) == (1, 2)
    assert greeting_recipients(_client(3), [5, 3, 6], 6, [1], everyone) == (3, 5, 6)
    assert greeting_recipients(_client(None), [], 7, [1], everyone) == (7,)


def test_yearly_days_and_years() -> None:
    assert yearly(date(NO_YEAR, 2, 29), 2027) == date(2027, 2, 28)
    assert yearly(date(NO_YEAR, 2, 29), 2028) == date(2028, 2, 29)
    assert years_since(date(2006, 9, 23), date(2026, 9, 23)) == 20
    assert years_since(date(NO_YEAR, 9, 23), date(2026, 9, 23)) is None
    assert years_since(date(2026, 9, 23), date(2026, 9, 23)) is None


def test_occasions_in_a_window_by_day_festivals_first() -> None:
    client = Client(1, "华为", NOW, 1, dates=(ImportantDate("成立", date(2006, 9, 25), "founding"),))
    zhang = Contact(1, 1, "张伟", "总经理", birthday=date(NO_YEAR, 9, 25))
    found = occasions(client, [zhang], date(2026, 9, 22), date(2026, 9, 25))
    assert [(o.kind, o.day) for o in found] == [(OccasionKind.FESTIVAL, date(2026, 9, 25)),
                                                (OccasionKind.BIRTHDAY, date(2026, 9, 25)),
                                                (OccasionKind.COMPANY_DATE, date(2026, 9, 25))]
    assert found[2].years == 20
    assert len({o.key for o in found}) == 3
