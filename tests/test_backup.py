"""Backups: /backup sends one zip that, unpacked into an empty data dir, gives the same answers; the
nightly copy is made once a day after 03:00 and only the newest BOT_BACKUP_KEEP stay; admins only."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from bot.core.events import Event, SendDocument
from bot.documents.backup import nightly_copies, nightly_snapshot, restore, take_nightly
from bot.domain.visits import Visit
from tests.documents_support import files
from tests.support.chat import MONDAY_9AM, Person, World


def documents(person: Person, text: str) -> list[SendDocument]:
    return files(person.world, person.world.dispatcher.handle(Event(person.user, person.id, text=text)))


def furnish(world: World) -> None:
    """Clients with contacts and notes, and visits this week."""
    services = world.dispatcher.services
    for number, name in enumerate(("华为技术有限公司", "腾讯科技", "Acme Ltd")):
        client = services.clients.create(name, by=1, now=MONDAY_9AM, default_class="ABC"[number])
        services.clients.add_contact(client.id, f"联系人{number}", title="总经理")
        services.clients.set_notes(client.id, f"备注 {number}")
        arrival = MONDAY_9AM + timedelta(days=number + 1, hours=1)
        services.visits.create(Visit(0, client.id, client.name, "ABC"[number], arrival,
                                     arrival + timedelta(hours=3), host=1, created_at=MONDAY_9AM,
                                     created_by=1))


def answers(person: Person) -> list[str]:
    return [person.send(text).last.text for text in ("/week", "/client 华为", "/client acme", "/today")]


def test_a_backup_restored_into_an_empty_data_dir_gives_the_same_answers(world: World,
                                                                          tmp_path: Path) -> None:
    furnish(world)
    me = world.person(1, "林").send("/start")
    before = answers(me)
    assert "华为技术有限公司" in before[0] and "备注 0" in before[1]
    [backup] = documents(me, "/backup")
    assert backup.filename.endswith(".zip") and "数据库备份" in backup.caption
    names = zipfile.ZipFile(io.BytesIO(backup.content)).namelist()
    assert "meta.json" in names
    assert all(any(name.startswith(collection) for name in names)
               for collection in ("clients", "contacts", "visits", "staff"))  # a file, or a chunk folder

    restored_dir = tmp_path / "restored"
    restore(backup.content, restored_dir)
    copy = World(restored_dir, clock=world.clock)
    try:
        again = copy.person(1, "林")
        assert answers(again) == before
    finally:
        copy.db.close()


def test_restore_refuses_a_data_dir_in_use(world: World) -> None:
    me = world.person(1, "林").send("/start")
    [backup] = documents(me, "/backup")
    try:
        restore(backup.content, world.data_dir)
    except FileExistsError as error:
        assert "not empty" in str(error)
    else:
        raise AssertionError("restored over live data")


def test_nightly_copy_once_a_day_after_three_keeping_the_newest(world: World) -> None:
    services = world.dispatcher.services
    world.clock.advance(timedelta(hours=17))  # 02:00 on 24 November in Shanghai: too early
    assert take_nightly(services) is None
    assert services.settings.bot_backup_keep == 7
    world.clock.advance(timedelta(hours=2))  # 04:00
    for _ in range(9):  # 24 November to 2 December
        assert take_nightly(services) is not None
        assert take_nightly(services) is None  # once a day
        world.clock.advance(timedelta(days=1))
    copies = nightly_copies(world.data_dir)
    assert [path.name for path in copies] == [
        "backup-20261202.zip", "backup-20261201.zip", "backup-20261130.zip", "backup-20261129.zip",
        "backup-20261128.zip", "backup-20261127.zip", "backup-20261126.zip"]
    world.restart()  # the backups folder is no collection: the database still opens
    assert zipfile.ZipFile(copies[0]).testzip() is None


def test_the_nightly_copy_holds_the_data_as_it_was_taken_though_writes_go_on_while_it_is_zipped(
        world: World, tmp_path: Path) -> None:
    furnish(world)
    world.person(1, "林").send("/start")
    world.clock.advance(timedelta(hours=19))  # 04:00
    services = world.dispatcher.services
    taken = nightly_snapshot(services)  # on the core: the files as they are
    assert taken is not None
    services.clients.create("晚到科技", by=1, now=world.clock.now())  # meanwhile, a write ...
    services.db.checkpoint()  # ... which reaches the collection files
    copy = taken.write()  # zipped off the core
    assert [path.name for path in (world.data_dir / "backups").iterdir()] == [copy.name]  # no leftovers
    restored_dir = tmp_path / "restored"
    restore(copy.read_bytes(), restored_dir)
    restored = World(restored_dir, clock=world.clock)
    try:
        person = restored.person(1, "林")
        assert person.send("/client 晚到").last.text.startswith("没有客户匹配")  # came after
        assert "备注 0" in person.send("/client 华为").last.text
    finally:
        restored.db.close()


def test_only_admins_get_a_backup(world: World) -> None:
    boss = world.person(1, "Lin", language_code="en").send("/start")
    boss.send("/invite").press("manager")
    code = boss.last.text.split("start=")[1].split()[0]
    manager = world.person(50, "Zhou", language_code="en").send(f"/start {code}")
    assert not documents(manager, "/backup")
    assert manager.last.text == "Only administrators can do that."
    stranger = world.person(99, "Eve", language_code="en")
    assert not documents(stranger, "/backup")


def test_backup_on_demand_takes_the_files_on_the_core_and_zips_them_while_others_are_answered(
        world: World, tmp_path: Path) -> None:
    furnish(world)
    me = world.person(1, "林").send("/start")
    event = Event(me.user, me.id, text="/backup")
    actions, aside = world.dispatcher.turn(event)  # the files taken, as they are now
    assert aside is not None and not actions
    assert "华为技术有限公司" in me.send("/client 华为").last.text  # answered before the zip is made
    world.dispatcher.services.clients.create("晚到科技", by=1, now=world.clock.now())  # a write meanwhile
    world.dispatcher.services.db.checkpoint()
    actions, aside = world.dispatcher.resume(event, aside.done())  # zipped off the core, then sent
    [backup] = files(world, actions)
    assert not list((world.data_dir / "backups").iterdir())  # nothing left of the files taken
    restored_dir = tmp_path / "restored"
    restore(backup.content, restored_dir)
    restored = World(restored_dir, clock=world.clock)
    try:
        person = restored.person(1, "林")
        assert person.send("/client 晚到").last.text.startswith("没有客户匹配")  # came after
        assert "备注 0" in person.send("/client 华为").last.text
    finally:
        restored.db.close()

    services = world.dispatcher.services
    services.capabilities = replace(services.capabilities, max_file_bytes=1000)  # the zip is larger
    assert not documents(me, "/backup")
    assert "超过本通讯平台允许机器人发送的 0 MB" in me.last.text
