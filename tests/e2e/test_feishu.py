"""The bot on Feishu, end to end: the real process, the SDK's long connection, the fake Open API."""

from __future__ import annotations

import io
import zipfile
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot import bootstrap
from bot.clock import FixedClock
from bot.core.events import User
from bot.domain.staff import Role
from bot.domain.visits import Note, Visit
from bot.repositories.identities import TABLE as IDS_TABLE
from bot.repositories.identities import Identities
from bot.settings import load_settings
from bot.storage import Database
from bot.transports.feishu_ids import FeishuIds
from bot.views.nudges import done_nudge
from tests.e2e.conftest import BotProcess, stop_bot
from tests.e2e.feishu_bot import start_feishu_bot
from tests.e2e.shifted_bot import ShiftedClock
from tests.fakefeishu import FakeFeishu, FeishuUser, Shown
from tests.support.e2e_host import WEDNESDAY_2PM

pytestmark = pytest.mark.e2e


@pytest.fixture
async def fake() -> AsyncIterator[FakeFeishu]:
    async with FakeFeishu() as server:
        yield server


@pytest.fixture
def admin(fake: FakeFeishu) -> FeishuUser:
    return fake.user("Alice")


@pytest.fixture
async def bot(fake: FakeFeishu, admin: FeishuUser, bot_clock: ShiftedClock,
              tmp_path: Path) -> AsyncIterator[BotProcess]:
    running = await start_feishu_bot(fake, tmp_path / "data", tmp_path / "bot.log", [admin], bot_clock)
    yield running
    await stop_bot(running)


async def test_a_stranger_is_refused_and_the_admin_told(fake: FakeFeishu, admin: FeishuUser,
                                                          bot: BotProcess) -> None:
    fake.user_sends(admin, "/start")
    await fake.wait_for_message(admin, contains="欢迎，Alice")
    stranger = fake.user("王*强")
    fake.user_sends(stranger, "/today")
    await fake.wait_for_message(stranger, contains="本助手仅供公司在册员工使用")
    notice = await fake.wait_for_message(admin, contains="王*强")
    fake.user_presses(admin, notice, "批准为员工")
    await fake.wait_for_message(admin, contains="✅ 王*强 已被 Alice 批准为员工")
    await fake.wait_for_message(stranger, contains="欢迎，王*强！您已作为员工加入")
    assert not fake.errors()


async def test_an_invitation_opened_by_typing_its_code(fake: FakeFeishu, admin: FeishuUser,
                                                       bot: BotProcess) -> None:
    fake.user_sends(admin, "/start")
    await fake.wait_for_message(admin, contains="欢迎，Alice")
    fake.user_sends(admin, "/invite")
    choose = await fake.wait_for_message(admin, contains="新同事的角色")
    fake.user_presses(admin, choose, "员工")
    invitation = await fake.wait_for_message(admin, contains="/start ")
    # The link opens the bot's chat in Feishu (no Telegram link); the code is typed there.
    assert "https://applink.feishu.cn/client/bot/open?appId=cli_" in invitation.text
    assert "t.me" not in invitation.text
    code = invitation.text.split("/start ")[1].split()[0]
    newcomer = fake.user("周 Zhou")
    fake.user_sends(newcomer, f"/start {code}")
    await fake.wait_for_message(newcomer, contains="欢迎，周 Zhou！您已作为员工加入")
    await fake.wait_for_message(admin, contains="周 Zhou 已通过您的邀请以员工身份加入")
    fake.user_sends(newcomer, "/today")
    await fake.wait_for_message(newcomer, contains="今天")
    assert not fake.errors()


@pytest.fixture
def wednesday() -> ShiftedClock:
    """A Wednesday afternoon in Shanghai whatever the hour of the run (as in ``test_visit_flow``):
    "明天下午3点" is a working day, and no morning digest comes between the replies."""
    return ShiftedClock.reading(WEDNESDAY_2PM)


