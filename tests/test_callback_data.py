"""Button data: each family of buttons is one definition that writes what its handler reads, the
same bytes as before, never over Telegram's 64; anything no button of ours carries is refused."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

import pytest

from bot.core.callbacks import CallbackData, CallbackTooLong, Malformed, Range, unpack_any
from bot.documents.buttons import DocumentButton
from bot.domain.relationship import Channel
from bot.domain.staff import Duty, Role
from bot.flows.engine import FlowButton, Op
from bot.handlers.access import ApproveButton, DenyButton
from bot.handlers.digest import TasksPageButton
from bot.handlers.importing import ImportButton
from bot.handlers.invite import InviteButton, RevokeButton
from bot.handlers.language import LanguageButton
from bot.handlers.lookups import DaysButton, FindButton, NewVisitButton, PeriodButton, SubjectButton
from bot.handlers.review import QuarterButton
from bot.handlers.staff import DutyButton, ListButton, ManagerButton, PersonButton, RoleButton
from bot.services.relationship import (
    LOG_BUTTONS,
    ChannelButton,
    ClientPickedButton,
    LoggedButton,
    SnoozeButton,
)
from bot.views.approval import SEND_BACK, ApprovalButton
from bot.views.clients import ClientButton
from bot.views.nudges import DONE, SNOOZE_HOUR, NudgeButton, OldNudgeButton, done_nudge, read_button
from bot.views.visit_buttons import ChecklistButton, DebriefButton, VisitButton


@dataclass(frozen=True)
class Report(CallbackData, prefix="rep"):
    """A family with every kind of field, as a handler would define it."""

    kind: Literal["day", "week"]
    page: Annotated[int, Range(low=1, high=99)]
    start: date
    query: str = ""


SENT = {  # what buttons already sent carry, and what they read as
    "vis:show:12": VisitButton("show", 12),
    "vis:fix:7:driver": VisitButton("fix", 7, "driver"),
    "nud:D:3:1764000000:banner": NudgeButton(DONE, 3, 1764000000, "banner"),
    "nud:H:3:1764000000": NudgeButton(SNOOZE_HOUR, 3, 1764000000),
    "nud:d:visit:3:banner": OldNudgeButton("d", "visit", 3, "banner"),
    "f:a1b2c3:c:1": FlowButton("a1b2c3", Op.CHOOSE, "1"),
    "f:a1b2c3:md": FlowButton("a1b2c3", Op.TICKED),
    "f:a1b2c3:c:client:12": FlowButton("a1b2c3", Op.CHOOSE, "client:12"),
    "chk:5": ChecklistButton(5),
    "chk:5:banner": ChecklistButton(5, "banner"),
    "dbf:6": DebriefButton(6),
    "doc:itin:4": DocumentButton("itin", 4),
    "apv:back:3:manager": ApprovalButton(SEND_BACK, 3, "manager"),
    "cl:ek:8": ClientButton("ek", 8),
    "log:n:9": LoggedButton(9),
    "log:z:9:contact:2026-08-01": SnoozeButton("9:contact:2026-08-01"),  # the reminder's id
    "log:c:10:9": ClientPickedButton(10, 9),
    "log:h:10:call": ChannelButton(10, Channel.CALL),
    "acc:ok:4503599627370497:manager": ApproveButton(2**52 + 1, Role.MANAGER),  # a Feishu person
    "acc:no:5": DenyButton(5),
    "stf:page:2": ListButton("page", 2),
    "stf:open:5:2": PersonButton("open", 5, 2),
    "stf:duty:5:office:2": DutyButton(5, Duty.OFFICE, 2),
    "stf:role:5:admin:0": RoleButton(5, Role.ADMIN, 0),
    "stf:setm:5:0:1": ManagerButton(5, 0, 1),
    "inv:manager": InviteButton(Role.MANAGER),
    "inv:rev:Ab3_-x9QkLm2Zz0P": RevokeButton("Ab3_-x9QkLm2Zz0P"),
    "rev:2026:4": QuarterButton(2026, 4),
    "lang:zh_Hant": LanguageButton("zh_Hant"),
    "tsk:3": TasksPageButton(3),
    "imp:go:12": ImportButton("go", 12),
    "lk:r:week": PeriodButton("week"),
    "lk:d:20261123:20261129:1": DaysButton(date(2026, 11, 23), date(2026, 11, 29), 1),
    "lk:p:3:l:0": SubjectButton("p", 3, "l", 0),
    "lk:f:2:10:30 华为": FindButton(2, "10:30 华为"),  # a query may hold the separator
    "lk:new": NewVisitButton(),
    "rep:week:2:20261123:华为:北京": Report("week", 2, date(2026, 11, 23), "华为:北京"),
}


@pytest.mark.parametrize("data", SENT)
def test_buttons_read_back_what_they_wrote_in_the_same_bytes_as_before(data: str) -> None:
    button = SENT[data]
    assert button.pack() == data
    assert read(data) == button


def test_a_done_button_of_either_form_names_its_nudge() -> None:
    assert done_nudge("nud:D:3:1764000000:banner") == "visit:3:banner"
    assert done_nudge("nud:d:visit:3:banner") == "visit:3:banner"
    assert done_nudge("nud:H:3:1764000000") is None
    assert done_nudge("vis:show:3") is None


def test_data_over_64_bytes_is_refused_when_the_button_is_made() -> None:
    FlowButton("a1b2c3", Op.CHOOSE, "x" * 53).pack()  # 64 bytes: the most Telegram takes
    with pytest.raises(CallbackTooLong):
        FlowButton("a1b2c3", Op.CHOOSE, "x" * 54).pack()
    with pytest.raises(CallbackTooLong):
        Report("day", 1, date(2026, 11, 23), "华为" * 10).pack()  # bytes count, not characters


@pytest.mark.parametrize("make", [
    lambda: VisitButton("show", -1),
    lambda: VisitButton("fix", 1),  # a clash button names what clashes
    lambda: VisitButton("show", 1, "room"),
    lambda: NudgeButton(DONE, 1, 2),  # Done names its item
    lambda: NudgeButton(SNOOZE_HOUR, 1, 2**41),
    lambda: FlowButton("a1:b2", Op.BACK),  # the separator only in the last field
    lambda: FlowButton("", Op.BACK),
    lambda: Report("day", 0, date(2026, 11, 23)),
    lambda: Report("day", 1, date(1999, 12, 31)),
])
def test_a_button_no_handler_would_take_cannot_be_made(make: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        make()


# Every family but the nudges' (read with its older form by ``read_button``), read by its prefix.
FAMILIES = (
    VisitButton, ChecklistButton, DebriefButton, DocumentButton, ApprovalButton, FlowButton, ClientButton,
    *LOG_BUTTONS, ApproveButton, DenyButton, ListButton, PersonButton, DutyButton, RoleButton, ManagerButton,
    InviteButton, RevokeButton, QuarterButton, LanguageButton, TasksPageButton, ImportButton,
    PeriodButton, DaysButton, SubjectButton, FindButton, NewVisitButton, Report)


def read(data: str) -> object:
    return read_button(data) if data.startswith("nud:") else unpack_any(data, *FAMILIES)


@pytest.mark.parametrize("data", [
    "vis", "vis:", "vis:show", "vis:show:²", "vis:show:1:room", "vis:fix:1", "vis:fix:1:sofa", "vis:open:1",
    "visit:show:1", "vis:show:1:2",
    "nud:D:1:2", "nud:H:1:2:banner", "nud:X:1:2", "nud:D:1:99999999999999:banner", "nud:d:client:1:x",
    "nud:d:visit:1", "nud:h:visit:²:banner",
    "f", "f:a1b2c3", "f:a1b2c3:zz", "f:a1b2c3:c:", "f::b",
    "cl:x:1", "cl:s", "log", "log:n", "log:n:1:2", "log:z", "log:c:1", "log:h:1:pigeon", "log:q:1",
    "acc:ok:5:king", "acc:ok:99999999999999999999:staff", "acc:no", "acc:maybe:5",
    "stf", "stf:page", "stf:open:5", "stf:duty:5:nonsense:0", "stf:setm:5:²:0", "stf:fire:5:0",
    "inv", "inv:king", "inv:rev", "inv:rev:short", "rev:1999:1", "rev:2026:5", "rev:2026", "lang",
    "lang:fr", "tsk", "tsk:-1", "imp:go", "imp:maybe:1",
    "lk", "lk:r:month", "lk:d:20261129:20261123:0", "lk:c:1:x:0", "lk:f:1", "lk:f:x:华为", "lk:new:1",
    "chk", "chk:5:", "dbf:6:7", "doc:pdf:4", "doc:itin", "apv:ok:3:ceo", "apv:yes:3:manager", "apv:ok:3",
    "rep:day:0:20261123", "rep:day:1:20261301", "rep:month:1:20261123", "rep:day:1",
])
def test_data_no_button_carries_is_malformed(data: str) -> None:
    with pytest.raises(Malformed):
        read(data)
