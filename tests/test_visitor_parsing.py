"""Visitors typed in one line: "name, title" is one person, a list of people stays a list."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.flows.visit_options import split_visitor, split_visitors
from tests.support.chat import World


@pytest.mark.parametrize(("typed", "people"), [
    ("Anna Schmidt, CTO", [("Anna Schmidt", "CTO")]),
    ("Anna Schmidt, CTO, Tom Berg, Head of Sales", [("Anna Schmidt", "CTO"), ("Tom Berg", "Head of Sales")]),
    ("张伟，总经理、李娜，采购经理", [("张伟", "总经理"), ("李娜", "采购经理")]),
    ("张伟 总经理, 李娜 采购经理", [("张伟", "总经理"), ("李娜", "采购经理")]),
    ("David Lee / Purchasing Director\nAnna Schmidt",
     [("David Lee", "Purchasing Director"), ("Anna Schmidt", "")]),
    ("Anna Schmidt, Tom Berg", [("Anna Schmidt", ""), ("Tom Berg", "")]),
    ("陳志明，總經理", [("陳志明", "總經理")]),
    ("David Lee 采购总监, Anna Schmidt CTO", [("David Lee", "采购总监"), ("Anna Schmidt", "CTO")]),
    ("David Lee (CTO), VP Engineering", [("David Lee", "CTO"), ("VP Engineering", "")]),
])
def test_titles_join_the_name_before_them(typed: str, people: list[tuple[str, str]]) -> None:
    assert [split_visitor(item) for item in split_visitors(typed)] == people


def test_part_of_a_name_picks_the_lead_and_an_ambiguous_part_asks_again(tmp_path: Path) -> None:
    world = World(tmp_path / "data")
    try:
        host = world.person(1, "Lin", language_code="zh-hans").send("/start")
        host.send("/new").send("华为").press("新客户：华为").press("中国").press("跳过")
        host.send("张伟 总经理，张丽 采购经理")
        host.send("张")  # both start so: the question again
        assert host.messages[-2].text.startswith("请点击下面的一个按钮")
        assert host.last.text == "5/17 谁是带队领导？"
        host.send("张伟")
        assert "接待级别" in host.last.text or "A类" in host.last.text
    finally:
        world.db.close()