async def test_a_visit_prepared_with_card_buttons(fake: FakeFeishu, admin: FeishuUser,
                                                  wednesday: ShiftedClock, tmp_path: Path) -> None:
    bot = await start_feishu_bot(fake, tmp_path / "data", tmp_path / "bot.log", [admin], wednesday)
    try:
        async def answer(text: str, expect: str) -> Shown:
            fake.user_sends(admin, text)
            return await fake.wait_for_message(admin, contains=expect)

        async def press(message: Shown, button: str, expect: str) -> Shown:
            fake.user_presses(admin, message, button)
            return await fake.wait_for_message(admin, contains=expect)

        await answer("/start", "欢迎")
        await answer("/new", "哪家客户来访")
        found = await answer("Siemens <AG> *Star*", "哪家客户来访")
        question = await press(found, "新客户：Siemens <AG> *Star*", "哪个国家")
        question = await press(question, "德国", "什么行业")
        question = await answer("自动化", "来访人员有哪些")
        question = await answer("Anna Schmidt CTO", "接待级别")
        question = await press(question, "C类", "来访目的")
        question = await press(question, "商务洽谈", "来访目的")
        question = await press(question, "选好了", "什么时候到公司")
        reading = await answer("明天下午3点", "我理解为")
        question = await press(reading, "对", "什么时候离开")
        reading = await answer("明天下午5点", "我理解为")
        question = await press(reading, "对", "怎么过来")
        question = await press(question, "自驾", "我方还有谁参加")
        question = await press(question, "选好了", "公司领导")
        question = await press(question, "跳过", "会议室")
        question = await answer("301", "还需要准备什么")
        question = await press(question, "选好了", "参观安排")
        question = await press(question, "跳过", "住宿")
        question = await press(question, "否", "几人的餐")
        card = await answer("0", "客户接待安排表")
        assert "Siemens <AG> *Star*" in card.text
        saved = await press(card, "保存", "已保存为来访 #1")
        assert saved.edited or saved.message_id != card.message_id
        today = await answer("今天谁来", "今天")
        assert "Siemens" not in today.text
        tomorrow = await answer("明天谁来", "Siemens <AG> *Star*")
        assert "Anna Schmidt" in tomorrow.text
        assert not fake.errors()
    finally:
        await stop_bot(bot)


async def test_rate_limits_and_lost_answers_delay_but_deliver_once(fake: FakeFeishu, admin: FeishuUser,
                                                                   bot: BotProcess) -> None:
    fake.user_sends(admin, "/start")
    await fake.wait_for_message(admin, contains="欢迎")
    fake.fail_next("send", "rate", times=2, reset=1)
    fake.user_sends(admin, "/help")
    await fake.wait_for_message(admin, contains="/today")
    sends = [(c.status, c.code) for c in fake.calls if c.api == "send"]
    assert sends[-3:] == [(429, 99991400), (429, 99991400), (200, 0)]
    # Too fast for one person (code 230020), then a server error, then an answer lost on its way
    # back although the message was sent: Feishu's uuid keeps the retry from sending it twice.
    for failure in ("message-rate", "server", "lost"):
        fake.fail_next("send", failure)  # type: ignore[arg-type]
        fake.user_sends(admin, "明天谁来")
        await fake.wait_for_message(admin, contains="明天")
    await fake.wait_for_idle()
    texts = [shown.text for shown in fake.messages(admin)]
    assert sum("/today" in text for text in texts) == 1
    assert sum("明天没有客户来访" in text for text in texts) == 3, texts
    assert not fake.errors()


async def test_a_restart_loses_and_repeats_nothing(fake: FakeFeishu, admin: FeishuUser,
                                                   bot_clock: ShiftedClock, tmp_path: Path) -> None:
    data, log = tmp_path / "data", tmp_path / "bot.log"
    first = await start_feishu_bot(fake, data, log, [admin], bot_clock)
    fake.user_sends(admin, "/start")
    await fake.wait_for_message(admin, contains="欢迎，Alice")
    # The acknowledgement of /help is lost: Feishu pushes it again, by then to the next start.
    fake.longconn.lose_acks = 1
    fake.user_sends(admin, "/help")
    await fake.wait_for_message(admin, contains="/today")
    await stop_bot(first)
    fake.user_sends(admin, "今天谁来")  # while the bot is down
    second = await start_feishu_bot(fake, data, log, [admin], bot_clock)
    try:
        await fake.wait_for_message(admin, contains="今天没有客户来访")
        await fake.wait_for_idle()
    finally:
        await stop_bot(second)
    texts = [shown.text for shown in fake.messages(admin)]
    assert sum("/today" in text for text in texts) == 1, texts
    assert sum("欢迎" in text for text in texts) == 1, texts
    assert sum("今天没有客户来访" in text for text in texts) == 1, texts
    assert all(push.acked for push in fake.longconn.pushes.values())
    assert max(push.pushes for push in fake.longconn.pushes.values()) >= 2  # /help came twice


