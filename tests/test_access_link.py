"""One person on two messengers: /link, the code opened from the other account, and who is who then."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from pathlib import Path

from bot import bootstrap
from bot.clock import FixedClock
from bot.core.events import Action, Event, Send, User
from bot.repositories.identities import BASE
from bot.settings import load_settings
from bot.storage import Database
from bot.transports.common import ToTelegram, from_telegram
from bot.transports.feishu_ids import FeishuIds
from tests.support.chat import Person, World


def link_code(person: Person) -> str:
    person.send("/link")
    found = re.search(r"/start (\S+)", person.last.text)
    assert found is not None, person.last.text
    return found.group(1)


def feishu_account(world: World, open_id: str, name: str, language_code: str = "zh-hans") -> Person:
    """Someone writing from Feishu, as its transport names them (a number of their own if new)."""
    ids = FeishuIds(world.dispatcher.services.identities)
    with world.db.unit():
        number = ids.user(open_id, name).id
    return world.person(number, name, language_code=language_code)


def test_a_telegram_colleague_links_their_feishu_account_and_is_the_same_person_there(world: World) -> None:
    world.person(1, "Lin", language_code="en").send("/start")
    lin = world.person(1, "Lin", language_code="en")
    code = link_code(lin)
    assert "works once" in lin.last.text
    on_feishu = feishu_account(world, "ou_lin", "林", language_code="en")
    on_feishu.send(f"/start {code}")
    # The answer reaches the Feishu account at the number it wrote from.
    assert "this account now belongs to Lin" in on_feishu.last.text
    ids = FeishuIds(world.dispatcher.services.identities)
    assert ids.open_id(on_feishu.id) == "ou_lin" and ids.open_id(1) == "ou_lin"
    # From now on the Feishu transport says it is Lin, staff member 1, with their record and rights.
    again = ids.known_user("ou_lin")
    assert again is not None and again.id == 1
    staff = world.dispatcher.services.access.staff.get(1)
    assert staff is not None and staff.identities == ("telegram:1", "feishu:ou_lin")
    world.restart()
    assert world.dispatcher.services.identities.person("feishu:ou_lin") == 1
    assert FeishuIds(world.dispatcher.services.identities).open_id(1) == "ou_lin"


def test_a_link_code_works_once_within_a_day_and_a_stranger_cannot_link_without_one(world: World) -> None:
    lin = world.person(1, "Lin", language_code="en").send("/start")
    code = link_code(lin)
    guesser = feishu_account(world, "ou_eve", "Eve", language_code="en")
    guesser.send("/start AAAAAAAAAAAAAAAA")
    assert "expired or has already been used" in guesser.last.text
    first = feishu_account(world, "ou_lin", "林", language_code="en").send(f"/start {code}")
    assert "now belongs to Lin" in first.last.text
    second = feishu_account(world, "ou_mallory", "M", language_code="en").send(f"/start {code}")
    assert "expired or has already been used" in second.last.text
    late_code = link_code(lin)
    world.clock.advance(timedelta(days=1, minutes=1))
    late = feishu_account(world, "ou_late", "L", language_code="en").send(f"/start {late_code}")
    assert "expired or has already been used" in late.last.text
    ids = world.dispatcher.services.identities
    assert [ids.person(f"feishu:{who}") == 1 for who in ("ou_eve", "ou_lin", "ou_mallory", "ou_late")] == [
        False, True, False, False]
    assert world.dispatcher.services.access.staff.get(guesser.id) is None
    # Link codes are not invitations: /invite does not list them.
    lin.send("/invite")
    assert "Invitations still open" not in lin.last.text and code[-4:] not in lin.last.text


def test_a_second_account_on_the_same_messenger_or_a_registered_one_is_not_linked(world: World) -> None:
    lin = world.person(1, "Lin", language_code="en").send("/start")
    other_telegram = world.person(43, "Lin2", language_code="en").send(f"/start {link_code(lin)}")
    assert "Lin already has an account on this messenger" in other_telegram.last.text
    assert world.dispatcher.services.identities.telegram_person(43) == 43
    lin.send(f"/start {link_code(lin)}")
    assert "This account is already registered (Lin)" in lin.last.text


def test_a_feishu_colleague_links_telegram_and_both_telegram_adapters_translate_it(world: World) -> None:
    world.person(1, "Lin").send("/start")
    mei = feishu_account(world, "ou_mei", "美")
    world.person(1).send("/invite").press("员工")
    invite = re.search(r"/start (\S+)", world.person(1).last.text)
    assert invite is not None
    mei.send(f"/start {invite.group(1)}")
    assert "欢迎" in mei.last.text
    telegram = world.person(4242, "Mei", language_code="zh-hans").send(f"/start {link_code(mei)}")
    assert "此账号现已属于 美" in telegram.last.text
    ids = world.dispatcher.services.identities
    event = from_telegram(Event(User(4242, "Mei"), 4242, text="/today"), ids)
    assert event.user.id == event.chat_id == mei.id
    group = Event(User(4242, "Mei"), -100, "group", text="/today")
    assert from_telegram(group, ids).chat_id == -100 and from_telegram(group, ids).user.id == mei.id
    sent: list[Action] = []

    class Recorder:
        async def perform(self, action: Action) -> int | None:
            sent.append(action)
            return 1

    performer = ToTelegram(Recorder(), ids)
    asyncio.run(performer.perform(Send(mei.id, "提醒")))
    asyncio.run(performer.perform(Send(1, "hi")))
    assert [action.chat_id for action in sent if isinstance(action, Send)] == [4242, 1]


def test_admin_ids_name_telegram_and_feishu_accounts_through_the_identity_map(tmp_path: Path) -> None:
    settings = load_settings(BOT_DATA_DIR=tmp_path, BOT_ADMIN_IDS="telegram:5, 6, feishu:ou_boss",
                             TELEGRAM_BOT_TOKEN="")
    with Database.open(tmp_path) as db:
        services = bootstrap.build(settings, FixedClock(), db).services
        access, ids = services.access, services.identities
        assert access.is_configured_admin(5) and access.is_configured_admin(6)
        with db.unit():
            boss = ids.add("feishu:ou_boss")
            ids.link("telegram:77", boss)  # the boss's Telegram account, linked
        assert access.is_configured_admin(boss) and not access.is_configured_admin(77)
        assert access.is_configured_admin(ids.telegram_person(77))
        assert boss > BASE
