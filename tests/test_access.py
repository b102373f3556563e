"""Who gets in: configured admins, invitees, approved strangers; and who sees nothing."""

from __future__ import annotations

from datetime import timedelta

from tests.support.chat import World


def test_configured_admin_is_welcomed_as_admin_in_their_language(world: World) -> None:
    admin = world.person(1, "Lin", language_code="en")
    admin.send("/start")
    assert "Welcome, Lin!" in admin.last.text
    assert "administrator" in admin.last.text
    menu = world.menus[-1]
    assert menu.chat_id == 1
    assert ("invite", "Invite a colleague") in menu.commands


def test_stranger_is_refused_politely_and_admins_can_approve(world: World) -> None:
    admin = world.person(1, "林", language_code="zh-hans").send("/start")
    stranger = world.person(42, "Wang", language_code="zh-tw", username="wang")
    stranger.send("/start")
    assert "僅供公司在冊員工使用" in stranger.last.text
    assert "Wang（@wang，ID 42）" in admin.last.text
    admin.press("批准为员工")
    assert "已被 林 批准为员工" in admin.last.text
    assert "歡迎，Wang！" in stranger.last.text
    stranger.send("/help")
    assert "/lang" in stranger.last.text


def test_stranger_sees_no_data_through_any_command_or_button(world: World) -> None:
    world.person(1, "Lin").send("/start")
    stranger = world.person(77, "Eve", language_code="en")
    for text in ("/staff", "/invite", "/help", "/lang", "hello", "/visit 1"):
        stranger.send(text)
    stranger.press_data("stf:page:0")
    # One polite refusal, to the first message; nothing after it, and no data at any point.
    assert len(stranger.messages) == 1
    assert "registered staff of the company only" in stranger.last.text
    assert world.toasts == []
    presser = world.person(78, "Mallory", language_code="en").press_data("stf:page:0")
    assert world.toasts == ["This assistant is for registered staff only."]
    assert presser.messages == []


def test_admins_hear_of_a_stranger_once_while_the_request_is_pending(world: World) -> None:
    admin = world.person(1, "Lin", language_code="en").send("/start")
    stranger = world.person(42, "Wang", language_code="en")
    stranger.send("/start").send("hello").send("/help")
    requests = [m for m in admin.messages if "Someone asks to use" in m.text]
    assert len(requests) == 1


def test_denied_stranger_is_told_and_stays_out(world: World) -> None:
    admin = world.person(1, "Lin", language_code="en").send("/start")
    stranger = world.person(42, "Wang", language_code="en").send("/start")
    admin.press("Deny")
    assert "Lin denied the request of Wang" in admin.last.text
    assert "was declined" in stranger.last.text
    stranger.send("/help").send("/start")
    assert "was declined" in stranger.last.text  # told once; writing again gets no reply


def test_invite_link_registers_once_with_its_role(world: World) -> None:
    admin = world.person(1, "Lin", language_code="en").send("/start")
    admin.send("/invite").press("manager")
    assert "https://t.me/reception_test_bot?start=" in admin.last.text
    code = admin.last.text.split("start=")[1].split()[0]
    newcomer = world.person(50, "Zhou", language_code="zh-hans")
    newcomer.send(f"/start {code}")
    assert "您已作为经理加入" in newcomer.last.text
    assert "Zhou joined through your invitation as manager" in admin.last.text
    second = world.person(51, "Qian", language_code="en").send(f"/start {code}")
    assert "expired or has already been used" in second.last.text


def test_invite_expires_after_seven_days(world: World) -> None:
    admin = world.person(1, "Lin", language_code="en").send("/start")
    admin.send("/invite").press("staff member")
    code = admin.last.text.split("start=")[1].split()[0]
    world.clock.advance(timedelta(days=7, minutes=1))
    late = world.person(60, "Sun", language_code="en").send(f"/start {code}")
    assert "expired or has already been used" in late.last.text


def test_only_admins_invite_and_manage_staff(world: World) -> None:
    admin = world.person(1, "Lin", language_code="en").send("/start")
    admin.send("/invite").press("staff member")
    code = admin.last.text.split("start=")[1].split()[0]
    member = world.person(70, "Li", language_code="en").send(f"/start {code}")
    member.send("/invite")
    assert member.last.text == "Only administrators can do that."
    member.send("/staff")
    assert member.last.text == "Only administrators can do that."
    assert "/invite" not in member.send("/help").last.text


def test_deactivated_staff_member_loses_access_and_can_be_restored(world: World) -> None:
    admin = world.person(1, "Lin", language_code="en").send("/start")
    admin.send("/invite").press("staff member")
    code = admin.last.text.split("start=")[1].split()[0]
    member = world.person(70, "Li", language_code="en").send(f"/start {code}")
    admin.send("/staff").press("Li ›").press("Switch off Li")
    assert "Li — staff member (switched off)" in admin.last.text
    member.send("/help")
    assert "access has been switched off" in member.last.text
    admin.press("Switch on Li")
    member.send("/help")
    assert "/lang" in member.last.text


def test_staff_list_pages(world: World) -> None:
    admin = world.person(1, "Lin", language_code="en").send("/start")
    for n in range(12):
        world.clock.advance(timedelta(minutes=20))  # the admins hear of at most three requests an hour
        world.person(100 + n, f"P{n}").send("/start")
        admin.press("Approve as staff member")
    admin.send("/staff")
    assert "Staff (13 people, page 1/2)" in admin.last.text
    admin.press("Next")
    assert "page 2/2" in admin.last.text
    assert "P11" in admin.last.text


def test_admin_cannot_switch_themselves_off(world: World) -> None:
    first = world.person(1, "Lin", language_code="en").send("/start")
    first.send("/invite").press("administrator")
    code = first.last.text.split("start=")[1].split()[0]
    world.person(2, "Ma", language_code="en").send(f"/start {code}")
    first.send("/staff").press("Lin ›")
    labels = [b.label for row in first.last.buttons for b in row]
    assert "Switch off Lin" not in labels
    assert "administrator" not in " ".join(labels)  # nor change their own role
    first.press("Back to the list").press("Ma ›")
    assert "Switch off Ma" in [b.label for row in first.last.buttons for b in row]


def test_admin_sets_role_duties_and_manager_on_a_card(world: World) -> None:
    admin = world.person(1, "Lin", language_code="en").send("/start")
    for user_id, name in ((70, "Li"), (71, "Wang")):
        admin.send("/invite").press("staff member")
        code = admin.last.text.split("start=")[1].split()[0]
        world.person(user_id, name, language_code="en").send(f"/start {code}")
    admin.send("/staff").press("Wang ›").press("manager")
    assert "Wang — manager" in admin.last.text
    admin.press("Back to the list").press("Li ›").press("Office").press("Reception desk")
    assert "Duties: Office, Reception desk" in admin.last.text
    admin.press("Office")
    assert "Duties: Reception desk" in admin.last.text
    admin.press("Set manager")
    assert [b.label for row in admin.last.buttons for b in row][:2] == ["Lin", "Wang"]
    admin.press("Wang")
    assert "Manager: Wang" in admin.last.text
    world.restart()
    admin.send("/staff").press("Li ›")
    assert "Manager: Wang" in admin.last.text and "Duties: Reception desk" in admin.last.text


def test_registration_survives_a_restart(world: World) -> None:
    admin = world.person(1, "Lin", language_code="en").send("/start")
    admin.send("/lang").press("繁體中文")
    world.restart()
    admin.send("/help")
    assert "我能為您做這些" in admin.last.text
