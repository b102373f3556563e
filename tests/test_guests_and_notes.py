"""Who stays at the hotel, and notes of several parts, read as the reader's language writes them: the
form's "入住人员：张伟、李娜" (no ASCII comma in Chinese), "忌口：都不喝酒；张伟 不吃辣" with the Chinese
semicolon, and the same in English with its own punctuation. A visit saved before the guests were a
list of names (one string, "David Lee, 张伟") shows them so too."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

import pytest
from openpyxl import load_workbook

from bot.storage import MIGRATIONS, Database
from tests.documents_support import HOST, MANAGER, add_full_visit, add_staff, documents
from tests.support.chat import MONDAY_9AM, Person, World
from tests.test_documents import fields

# The steps of a one-day class-C visit of three, two of whom stay at the hotel, in each language.
WALKS = {
    "zh-hans": (("send", "/new"), ("send", "华为"), ("press", "新客户：华为"), ("press", "中国"),
                ("press", "跳过"), ("send", "张伟 / 总经理，李娜 / 采购经理，王芳 / 工程师"),
                ("press", "张伟 总经理"), ("press", "C类"), ("press", "商务洽谈"), ("press", "选好了"),
                ("send", "明天上午10点"), ("press", "对"), ("send", "明天下午4点"), ("press", "对"),
                ("press", "自驾"), ("press", "选好了"), ("press", "跳过"), ("press", "跳过"),
                ("press", "跳过"), ("send", "生产车间\n研发中心"), ("press", "是"),
                ("send", "香格里拉酒店"), ("press", "客户自理"), ("press", "跳过"),
                ("press", "▫️ 张伟 总经理"), ("press", "▫️ 李娜 采购经理"), ("press", "选好了"),
                ("press", "跳过"), ("press", "跳过"), ("send", "4"), ("press", "跳过"),
                ("send", "都不喝酒，张伟 不吃辣，李娜 素食"), ("press", "跳过")),
    "en": (("send", "/new"), ("send", "Huawei"), ("press", "New client: Huawei"), ("press", "China"),
           ("press", "Skip ▶"), ("send", "Zhang Wei / General manager, Li Na / Buyer, Wang Fang / Engineer"),
           ("press", "Zhang Wei General manager"), ("press", "Class C (ordinary)"),
           ("press", "Business negotiation"), ("press", "✔ Done"), ("send", "tomorrow 10am"),
           ("press", "✔ Correct"), ("send", "tomorrow 4pm"), ("press", "✔ Correct"),
           ("press", "🚗 Car / own way"), ("press", "✔ Done"), ("press", "Skip ▶"), ("press", "Skip ▶"),
           ("press", "Skip ▶"), ("send", "workshop\nR&D centre"), ("press", "Yes"), ("send", "Hilton"),
           ("press", "the guests"), ("press", "Skip ▶"), ("press", "▫️ Zhang Wei General manager"),
           ("press", "▫️ Li Na Buyer"), ("press", "✔ Done"), ("press", "Skip ▶"), ("press", "Skip ▶"),
           ("send", "4"), ("press", "Skip ▶"), ("send", "no alcohol, Zhang Wei no spice, Li Na vegetarian"),
           ("press", "Skip ▶")),
}


def walk(host: Person, language_code: str) -> None:
    for kind, what in WALKS[language_code]:
        host.send(what) if kind == "send" else host.press(what)


def form_of(person: Person, number: int = 1) -> dict[str, object]:
    """The arrangement form's boxes as the XLSX the person gets holds them."""
    sheet = load_workbook(io.BytesIO(documents(person, f"/form {number}")[1].content)).active
    assert sheet is not None
    return fields(sheet)


@dataclass(frozen=True)
class Seen:
    """What the host reads: on the review card, on the saved card, in the form's guests box."""

    review: str
    card: tuple[str, ...]
    label: str
    guests: str
    save: str
    edit: str


SEEN = {
    "zh-hans": Seen("未定：生产车间；研发中心（参观前一小时通知相关部门）",
                    ("🏭 参观：生产车间；研发中心", "🍽 用餐 4 人；忌口：都不喝酒；张伟 不吃辣；李娜 素食"),
                    "入住人员", "张伟、李娜", "保存", "✏️ 修改"),
    "en": Seen("Not fixed: workshop; R&D centre (tell the departments an hour before)",
               ("🏭 Tour: workshop; R&D centre",
                "🍽 Meals for 4; dietary: no alcohol; Zhang Wei no spice; Li Na vegetarian"),
               "Guests staying", "Zhang Wei, Li Na", "💾 Save", "✏️ Edit"),
}


@pytest.mark.parametrize("language_code", SEEN)
def test_two_of_three_at_the_hotel_and_the_notes_read_in_the_hosts_language(
        world: World, language_code: str) -> None:
    seen = SEEN[language_code]
    world.clock.current = MONDAY_9AM
    host = world.person(1, "Lin", language_code=language_code).send("/start")
    walk(host, language_code)
    assert seen.review in host.last.text
    host.press(seen.save)
    for line in seen.card:
        assert line in host.last.text
    assert form_of(host)[seen.label] == seen.guests
    visit = world.dispatcher.services.visits.get(1)
    assert visit is not None and visit.lodging is not None and len(visit.lodging.guests) == 2

    host.press(seen.edit).press(seen.save)  # the guests ticked come back with the edit
    assert form_of(host)[seen.label] == seen.guests


def stored_before_guests_were_a_list(world: World) -> None:
    """The full visit as a build of schema 5 left it: its guests one string joined by ", "."""
    world.db.close()
    with Database.open(world.data_dir) as db, db.unit():
        visits = db.table("visits")
        lodging = visits.get(doc_id=1)["lodging"]  # type: ignore[index]
        visits.update({"lodging": {**lodging, "guests": "David Lee, 张伟"}}, doc_ids=[1])
    meta = world.data_dir / "meta.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "schema_version": 5}))
    world.open()


# Who reads the form of the visit saved before (the host, the manager) and what its guests box holds.
READERS = {"zh-hans": (HOST, "入住人员", "David Lee、张伟"),
           "en": (MANAGER, "Guests staying", "David Lee, 张伟")}


@pytest.mark.parametrize("language_code", READERS)
def test_a_visit_saved_with_its_guests_as_one_string_shows_each_guest(
        world: World, language_code: str) -> None:
    add_staff(world)
    add_full_visit(world)
    stored_before_guests_were_a_list(world)
    user_id, label, guests = READERS[language_code]
    person = world.person(user_id, "Reader", language_code=language_code)
    assert form_of(person)[label] == guests
    for _ in range(2):  # the second start finds the schema current
        world.restart()
        visit = world.dispatcher.services.visits.get(1)
        assert visit is not None and visit.lodging is not None
        assert visit.lodging.guests == ("David Lee", "张伟")


def test_the_guests_migration_run_again_after_a_crash_changes_nothing(world: World) -> None:
    add_staff(world)
    add_full_visit(world)
    stored_before_guests_were_a_list(world)
    before = world.db.table("visits").all()
    MIGRATIONS[5].apply(world.db)  # as if the version had not been stamped
    assert world.db.table("visits").all() == before
