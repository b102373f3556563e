"""A class-A visit of two days as an office fills it in: two tours, a day-by-day agenda, three meals,
lodging we pay, a pickup with a named driver, an executive who is not on the bot; then the review
card, the saved visit, the printed form and the itinerary, and a reschedule."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta

import pytest
from openpyxl import load_workbook

from bot.domain.visits import Meal, Slot
from tests.documents_support import documents
from tests.support.chat import MONDAY_9AM, Person, World
from tests.test_documents import fields, has, pdf_text, row_of

WED, THU = date(2026, 11, 25), date(2026, 11, 26)


def two_day_visit(host: Person) -> None:
    """Huawei, Wednesday 10:00 to Thursday 16:00, typed in Simplified Chinese up to the review card."""
    host.send("/new").send("华为").press("新客户：华为").press("中国").press("跳过")
    host.send("张伟 总经理，李娜 采购经理").press("张伟 总经理")
    host.press("A类").press("商务洽谈").press("了解生产体系").press("选好了")
    host.send("全球通信设备龙头，去年签了框架协议；这次想看新产线，谈明年的采购量")
    host.send("11月25日上午10点").press("对").send("11月26日下午4点").press("对")
    host.press("飞机").send("CA1234").send("首都机场").send("11月25日上午8点").press("对").press("是")
    host.send("张伟 13800138000，李娜 13900139000")
    host.send("刘师傅 13900001111").send("沪A·12345 别克GL8")
    host.press("选好了")  # nobody else on the team
    host.send("赵刚 总经理")  # the executive, not on the bot
    host.send("3楼大会议室")
    host.press("投影").press("欢迎横幅").press("选好了")
    host.send("11月25日 14:00-15:30 生产车间\n第二天 10:00 研发中心")
    assert "逐日日程" in host.last.text  # two days: the agenda is asked
    host.send("第二天 9:00-10:00 技术交流；第二天 13:00 商务洽谈")
    host.press("是").send("香格里拉酒店").press("我方承担")
    host.send("11月25日-11月26日")
    host.press("跳过")  # both stay
    host.send("2").send("1300")
    host.send("6")
    host.send("11月25日 午餐 12:00 公司餐厅 6人 120元\n"
              "11月25日 晚宴 18:30 香格里拉 8人 300元\n"
              "第二天 午餐 12:00 公司餐厅")
    host.send("张伟 不吃辣")
    host.send("140")


@pytest.fixture
def host(world: World) -> Person:
    world.clock.current = MONDAY_9AM
    return world.person(1, "林晓", language_code="zh-hans").send("/start")


def test_the_review_card_shows_each_line_as_read_with_its_warnings(host: Person) -> None:
    two_day_visit(host)
    review = host.last.text
    assert "参观: \n  11月25日 周三 14:00–15:30 生产车间\n  11月26日 周四 10:00 研发中心" in review
    assert "日程: \n  11月26日 周四 09:00–10:00 技术交流\n  11月26日 周四 13:00 商务洽谈" in review
    assert "入住/退房: 11月25日 周三 → 11月26日 周四（1 晚）" in review
    assert ("房价: 1300 元/间·晚\n"
            "⚠️ 超出本级别住宿标准（1200 元/间·晚），需 部门负责人、总经理和副总 审批。") in review
    assert "  11月25日 周三 午餐 12:00 公司餐厅 · 6 人 · 120 元/人\n" in review
    assert ("  11月25日 周三 晚餐 18:30 香格里拉 · 8 人 · 300 元/人 ⚠️ 超出本级别标准（150 元/人），"
            "需 部门负责人和总经理 审批。") in review
    assert "  11月26日 周四 午餐 12:00 公司餐厅 · 6 人 · 140 元/人" in review  # the standard asked after
    assert "⚠️ 住宿由我方承担，须经副总批准。" in review
    assert "须有公司领导出席" not in review


def test_a_line_read_wrongly_is_named_and_asked_again(host: Person) -> None:
    host.send("/new").send("华为").press("新客户：华为").press("中国").press("跳过")
    host.send("张伟 总经理").press("C类").press("商务洽谈").press("选好了")
    host.send("11月25日上午10点").press("对").send("11月25日下午4点").press("对")
    host.press("自驾").press("选好了").press("跳过").press("跳过").press("选好了")
    host.send("生产车间 14:00\n11月27日 仓库")
    assert host.messages[-2].text == "第 2 行：这一天不在来访期间。"
    assert "参观安排" in host.last.text
    host.send("生产车间 14:00\n仓库")  # the warehouse not fixed yet
    assert "入住" not in host.last.text  # one day: no agenda; on to lodging
    host.press("否").send("4")
    host.send("11月25日 午饭")
    host.send("跳过").send("跳过")
    review = host.last.text
    assert "参观: \n  11月25日 周三 14:00 生产车间\n  未定：仓库（参观前一小时通知相关部门）" in review
    assert "各餐安排: \n  11月25日 周三 午餐 · 4 人" in review


def test_the_saved_visit_prints_a_form_and_an_itinerary_an_office_can_file(
        world: World, host: Person) -> None:
    two_day_visit(host)
    host.press("保存")
    visit = world.dispatcher.services.visits.get(1)
    assert visit is not None
    assert visit.tours == (Slot(WED, time(14), time(15, 30), "生产车间"),
                           Slot(THU, time(10), None, "研发中心"))
    assert visit.agenda == (Slot(THU, time(9), time(10), "技术交流"), Slot(THU, time(13), None, "商务洽谈"))
    assert visit.meal_plan == (Meal(WED, "lunch", time(12), "公司餐厅", 6, 120.0),
                               Meal(WED, "dinner", time(18, 30), "香格里拉", 8, 300.0),
                               Meal(THU, "lunch", time(12), "公司餐厅", 0, None))
    lodging = visit.lodging
    assert lodging is not None and (lodging.rooms, lodging.rate, lodging.nights) == (2, 1300.0, 1)
    card = host.last.text
    assert "🏭 参观：11月25日 周三 14:00–15:30 生产车间" in card
    assert "📅 11月26日 周四 09:00–10:00 技术交流" in card
    assert "   · 11月25日 周三 18:30 晚餐 香格里拉" in card

    pdf_file, xlsx_file = documents(host, "/form 1")
    sheet = load_workbook(io.BytesIO(xlsx_file.content)).active
    assert sheet is not None
    form = fields(sheet)
    assert form["参观安排"] == "11月25日 周三 14:00–15:30 生产车间\n11月26日 周四 10:00 研发中心"
    assert (form["房间数"], form["房价（CNY/间·晚）"], form["用餐时间"]) == (2, 1300, "见下表")
    assert form["须出席的公司领导"] == "总经理 赵刚" and form["接送人员"] == "刘师傅 13900001111"
    assert row_of(sheet, "11月26日 周四") == ["11月26日 周四", "09:00–10:00", "技术交流"]  # the agenda
    assert row_of(sheet, "11月25日 周三") == ["11月25日 周三", "午餐", "12:00", "公司餐厅", 6, 120]  # meals
    assert row_of(sheet, "午餐 11月25日 周三") == ["午餐 11月25日 周三", 150, 120, 6, 720, "—"]
    assert row_of(sheet, "晚餐 11月25日 周三") == ["晚餐 11月25日 周三", 150, 300, 8, 2400,
                                                  "超标，需部门负责人和总经理审批"]
    assert row_of(sheet, "午餐 11月26日 周四") == ["午餐 11月26日 周四", 150, 140, 6, 840, "—"]
    assert row_of(sheet, "住宿（2 间 × 1 晚）") == ["住宿（2 间 × 1 晚）", 1200, 1300, 2, 2600,
                                                  "超标，需部门负责人、总经理和副总审批"]
    assert row_of(sheet, "合计") == ["合计", 6560]
    assert has(pdf_text(pdf_file.content), "生产车间", "技术交流", "香格里拉",
               "超标，需部门负责人、总经理和副总审批")

    [itinerary] = documents(host, "/itinerary 1")
    text = pdf_text(itinerary.content)
    assert has(text, "刘师傅13900001111接机", "总经理赵刚")
    order = ["CA1234", "到达公司", "公司餐厅", "生产车间", "香格里拉", "技术交流", "研发中心", "商务洽谈",
             "离开公司"]
    assert [text.index(word) for word in order] == sorted(text.index(word) for word in order)
    for internal in ("1300", "300元", "超标"):
        assert internal not in text


def test_a_reschedule_moves_tours_agenda_and_meals_with_the_visit(world: World, host: Person) -> None:
    two_day_visit(host)
    host.press("保存")
    services = world.dispatcher.services
    visit = services.visits.get(1)
    assert visit is not None
    week = timedelta(days=7)
    moved, _ = services.visits.reschedule(visit, visit.arrival + week, visit.departure + week)
    assert [s.day for s in moved.tours] == [WED + timedelta(days=7), THU + timedelta(days=7)]
    assert [m.day for m in moved.meal_plan] == [WED + timedelta(days=7)] * 2 + [THU + timedelta(days=7)]
    assert {s.day for s in moved.agenda} == {THU + timedelta(days=7)}


def test_an_edit_reads_the_programme_back_as_typed(world: World, host: Person) -> None:
    two_day_visit(host)
    host.press("保存")
    host.press("✏️ 修改")
    review = host.last.text
    assert "参观: \n  11月25日 周三 14:00–15:30 生产车间\n  11月26日 周四 10:00 研发中心" in review
    assert "入住/退房: 11月25日 周三 → 11月26日 周四（1 晚）" in review
    host.press("保存")
    visit = world.dispatcher.services.visits.get(1)
    assert visit is not None and len(visit.meal_plan) == 3 and visit.lodging is not None
    assert visit.lodging.rate == 1300.0 and len(visit.agenda) == 2


def test_the_background_is_on_the_form_the_card_and_in_the_briefing(world: World, host: Person) -> None:
    two_day_visit(host)
    host.press("保存")
    assert "📌 背景：全球通信设备龙头" in host.last.text
    form = fields(load_workbook(io.BytesIO(documents(host, "/form 1")[1].content)).active)  # type: ignore[arg-type]
    background = "全球通信设备龙头，去年签了框架协议；这次想看新产线，谈明年的采购量"
    assert form["客户背景"] == background + "\n中国"  # and the country of the new client
    world.clock.current = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)  # 09:30, half an hour before
    world.tick()
    briefing = next(m.text for m in reversed(host.messages) if "团队简报" in m.text)
    assert "📌 客户背景：全球通信设备龙头，去年签了框架协议" in briefing


def test_a_class_c_visit_leaves_the_background_for_the_card(host: Person) -> None:
    host.send("/new").send("华为").press("新客户：华为").press("中国").press("跳过")
    host.send("张伟 总经理").press("C类").press("商务洽谈").press("选好了")
    assert "客户什么时候到公司" in host.last.text  # no background asked
    host.send("11月25日上午10点").press("对").send("11月25日下午4点").press("对")
    host.press("自驾").press("选好了").press("跳过").press("跳过").press("选好了").press("跳过")
    host.press("否").send("0")
    assert "客户背景: （跳过）" in host.last.text
    host.press("✏️ 客户背景").send("老客户，关注交期")
    assert "客户背景: 老客户，关注交期" in host.last.text


def test_the_debrief_and_the_review_count_each_meal_and_the_stay_we_pay(
        world: World, host: Person) -> None:
    two_day_visit(host)
    host.press("保存")
    world.clock.current = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # Friday, the day after
    host.send("/debrief 1").press("推进中").send("要报价").press("跳过").press("跳过")
    host.send("下周三").send("7000").press("★★★★").press("跳过")
    assert ("实际花费: 合计 7,000（预算合计 6,560 = 午餐 11月25日 周三 120 元/人 × 6 人 + "
            "晚餐 11月25日 周三 300 元/人 × 8 人 + 午餐 11月26日 周四 140 元/人 × 6 人 + "
            "住宿 1,300 元/间夜 × 2 间夜；超出 440）") in host.last.text  # the form's total
    host.press("保存")
    host.send("/review").press("本季度（2026年第4季度）")
    assert "A类（特别重要）：实际花费合计 ¥7,000 / 预算合计 ¥6,560（107%，1 次接待）" in host.last.text
