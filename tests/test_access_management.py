"""Managing access (issue 17): invitations revoked, the owner named in the settings always an admin,
strangers answered once and the admins told of only a few of them an hour."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.domain.staff import Role
from tests.support.chat import Person, World

REFUSAL = "registered staff of the company only"
STAFF_LABEL = {"zh_Hans": "员工", "zh_Hant": "員工", "en": "staff member"}
ADMIN_LABEL = {"zh_Hans": "管理员", "zh_Hant": "管理員", "en": "administrator"}


def invite(admin: Person, role: str) -> str:
    """The code of a new invitation for ``role`` (its button's label)."""
    admin.send("/invite").press(role)
    return admin.last.text.split("start=")[1].split()[0]


def labels(person: Person) -> list[str]:
    return [button.label for row in person.last.buttons for button in row]


def test_invite_lists_the_open_invitations_and_one_revoked_opens_nothing(world: World) -> None:
    admin = world.person(1, "Lin", language_code="en").send("/start")
    first = invite(admin, "staff member")
    world.clock.advance(timedelta(minutes=5))
    second = invite(admin, "manager")
    admin.send("/invite")
    listed = admin.last.text
    assert listed.startswith("Which role should the new colleague have?\n\nInvitations still open:\n"
                             "• manager")
    assert f"• staff member · link …{first[-4:]} · until Mon 30 Nov 09:00 · by Lin" in listed  # newest first
    admin.press(f"Revoke staff member …{first[-4:]}")
    assert world.toasts[-1] == "Invitation revoked: its link no longer works."
    assert first[-4:] not in admin.last.text and second[-4:] in admin.last.text
    newcomer = world.person(50, "Zhou", language_code="en").send(f"/start {first}")
    assert newcomer.last.text == ("This invitation link was withdrawn by an administrator. "
                                  "Please ask them for a new one.")
    assert world.dispatcher.services.access.staff.get(50) is None
    world.person(51, "Qian", language_code="en").send(f"/start {second}")
    admin.send("/invite")
    assert "still open" not in admin.last.text  # one revoked, one used
    assert labels(admin) == ["staff member", "manager", "administrator"]


def test_a_revoked_or_forged_invitation_button_changes_nothing(world: World) -> None:
    admin = world.person(1, "Lin", language_code="en").send("/start")
    code = invite(admin, "staff member")
    admin.send("/invite").press("Revoke")
    admin.press_data(f"inv:rev:{code}")  # the same button once more, on an older copy of the list
    assert world.toasts[-1] == "That invitation is no longer open: it was used, revoked or has expired."
    admin.press_data("inv:rev:../../etc/passwd")
    assert world.toasts[-1] == "This button is no longer valid."


def test_an_admin_who_joined_by_invitation_cannot_switch_off_or_demote_the_owner(world: World) -> None:
    owner = world.person(1, "Lin", language_code="en").send("/start")
    other = world.person(2, "Ma", language_code="en").send(f"/start {invite(owner, 'administrator')}")
    other.send("/staff").press("Lin ›")
    assert "🔒 Administrator by the bot's settings" in other.last.text
    assert not {"Switch off Lin", "staff member", "manager"} & set(labels(other))
    for forged in ("stf:off:1:0", "stf:role:1:staff:0"):  # the buttons as an older version showed them
        other.press_data(forged, other.last.message_id)
        assert world.toasts[-1].startswith("This administrator is named in the bot's settings")
    owner.send("/staff")
    assert "Lin — administrator" in owner.last.text and "switched off" not in owner.last.text
    owner.press("Ma ›").press("Switch off Ma")  # an admin who joined by invitation stays changeable
    assert "Ma — administrator (switched off)" in owner.last.text


def test_the_owner_switched_off_in_older_data_is_an_admin_again_at_the_next_message(world: World) -> None:
    owner = world.person(1, "Lin", language_code="en").send("/start")
    staff = world.dispatcher.services.access.staff
    before = staff.get(1)
    assert before is not None
    staff.save(replace(before, active=False, role=Role.STAFF))  # what an invited admin could do before
    owner.send("/staff")
    assert "Staff (1 person, page 1/1)" in owner.last.text
    world.restart()
    assert (after := world.dispatcher.services.access.staff.get(1)) is not None
    assert (after.active, after.role) == (True, Role.ADMIN)


def test_an_admin_named_in_the_settings_is_one_from_the_first_message(world: World) -> None:
    owner = world.person(1, "Lin", language_code="en")
    owner.send("/invite")
    assert owner.last.text == "Which role should the new colleague have?"
    assert world.dispatcher.services.access.requests.get(1) is None  # no access request of their own
    owner.send("/start")
    assert owner.last.text.startswith("Welcome back, Lin!")


def test_a_stranger_is_answered_once_and_what_they_send_later_writes_nothing(world: World) -> None:
    admin = world.person(1, "Lin", language_code="en").send("/start")
    stranger = world.person(42, "Wang", language_code="en").send("hello")
    log = world.data_dir / "wal.log"
    written = log.stat().st_size
    for text in ("/start", "/help", "hello again", "/start not-an-invitation-code", "/visit 1"):
        stranger.send(text)
    stranger.press_data("stf:page:0")
    assert [REFUSAL in m.text for m in stranger.messages] == [True]
    assert world.toasts == []
    assert log.stat().st_size == written
    assert len([m for m in admin.messages if "Someone asks" in m.text]) == 1


def test_admins_hear_of_three_strangers_an_hour_and_of_the_rest_in_one_summary(world: World) -> None:
    admin = world.person(1, "Lin", language_code="en").send("/start")
    strangers = [world.person(100 + n, f"P{n}", language_code="en").send("hi") for n in range(10)]
    assert all(REFUSAL in s.last.text for s in strangers)  # every one of them is answered, once
    notices = [m.text for m in admin.messages if "Someone asks" in m.text]
    assert [n.splitlines()[1] for n in notices] == [f"P{n} (—, id {100 + n})" for n in range(3)]
    assert world.tick() == 0  # the hour is not over yet
    world.clock.advance(timedelta(hours=1))
    assert world.tick() == 1
    assert admin.last.text == ("🔔 7 more people asked to use the assistant after the last request I told "
                               "you of (I announce at most 3 an hour). They wait in /staff → Access "
                               "requests.")
    assert world.tick() == 0  # once
    for n in range(3):  # the summary was the new hour's first notice: two more are told one by one
        world.person(200 + n, f"Q{n}", language_code="en").send("hi")
    assert [m.text.splitlines()[1][:2] for m in admin.messages[-2:]] == ["Q0", "Q1"]
    world.clock.advance(timedelta(hours=1))
    world.tick()
    assert admin.last.text.startswith("🔔 1 more person asked to use the assistant")


def test_admins_decide_the_waiting_requests_from_the_staff_list(world: World) -> None:
    admin = world.person(1, "Lin", language_code="en").send("/start")
    for n in range(10):
        world.clock.advance(timedelta(minutes=1))
        world.person(100 + n, f"P{n}", language_code="en").send("hi")
    admin.send("/staff").press("🙋 Access requests (10)")
    assert admin.last.text == "Access requests waiting for a decision (10, page 1/2):"
    assert labels(admin)[:2] == ["P9 ›", "P8 ›"]  # the newest first
    admin.press("Next").press("P0 ›")
    assert "P0 (—, id 100)" in admin.last.text
    admin.press("Approve as manager")
    assert admin.last.text == "✅ P0 was approved as manager by Lin."
    assert "Welcome, P0!" in world.person(100).last.text
    admin.send("/staff")
    assert "• P0 — manager" in admin.last.text
    admin.press("🙋 Access requests (9)").press("P5 ›").press("Deny")
    assert admin.last.text == "❌ Lin denied the request of P5."


EXPECTED = {
    "zh_Hans": ("仍然有效的邀请：", "✖ 撤销员工邀请", "邀请已撤销，该链接不再有效。",
                "这个邀请链接已被管理员撤销",
                "🔒 由本助手设置指定的管理员", "设置（BOT_ADMIN_IDS）中指定的",
                "又有 1 人申请使用本助手（每小时最多逐条通知 3 条）", "🙋 访问申请（4）",
                "待处理的访问申请（共 4 条，第 1/1 页）："),
    "zh_Hant": ("仍然有效的邀請：", "✖ 撤銷員工邀請", "邀請已撤銷，該連結不再有效。",
                "這個邀請連結已被管理員撤銷",
                "🔒 由本助理設定指定的管理員", "設定（BOT_ADMIN_IDS）中指定的",
                "又有 1 人申請使用本助理（每小時最多逐筆通知 3 筆）", "🙋 存取申請（4）",
                "待處理的存取申請（共 4 筆，第 1/1 頁）："),
    "en": ("Invitations still open:", "✖ Revoke staff member", "Invitation revoked: its link",
           "withdrawn by an administrator", "🔒 Administrator by the bot's settings",
           "named in the bot's settings (BOT_ADMIN_IDS)", "🔔 1 more person asked to use the assistant",
           "🙋 Access requests (4)", "Access requests waiting for a decision (4, page 1/1):"),
}


@pytest.mark.parametrize(("locale", "code"), [("zh_Hans", "zh-hans"), ("zh_Hant", "zh-hant"), ("en", "en")])
def test_managing_access_speaks_each_language(world: World, locale: str, code: str) -> None:
    expected = EXPECTED[locale]
    owner = world.person(1, "Lin", language_code=code).send("/start")
    said: list[str] = []
    first = invite(owner, STAFF_LABEL[locale])
    owner.send("/invite")
    said += [owner.last.text, *labels(owner)]
    owner.press(expected[1])
    said.append(world.toasts[-1])
    said.append(world.person(50, language_code=code).send(f"/start {first}").last.text)
    other = world.person(2, "Ma", language_code=code).send(f"/start {invite(owner, ADMIN_LABEL[locale])}")
    other.send("/staff").press("Lin ›")
    said.append(other.last.text)
    other.press_data("stf:off:1:0", other.last.message_id)
    said.append(world.toasts[-1])
    for n in range(3):  # with the stranger of the revoked link: four requests, three told
        world.person(100 + n, f"P{n}", language_code=code).send("hi")
    world.clock.advance(timedelta(hours=1))
    world.tick()
    said.append(owner.last.text)
    owner.send("/staff")
    said += labels(owner)
    owner.press(expected[7])
    said.append(owner.last.text)
    for fragment in expected:
        assert any(fragment in text for text in said), fragment