def seed_a_visit_saved_ten_days_ago(data_dir: Path, host: FeishuUser, now: datetime) -> None:
    """``host`` (known to the Feishu transport, as the bot's first start would make them) and a visit
    90 minutes from ``now`` saved ten days before: its items came due while the bot was down."""
    db = Database.open(data_dir)
    try:
        with db.unit():
            host_id = FeishuIds(Identities(db.table(IDS_TABLE))).user(host.open_id, host.name).id
        settings = load_settings(BOT_DATA_DIR=data_dir, BOT_ADMIN_IDS=str(host_id), TELEGRAM_BOT_TOKEN="")
        saved = now - timedelta(days=10)
        services = bootstrap.build(settings, FixedClock(saved), db).services
        services.access.configured_admin(User(host_id, host.name), saved)
        client = services.clients.create("Bosch", country="DE", by=host_id, now=saved)
        arrival = (now + timedelta(minutes=90)).replace(microsecond=0)
        services.visits.create(Visit(0, client.id, client.name, "C", arrival, arrival + timedelta(hours=3),
                                     host_id, saved, host_id, room="301"))
    finally:
        db.close()


def has_done(message: Shown) -> bool:
    return any(done_nudge(button.data) for row in message.buttons for button in row)


async def test_a_nudge_comes_once_and_its_done_button_ticks(fake: FakeFeishu, admin: FeishuUser,
                                                             bot_clock: ShiftedClock, tmp_path: Path) -> None:
    data = tmp_path / "data"
    seed_a_visit_saved_ten_days_ago(data, admin, bot_clock.now())
    bot = await start_feishu_bot(fake, data, tmp_path / "bot.log", [admin], bot_clock)
    try:
        nudge = await fake.wait_for_message(admin, has_done, timeout=30)
        assert "来访 #1 · Bosch" in nudge.text
        done = next(b.data for row in nudge.buttons for b in row if done_nudge(b.data))
        fake.user_presses(admin, nudge, done)
        # The card itself is updated (the morning digest, greeting Alice by name, may come meanwhile).
        await fake.wait_for_message(admin, lambda shown: shown.message_id == nudge.message_id
                                    and shown.edited, contains="Alice")
        await fake.wait_for_idle(quiet=2.5)
    finally:
        await stop_bot(bot)
    nudges = [shown for shown in fake.messages(admin) if has_done(shown) and not shown.edited]
    assert len({shown.message_id for shown in nudges}) == len(nudges)
    again = await start_feishu_bot(fake, data, tmp_path / "bot.log", [admin], bot_clock)
    try:
        await fake.wait_for_idle(quiet=2.0)
    finally:
        await stop_bot(again)
    assert [shown for shown in fake.messages(admin) if has_done(shown) and not shown.edited] == nudges
    assert not fake.errors()


async def test_files_both_ways(fake: FakeFeishu, admin: FeishuUser, bot: BotProcess) -> None:
    """A sheet sent to the bot is downloaded and imported; /backup comes back as a file message."""
    fake.user_sends(admin, "/start")
    await fake.wait_for_message(admin, contains="欢迎")
    sheet = "客户名称,级别,联系人\nSiemens <AG>,B,Anna Schmidt\nInitech,,Peter Gibbons\n".encode()
    fake.user_sends_file(admin, "clients.csv", sheet)
    report = await fake.wait_for_message(admin, contains="可导入 2 行")
    fake.user_presses(admin, report, "导入 2 行")
    await fake.wait_for_message(admin, contains="导入完成：新客户 2 个")
    fake.user_sends(admin, "/backup")
    backup = await fake.wait_for_message(admin, lambda shown: shown.msg_type == "file")
    assert backup.file_name.endswith(".zip")
    assert "meta.json" in zipfile.ZipFile(io.BytesIO(fake.file(backup))).namelist()
    await fake.wait_for_message(admin, contains="数据库备份")  # the caption, as a card after the file
    assert not fake.errors()


async def test_in_a_group_the_bot_answers_where_it_is_mentioned(fake: FakeFeishu, admin: FeishuUser,
                                                                bot: BotProcess) -> None:
    fake.user_sends(admin, "/start")
    await fake.wait_for_message(admin, contains="欢迎")
    group = fake.group()
    fake.user_sends(admin, "/client Huawei", group)
    pointer = await fake.wait_for_message(group)
    assert pointer.text == "🔒 这个请在和我的私聊中使用。"
    # The way to the private chat opens the bot's chat in Feishu.
    assert pointer.button("私聊").url == "https://applink.feishu.cn/client/bot/open?appId=cli_fake0123456789"
    fake.user_presses(admin, pointer, forged="vis:show:1")
    pushes = fake.longconn.pushes.values()
    await fake.wait_until(lambda: next((push.answer for push in pushes if push.answer), None), 10)
    toasts = [push.answer for push in fake.longconn.pushes.values() if push.answer]
    assert toasts == [{"toast": {"type": "info", "content": "🔒 这个请在和我的私聊中使用。"}}]
    assert not fake.errors()


