"""Our side of the arrangement form: the company's name on what the client reads, the host's phone on
the itinerary, our attendees named even when they are not on the bot, the executives who must attend.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from tests.documents_support import HOST, WANG, add_debrief, add_full_visit, add_staff, documents
from tests.support.chat import MONDAY_9AM, Person, World
from tests.test_documents import has, pdf_text


def admin(world: World, language_code: str = "zh-hans") -> Person:
    return world.person(1, "Boss", language_code=language_code).send("/start")


def test_an_admin_names_the_company_and_the_banner_itinerary_and_memo_print_it(world: World) -> None:
    add_staff(world)
    boss = admin(world)
    staff = world.person(HOST, "林晓", language_code="zh-hans")
    staff.send("/company 假公司")
    assert "假公司" not in staff.sees_text().replace("/company 假公司", "")
    assert world.dispatcher.services.company.name() == ""  # only admins set it

    boss.send("/company")
    assert "本公司的全称是什么" in boss.last.text and "现在还没有设置" in boss.last.text
    boss.send("上海  明远科技有限公司")
    assert boss.last.text.startswith("✅ 本公司名称已设为“上海 明远科技有限公司”")
    boss.send("/company")
    assert "现在：上海 明远科技有限公司" in boss.last.text
    boss.send("/cancel")

    visit = add_full_visit(world, lead_language="zh_Hans")
    [itinerary] = documents(staff, "/itinerary 1")
    text = pdf_text(itinerary.content)
    assert has(text, "诚挚欢迎华为技术有限公司莅临上海明远科技有限公司考察指导",
               "到达上海明远科技有限公司，欢迎与会谈", "离开上海明远科技有限公司",
               "上海明远科技有限公司接待人员", "由上海明远科技有限公司承担")
    assert "我方" not in text

    world.clock.current = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
    add_debrief(world, visit)
    [memo] = documents(staff, "/memo 1")
    assert has(pdf_text(memo.content), "Attending for 上海明远科技有限公司", "林晓, 王五")


def test_the_banner_is_drafted_with_the_company_name(world: World) -> None:
    world.clock.current = MONDAY_9AM
    boss = admin(world)
    boss.send("/company 明远科技")
    boss.send("/new").send("华为").press("新客户：华为").press("中国").press("跳过")
    boss.send("张伟 总经理").press("C类").press("商务洽谈").press("选好了")
    boss.send("明天上午10点").press("对").send("明天下午4点").press("对")
    boss.press("自驾").press("选好了").press("跳过").press("跳过").press("欢迎横幅").press("选好了").press("跳过")
    boss.press("否").send("0").press("保存")
    assert "热烈欢迎华为张总一行莅临明远科技考察指导工作" in boss.last.text


def test_the_host_is_asked_for_a_phone_once_and_the_itinerary_prints_it(world: World) -> None:
    add_staff(world)
    add_full_visit(world)
    host = world.person(HOST, "林晓", language_code="zh-hans")
    [first] = documents(host, "/itinerary 1")
    assert has(pdf_text(first.content), "please contact 林晓 at any time.")  # no phone yet
    assert "您的手机号码是多少" in host.last.text
    host.send("电话不知道")
    assert host.messages[-2].text.startswith("请输入电话号码")
    host.send("138 0013 8000")
    assert host.last.text.startswith("✅ 已保存您的电话：138 0013 8000")
    [again] = documents(host, data=host.last.button("行程").data)
    assert has(pdf_text(again.content), "林晓 138 0013 8000", "(phone 138 0013 8000)")
    assert world.dispatcher.services.access.staff.get(HOST).phone == "138 0013 8000"  # type: ignore[union-attr]

    colleague = world.person(WANG, "王五", language_code="zh-hans")
    documents(colleague, "/itinerary 1")  # not the host: the host's phone is printed, nobody is asked
    assert "手机号码" not in colleague.sees_text()
    colleague.send("/phone +86 139-0000-1111")
    assert colleague.last.text.startswith("✅ 已保存您的电话：+86 139-0000-1111")


def test_a_host_who_skips_the_phone_is_not_asked_again(world: World) -> None:
    add_staff(world)
    add_full_visit(world)
    host = world.person(HOST, "林晓", language_code="en")
    documents(host, "/itinerary 1")
    host.press("Skip")
    assert host.last.text == "OK, no phone on the itinerary. Add one any time with /phone."
    documents(host, "/itinerary 1")
    assert host.last.text == "OK, no phone on the itinerary. Add one any time with /phone."


def class_a_without_executives(host: Person) -> None:
    """Up to the executives step of a class-A visit, in English."""
    host.send("/new").send("Acme").press("New client: Acme").press("Germany").press("Skip")
    host.send("Anna Schmidt / CTO").press("Class A").send("business talks").press("Done").press("Skip")


@pytest.fixture
def monday(world: World) -> World:
    world.clock.current = MONDAY_9AM
    return world


def test_our_attendees_not_on_the_bot_stay_a_name_and_title(monday: World) -> None:
    host = admin(monday, "en")
    colleague = monday.person(2, "Ma", language_code="en").send("/start")
    host.press("Approve as staff")
    class_a_without_executives(host)
    host.send("next Tuesday 10am").press("Correct").send("next Tuesday 4pm").press("Correct")
    host.press("Car")
    host.send("Ma, Zhou")  # Zhou is on no bot and has no title: who is that?
    assert host.messages[-2].text.startswith("I cannot find these colleagues: Zhou.")
    host.send("Ma, Zhou Li / Chief engineer")
    assert "Which executives must attend?" in host.last.text
    host.send("Zhao Gang")  # an executive typed without a title
    assert host.messages[-2].text.startswith("I cannot tell which executive “Zhao Gang” is.")
    host.send("Zhao Gang / General manager")
    host.press("Skip").press("Done").press("Skip").press("No").send("0")
    review = host.last.text
    assert "Our team: Ma, Zhou Li / Chief engineer" in review
    assert "Executives: Zhao Gang / General manager" in review and "none is chosen" not in review
    host.press("Save")
    visit = monday.dispatcher.services.visits.get(1)
    assert visit is not None and visit.team == (2,) and visit.executives == ("general_manager",)
    assert [(a.name, a.title, a.role) for a in visit.attendees] == [
        ("Zhou Li", "Chief engineer", ""), ("Zhao Gang", "General manager", "general_manager")]
    assert "team: Ma, Zhou Li Chief engineer" in host.last.text
    assert "⭐ Executives: General manager Zhao Gang" in host.last.text
    assert "Acme" in colleague.last.text  # the colleague on the bot is told; the others cannot be

    form = documents(host, "/form 1")[0]
    assert has(pdf_text(form.content), "Boss, Ma, Zhou Li Chief engineer", "General manager Zhao Gang")


def test_a_class_a_visit_without_executives_is_warned_about(monday: World) -> None:
    host = admin(monday, "zh-hans")
    host.send("/new").send("华为").press("新客户：华为").press("中国").press("跳过")
    host.send("张伟 总经理").press("A类").press("商务洽谈").press("选好了").press("跳过")
    host.send("明天上午10点").press("对").send("明天下午4点").press("对")
    host.press("自驾").press("选好了").press("跳过")  # no team, no executives
    host.press("跳过").press("选好了").press("跳过").press("否").send("0")
    assert "⚠️ A类（特别重要）须有公司领导出席，还没有选择。" in host.last.text
    host.press("保存")
    assert "⚠️ A类（特别重要）须有公司领导出席，还没有选择。" in host.last.text
    visit = monday.dispatcher.services.visits.get(1)
    assert visit is not None
    monday.dispatcher.services.visits.update(replace(visit, class_id="C"))
    host.send("/visit 1")
    assert "须有公司领导出席" not in host.last.text
