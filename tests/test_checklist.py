"""A visit's checklist: progress, owners, ticking from the card, and who may tick."""

from __future__ import annotations

import pytest

from tests.support.chat import World
from tests.support.walkthroughs import plan_visit


@pytest.fixture
def admin_ids() -> frozenset[int]:
    return frozenset({1, 2})


def test_the_card_opens_the_checklist_and_a_tick_counts(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    plan_visit(host, extras=("桌牌/名牌",))
    host.send("/lang").press("English")
    host.send("/visit 1").press("Checklist 0/")
    text = host.last.text
    assert text.startswith("✅ Checklist of visit #1 · 华为: 0/")
    assert "Print name cards and brochures · Lin" in text
    total = text.split("0/")[1].split()[0]
    host.press("Print name cards")
    assert host.last.text.startswith(f"✅ Checklist of visit #1 · 华为: 1/{total}")
    assert "✅ Wed 25 Nov 10:00 Print name cards" in host.last.text
    host.press("Back to the visit")
    assert f"Checklist 1/{total}" in str(host.last.buttons)


def test_the_office_sees_its_items_by_name_and_ticks_them_but_does_not_edit(world: World) -> None:
    world.admin_ids = frozenset({1})  # Zhou a plain office clerk, invited as staff
    world.restart()
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    host.send("/invite").press("员工")
    code = host.last.text.split("start=")[1].split()[0]
    office = world.person(2, "Zhou", language_code="en").send(f"/start {code}")
    host.send("/staff").press("Zhou ›").press("市场部内勤")
    plan_visit(host, extras=("欢迎横幅",))
    assert "准备欢迎横幅和欢迎牌 · Zhou" in host.send("/visit 1").press("检查清单").last.text
    office.send("/visit 1")
    labels = [b.label for row in office.last.buttons for b in row]
    assert labels == [next(label for label in labels if "Checklist" in label)]  # no Edit, no Cancel
    office.press("Checklist").press("Get the welcome banner")
    assert "Done: Get the welcome banner" in world.toasts[-1]
    stranger = world.person(9, "Eve", language_code="en")
    stranger.press_data("chk:1:banner")
    assert "banner" not in stranger.sees_text().lower()
