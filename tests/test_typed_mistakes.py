"""Answers typed by mistake in /new, each said with its reason and asked again, what was fine kept:
a date, a phone number or a head count as a visitor's name (real names holding date words stay
names); a date or mere punctuation as the company (not offered as a new client); a class as its
letter (taken); a programme line at an impossible time (25:00, an end before its start)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.programme import VisitDays, read_line, read_stay
from bot.domain.typed_names import mistaken_company, mistaken_name
from tests.support.chat import World
from tests.visit_chat import at_visitors, by_car_skipping, lin_at_transport

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("typed", "mistake"), [
    ("明天下午3点", "date"), ("下週二上午10點", "date"), ("next Tuesday 10am", "date"),
    ("2026-12-08", "date"), ("tomorrow", "date"), ("15:00", "date"),
    ("13800138000", "phone"), ("+65 9123 4567", "phone"),
    ("3人", "count"), ("三位", "count"), ("4 people", "count"), ("12", "no_letters"), ("😀", "no_letters"),
])
def test_what_is_plainly_no_name(typed: str, mistake: str) -> None:
    assert mistaken_name(typed, now=NOW, tz=SHANGHAI) == mistake


@pytest.mark.parametrize("name", ["王明", "Li Na", "Mr. May", "April Chen", "June Li", "May", "Sun",
                                  "Carol Day", "Dr. Wednesday", "Christmas Eve", "O'Brien", "张伟 总经理"])
def test_names_with_date_words_stay_names(name: str) -> None:
    assert mistaken_name(name, now=NOW, tz=SHANGHAI) is None


def test_a_date_typed_as_a_visitor_is_refused_and_the_names_kept(world: World) -> None:
    host = at_visitors(world, "zh-hans")
    host.send("明天下午3点, 王明")
    assert host.messages[-2].text.startswith("「明天下午3点」看起来是日期或时间，不是姓名")
    assert host.last.text.startswith("4/16 来访人员有哪些？")
    assert "当前：王明" in host.last.text
    host.send("13800138000")
    assert host.messages[-2].text.startswith("「13800138000」里有电话号码")
    host.send("April Chen").press("✔ 选好了")
    assert host.last.text == "5/17 谁是带队领导？"
    assert [b.label for b in host.last.buttons[0]] == ["王明", "April Chen"]


def test_the_refusal_is_in_the_users_language(world: World) -> None:
    host = at_visitors(world, "en", country="Singapore")
    host.send("next Tuesday 10am")
    assert host.messages[-2].text.startswith("“next Tuesday 10am” looks like a date or time, not a name")
    assert host.last.text.startswith("4/16 Who is visiting?")
    host.send("3 people")
    assert host.messages[-2].text.startswith("“3 people” is a number of people, not a name")


def test_the_refusal_in_traditional_chinese(world: World) -> None:
    host = at_visitors(world, "zh-tw")
    host.send("下週二上午10點")
    assert host.messages[-2].text.startswith("「下週二上午10點」看起來是日期或時間，不是姓名")
    assert host.last.text.startswith("4/16 來訪人員有哪些？")


@pytest.mark.parametrize(("typed", "mistake"), [
    ("明天下午3点", "date"), ("next Tuesday 10am", "date"), ("???", "no_letters"), ("😀", "no_letters"),
    ("360", None), ("3M", None), ("Sun", None), ("华为", None), ("Acme 😀", None),
])
def test_what_is_plainly_no_company(typed: str, mistake: str | None) -> None:
    assert mistaken_company(typed, now=NOW, tz=SHANGHAI) == mistake


def test_a_date_typed_as_the_company_is_not_offered_as_a_new_client(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-tw").send("/start")
    host.send("/new").send("明天下午3點")
    assert host.messages[-2].text.startswith("「明天下午3點」看起來是日期或時間，不是公司名稱")
    assert host.last.text.startswith("1/14 哪家客戶來訪？")
    assert [b.label for row in host.last.buttons for b in row] == ["✖ 取消"]
    host.send("???")
    assert host.messages[-2].text.startswith("「???」不像公司名稱")
    host.send("360").press("新客戶：360")
    assert "國家或地區" in host.last.text


def test_a_class_typed_as_its_letter(world: World) -> None:
    host = at_visitors(world, "zh-tw")
    host.send("王大明 總經理").press("✔ 選好了")
    for typed in ("C", "c類", "A级", "class b"):
        host.send(typed)
        assert host.last.text.startswith("6/"), typed  # the purposes: the class was taken
        host.press("◀ 上一步")
    flows = world.dispatcher.services.flows
    assert flows.active(host.id) is not None and flows.active(host.id).answers["cls"] == "B"


@pytest.mark.parametrize(("line", "problem"), [
    ("明天 25:00-26:00 车间", "bad_time"), ("明天 15:00-14:00 车间", "bad_time"), ("25:00 hall", "bad_time"),
    ("明天 14:00-15:30 车间", ""), ("20:00-24:00 晚宴", ""), ("23:00-1:00 KTV", ""), ("下午2点-4点 车间", ""),
])
def test_a_programme_line_with_an_impossible_time_is_said(line: str, problem: str) -> None:
    days = VisitDays(date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 23))
    assert read_line(line, days).problem == problem


def test_a_tour_at_an_impossible_time_is_asked_again(world: World) -> None:
    host = lin_at_transport(world, departure="明天下午5點")
    by_car_skipping(host, 3)
    assert "參觀安排" in host.last.text
    host.send("明天 25:00-26:00 生產車間")
    assert host.messages[-2].text.startswith("第 1 行：這個時間不成立")
    assert "參觀安排" in host.last.text


def test_rooms_counted_in_traditional_chinese(world: World) -> None:
    host = lin_at_transport(world, departure="後天下午5點")
    by_car_skipping(host, 5)
    host.send("是").send("君悅酒店").press("客戶自理").press("跳過 ▶")
    assert "訂幾間房" in host.last.text
    host.send("兩間")
    assert "房價" in host.last.text
    assert world.dispatcher.services.flows.active(host.id).answers["rooms"] == 2


@pytest.mark.parametrize(("typed", "stay"), [
    ("昨天入住 後天退房", (date(2026, 11, 22), date(2026, 11, 25))),
    ("yesterday to tomorrow", (date(2026, 11, 22), date(2026, 11, 24))),
    ("明天入住 後天退房", (date(2026, 11, 24), date(2026, 11, 25))),
])
def test_a_stay_from_yesterday_reads_as_yesterday(typed: str, stay: tuple[date, date]) -> None:
    assert read_stay(typed, VisitDays(date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 23))) == stay


def test_a_stay_that_began_in_the_past_is_asked_again(world: World) -> None:
    host = lin_at_transport(world, departure="day after tomorrow 5pm", language_code="en")
    by_car_skipping(host, 5)
    host.send("yes").send("Hilton").press("the guests")
    host.send("yesterday to tomorrow")
    assert host.messages[-2].text.startswith("That check-in day has passed.")
    assert host.last.text.startswith("19/22 Check-in and check-out?")
    host.send("11月1日-11月3日")
    assert host.messages[-2].text.startswith("That check-in day has passed.")
    host.send("2 nights")
    assert host.last.text.startswith("20/22 How many rooms?")


def test_a_date_typed_as_a_purpose_is_refused_and_the_ticked_ones_kept(world: World) -> None:
    host = at_visitors(world, "en")
    host.send("Anna Schmidt").send("C").press("▫️ Business negotiation")
    host.send("tomorrow 3pm")
    assert host.messages[-2].text.startswith("“tomorrow 3pm” looks like a date or time, not a purpose")
    assert "✅ Business negotiation" in [b.label for row in host.last.buttons for b in row]
    host.send("3")
    assert host.messages[-2].text.startswith("“3” does not look like a purpose.")
    host.send("factory audit")  # typed items answer the step
    assert host.last.text.startswith("7/16 When do they arrive at the company?")
    answers = world.dispatcher.services.flows.active(host.id).answers
    assert answers["purposes"] == ["negotiation", "factory audit"]


def test_a_question_asked_at_the_visitors_is_answered_not_taken_as_a_name(world: World) -> None:
    host = at_visitors(world, "zh-hans")
    host.send("今天谁来")
    assert host.messages[-2].text == "☕ 今天没有客户来访。"
    assert host.last.text.startswith("4/16 来访人员有哪些？")
    assert "visitors" not in world.dispatcher.services.flows.active(host.id).answers
    host.send("王明")
    assert host.last.text.startswith("5/16 接待级别？")


def test_a_time_typed_as_the_driver_is_asked_again(world: World) -> None:
    host = lin_at_transport(world, departure="後天下午5點")
    host.press("✈️ 飛機")
    host.send("CI100").send("桃園機場").send("明天上午9點").press("✔ 對").press("是").send("0912345678")
    assert host.last.text.startswith("15/24 誰去接？")
    host.send("明天上午8點")
    assert host.messages[-2].text.startswith("「明天上午8點」不像司機或接待人的姓名")
    assert host.last.text.startswith("15/24 誰去接？")
    host.send("劉師傅 0912345678")
    assert host.last.text.startswith("16/24 ")


def test_a_single_letter_typed_as_a_purpose_is_refused(world: World) -> None:
    host = at_visitors(world, "zh-hans")
    host.send("王明").send("C类")
    assert host.last.text.startswith("6/16 "), host.last.text
    host.send("C")
    assert host.messages[-2].text.startswith("「C」只是一个字母，不是来访目的。")
    assert host.last.text.startswith("6/16 "), host.last.text
    host.send("商务洽谈, x.")
    assert host.messages[-2].text.startswith("「x.」只是一个字母")
    assert "✅ 商务洽谈" in [b.label for row in host.last.buttons for b in row]
    host.send("茶")  # one Chinese character may be a word
    assert host.last.text.startswith("7/16 "), host.last.text


def test_a_single_letter_typed_as_a_purpose_is_refused_in_english(world: World) -> None:
    host = at_visitors(world, "en")
    host.send("Anna Schmidt").send("C").send("b")
    assert host.messages[-2].text.startswith("“b” is a single letter, not a purpose.")
    assert host.last.text.startswith("6/16 "), host.last.text
    host.send("QA audit")
    assert host.last.text.startswith("7/16 When do they arrive at the company?")
