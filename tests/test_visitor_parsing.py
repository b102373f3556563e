"""Visitors typed in one line: "name, title" is one person, a list of people stays a list."""

from __future__ import annotations

import pytest

from bot.flows.visit_options import split_visitor, split_visitors


@pytest.mark.parametrize(("typed", "people"), [
    ("Anna Schmidt, CTO", [("Anna Schmidt", "CTO")]),
    ("Anna Schmidt, CTO, Tom Berg, Head of Sales", [("Anna Schmidt", "CTO"), ("Tom Berg", "Head of Sales")]),
    ("张伟，总经理、李娜，采购经理", [("张伟", "总经理"), ("李娜", "采购经理")]),
    ("张伟 总经理, 李娜 采购经理", [("张伟", "总经理"), ("李娜", "采购经理")]),
    ("David Lee / Purchasing Director\nAnna Schmidt",
     [("David Lee", "Purchasing Director"), ("Anna Schmidt", "")]),
    ("Anna Schmidt, Tom Berg", [("Anna Schmidt", ""), ("Tom Berg", "")]),
    ("陳志明，總經理", [("陳志明", "總經理")]),
    ("David Lee (CTO), VP Engineering", [("David Lee", "CTO"), ("VP Engineering", "")]),
])
def test_titles_join_the_name_before_them(typed: str, people: list[tuple[str, str]]) -> None:
    assert [split_visitor(item) for item in split_visitors(typed)] == people
