"""Actual spend against the budget, like with like: a debrief records what the reception cost in
all, so the debrief card and the quarterly review set it against the budget's total (each
standard per person times the people it is for), say that both are totals, and show the sum."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from tests.documents_support import documents
from tests.support.chat import Person, World

THURSDAY_10AM = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def visit_with_meals(host: Person, *, meal_for: str, per_person: str = "", gift: str | None = None) -> None:
    """Tomorrow's class C visit of one guest, meals for ``meal_for`` people at ``per_person`` each."""
    host.send("/new").send("华为").press("新客户：华为").press("中国").press("跳过")
    host.send("黄磊 销售经理").press("C类").press("商务洽谈").press("选好了")
    host.send("明天上午10点").press("对").send("明天下午4点").press("对")
    host.press("自驾").press("选好了").press("跳过").press("跳过")  # no team, executives, room
    if gift is not None:
        host.press("礼品")
    host.press("选好了").press("跳过").press("否")  # extras, tour, lodging
    host.send(meal_for)
    if per_person:
        host.press("跳过").press("跳过").send(per_person)  # the meals one by one, dietary, meal budget
    if gift is not None:
        host.send(gift)
    host.press("保存")


def debrief_spending(host: Person, spent: str) -> str:
    """The debrief's review card after ``spent`` was typed as the actual spend."""
    host.send("/debrief 1").press("推进中").send("要报价").press("跳过").press("跳过")
    host.send("下周三").send(spent).press("★★★★").press("跳过")
    return host.last.text


def test_the_debrief_and_the_review_compare_the_spend_with_the_total_budget(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    visit_with_meals(host, meal_for="3", per_person="90")
    world.clock.current = THURSDAY_10AM
    card = debrief_spending(host, "320")
    assert "实际花费: 合计 320（预算合计 270 = 用餐 90 元/人 × 3 人；超出 50）" in card
    host.press("保存")
    host.send("/review").press("本季度（2026年第4季度）")
    review = host.last.text
    assert "C类（普通客户）：实际花费合计 ¥320 / 预算合计 ¥270（119%，1 次接待）" in review


def test_gifts_count_per_visitor_and_the_form_prints_the_same_total(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    visit_with_meals(host, meal_for="3", per_person="90", gift="100")
    form = load_workbook(io.BytesIO(documents(host, "/form 1")[1].content)).active
    assert form is not None
    totals = [[cell.value for cell in row if cell.value is not None] for row in form.iter_rows()]
    assert ["合计", 370] in totals
    world.clock.current = THURSDAY_10AM
    card = debrief_spending(host, "300")
    assert "实际花费: 合计 300（预算合计 370 = 用餐 90 元/人 × 3 人 + 礼品 100 元/人 × 1 人；节省 70）" \
        in card


@pytest.mark.parametrize(("language_code", "buttons", "expected"), [
    ("en", ("Progressing", "Skip", "★★★★"),
     "Actual spend: 320 in total (budget 270 in total = Meals 90 per person × 3 people; 50 over)"),
    ("zh-tw", ("推進中", "跳過", "★★★★"),
     "實際花費: 合計 320（預算合計 270 = 用餐 90 元/人 × 3 人；超出 50）"),
])
def test_the_debrief_says_total_in_every_language(world: World, language_code: str,
                                                   buttons: tuple[str, str, str], expected: str) -> None:
    chinese = world.person(1, "Lin", language_code="zh-hans").send("/start")
    visit_with_meals(chinese, meal_for="3", per_person="90")
    world.clock.current = THURSDAY_10AM
    host = world.person(1, "Lin", language_code=language_code)
    host.send("/lang")
    progressing, skip, rating = buttons
    host.send("/debrief 1").press(progressing).send("quote").press(skip).press(skip)
    host.send("12月2日").send("320").press(rating).press(skip)
    assert expected in host.last.text


def test_a_visit_without_a_budget_still_says_the_spend_is_a_total(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    visit_with_meals(host, meal_for="0")
    world.clock.current = THURSDAY_10AM
    assert "实际花费: 合计 320（本次来访没有预算可比）" in debrief_spending(host, "320")