def seed_a_telegram_colleague_with_a_link_code(data_dir: Path, now: datetime) -> str:
    """Lin, staff on Telegram (id 1001), who asked there for a /link code; the code."""
    db = Database.open(data_dir)
    try:
        settings = load_settings(BOT_DATA_DIR=data_dir, TELEGRAM_BOT_TOKEN="")
        services = bootstrap.build(settings, FixedClock(now), db).services
        with db.unit():
            admin, _ = services.access.configured_admin(User(1000, "Boss"), now)
            invite = services.access.create_invite(admin, Role.STAFF, now)
            joined = services.access.start(User(1001, "Lin"), invite.code, now).staff
            assert joined is not None
            return services.access.create_link(joined, now).code
    finally:
        db.close()


async def test_a_telegram_colleague_links_their_feishu_account(
        fake: FakeFeishu, admin: FeishuUser, bot_clock: ShiftedClock, tmp_path: Path) -> None:
    data = tmp_path / "data"
    code = seed_a_telegram_colleague_with_a_link_code(data, bot_clock.now())
    bot = await start_feishu_bot(fake, data, tmp_path / "bot.log", [admin], bot_clock)
    try:
        lin = fake.user("林 Lin")
        fake.user_sends(lin, f"/start {code}")
        await fake.wait_for_message(lin, contains="关联成功：此账号现已属于 Lin")
        fake.user_sends(lin, "/today")  # staff only: they are Lin, staff member 1001
        await fake.wait_for_message(lin, contains="今天")
        eve = fake.user("Eve")
        fake.user_sends(eve, f"/start {code}")  # used: the code opens nothing more
        await fake.wait_for_message(eve, contains="已过期或已被使用")
    finally:
        await stop_bot(bot)
    assert not fake.errors()


def seed_a_visit_with_long_notes(data_dir: Path, host: FeishuUser, now: datetime) -> list[str]:
    """``host`` and a visit next week whose card holds five long notes (about 5,000 characters in
    all: more than a Telegram message, less than a card); the notes, the first naming a link."""
    db = Database.open(data_dir)
    wish = "客户关心交货周期、售后服务与本地化生产，希望参观总装线并与研发团队交流。"
    notes = [f"第{n + 1}条：" + wish * 25 for n in range(5)]
    notes[0] = "客户的 Telegram 频道 https://t.me/siemens_cn 。" + notes[0]
    try:
        with db.unit():
            host_id = FeishuIds(Identities(db.table(IDS_TABLE))).user(host.open_id, host.name).id
        settings = load_settings(BOT_DATA_DIR=data_dir, BOT_ADMIN_IDS=str(host_id), TELEGRAM_BOT_TOKEN="")
        services = bootstrap.build(settings, FixedClock(now), db).services
        services.access.configured_admin(User(host_id, host.name), now)
        client = services.clients.create("Siemens", country="DE", by=host_id, now=now)
        arrival = (now + timedelta(days=7)).replace(microsecond=0)
        services.visits.create(Visit(0, client.id, client.name, "C", arrival, arrival + timedelta(hours=3),
                                     host_id, now, host_id,
                                     notes=tuple(Note(now, host_id, text) for text in notes)))
    finally:
        db.close()
    return notes


async def test_a_long_card_comes_whole_with_its_links_as_typed(fake: FakeFeishu, admin: FeishuUser,
                                                               bot_clock: ShiftedClock,
                                                               tmp_path: Path) -> None:
    """Feishu declares its own text limit (a card's, not Telegram's 4,096 characters) and its own
    links, so a long visit card is one card, and a Telegram link in a note is left as typed."""
    data = tmp_path / "data"
    notes = seed_a_visit_with_long_notes(data, admin, bot_clock.now())
    bot = await start_feishu_bot(fake, data, tmp_path / "bot.log", [admin], bot_clock)
    try:
        fake.user_sends(admin, "/visit 1")
        # The card's own title: a nudge about the visit names "来访 #1 · Siemens" too, and one is due
        # at start on some days (on 30 September, before the National Day holiday, say).
        shown = await fake.wait_for_message(admin, contains="来访 #1 · Siemens · C类")
        assert len(shown.text) > 4096 and all(note in shown.text for note in notes)
        assert "https://t.me/siemens_cn" in shown.text and "applink" not in shown.text
        assert not fake.errors()
    finally:
        await stop_bot(bot)
