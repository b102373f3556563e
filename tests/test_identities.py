"""Who is who: platform identities and the person ids the core keys on; the data dirs of before."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tinydb.table import Document

from bot.domain.staff import Role, Staff
from bot.repositories import StaffRepository
from bot.repositories.codec import to_doc
from bot.repositories.identities import BASE, TABLE, Identities
from bot.storage import CURRENT_SCHEMA_VERSION, MIGRATIONS, Database

JOINED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_feishu_people_and_groups_get_numbers_no_telegram_id_reaches(tmp_path: Path) -> None:
    with Database.open(tmp_path) as db, db.unit():
        ids = Identities(db.table(TABLE))
        alice = ids.add("feishu:ou_alice", "Alice")
        group = ids.add_group("feishu:oc_group")
        ids.private_chat("feishu:oc_alice", alice)
        bob = ids.add("feishu:ou_bob")
    assert alice > BASE and bob > alice and group < -BASE  # Telegram's ids stay below 2**52
    with Database.open(tmp_path) as db:
        again = Identities(db.table(TABLE))
        assert again.person("feishu:ou_alice") == alice and again.name("feishu:ou_alice") == "Alice"
        assert again.chat("feishu:oc_group") == group and again.chat("feishu:oc_alice") == alice
        assert again.on(bob, "feishu") == "feishu:ou_bob" and again.group(group) == "feishu:oc_group"
        assert again.person("telegram:42") == 42 and again.on(42, "telegram") == "telegram:42"
        assert again.on(alice, "telegram") is None and again.telegram_chat(alice) is None


def test_a_linked_identity_is_the_person_both_ways_and_survives_a_restart(tmp_path: Path) -> None:
    with Database.open(tmp_path) as db, db.unit():
        ids = Identities(db.table(TABLE))
        stranger = ids.add("feishu:ou_lin", "林")
        ids.private_chat("feishu:oc_lin", stranger)
        ids.link("feishu:ou_lin", 7)  # Lin, Telegram 7, links their Feishu account
        ids.link("telegram:99", stranger - 1)  # someone else's second messenger
    with Database.open(tmp_path) as db:
        ids = Identities(db.table(TABLE))
        assert ids.person("feishu:ou_lin") == 7 and ids.chat("feishu:oc_lin") == 7
        assert ids.of(7) == ["telegram:7", "feishu:ou_lin"]
        assert ids.on(7, "feishu") == "feishu:ou_lin"
        # The number the account had still reaches it: the answer to the /start that linked it.
        assert ids.on(stranger, "feishu") == "feishu:ou_lin" and ids.of(stranger) == []
        assert ids.telegram_person(99) == stranger - 1 and ids.telegram_chat(stranger - 1) == 99
        assert ids.telegram_chat(99) is None and ids.telegram_person(7) == 7
        assert ids.add("feishu:ou_new") > stranger  # no number given twice


def old_data_dir(path: Path) -> tuple[int, int]:
    """A data dir as the bot left it before identities: Telegram staff, Feishu staff with the
    Feishu transport's ``feishu_ids`` (a person, a group, her private chat noted twice)."""
    with Database.open(path, MIGRATIONS[:4]) as db:
        feishu = db.table("feishu_ids")
        feishu.insert({"kind": "user", "key": "ou_mei", "name": "美"})
        feishu.insert({"kind": "group", "key": "oc_team"})
        feishu.insert({"kind": "p2p", "key": "oc_mei", "user": BASE + 1})
        feishu.insert({"kind": "p2p", "key": "oc_mei", "user": BASE + 1})
        staff = db.table("staff")
        for user_id, name in ((1001, "Lin"), (BASE + 1, "美")):
            doc = to_doc(Staff(user_id, name, Role.STAFF, JOINED))
            del doc["identities"]
            staff.insert(Document(doc, user_id))
    return 1001, BASE + 1


def test_an_old_data_dir_gets_identities_on_every_staff_record_and_keeps_its_ids(tmp_path: Path) -> None:
    lin, mei = old_data_dir(tmp_path)
    for _ in range(2):  # the second start finds the schema current
        with Database.open(tmp_path) as db:
            assert db.schema_version == CURRENT_SCHEMA_VERSION
            staff = StaffRepository(db.table("staff"))
            assert identities_of(staff, lin) == ("telegram:1001",)
            assert identities_of(staff, mei) == ("feishu:ou_mei",)
            ids = Identities(db.table(TABLE))
            assert ids.person("feishu:ou_mei") == mei and ids.name("feishu:ou_mei") == "美"
            assert ids.chat("feishu:oc_team") == -(BASE + 2) and ids.chat("feishu:oc_mei") == mei
            assert ids.person("telegram:1001") == lin
            assert db.table("feishu_ids").all() == []
            assert ids.add("feishu:ou_new") == BASE + 5  # after every number given before


def identities_of(staff: StaffRepository, user_id: int) -> tuple[str, ...]:
    found = staff.get(user_id)
    assert found is not None
    return found.identities


def test_the_migration_run_again_after_a_crash_changes_nothing(tmp_path: Path) -> None:
    old_data_dir(tmp_path)
    with Database.open(tmp_path) as db:
        after = {name: db.table(name).all() for name in ("staff", "identities", "feishu_ids")}
        MIGRATIONS[4].apply(db)  # as if the version had not been stamped
        assert {name: db.table(name).all() for name in after} == after
