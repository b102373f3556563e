"""The places of a tour whose times are not fixed, read as the reader's language lists them: places a
host typed in Chinese are "生产车间; 研发中心" on an English colleague's card, not "生产车间；研发中心"
with the Chinese semicolon, and English places are "workshop；R&D centre" on a Chinese one. A visit saved
before the places were a list (one string joined with the typist's semicolon) shows them so too."""

from __future__ import annotations

import json

import pytest

from bot.domain.staff import Role, Staff
from bot.storage import MIGRATIONS, Database
from tests.documents_support import HOST, MANAGER, add_full_visit, add_staff
from tests.support.chat import MONDAY_9AM, World
from tests.test_guests_and_notes import form_of, walk

# Who types the places (in the /new walk of ``test_guests_and_notes``), who reads the card, and what
# the reader sees: the card's tour line and the form's tour box.
CASES = {
    "typed in Chinese, read in English": (
        "zh-hans", "en", "🏭 Tour: 生产车间; 研发中心",
        "Not fixed: 生产车间; 研发中心 (the departments are told an hour before)", "Tour"),
    "typed in English, read in Chinese": (
        "en", "zh-hans", "🏭 参观：workshop；R&D centre",
        "未定：workshop；R&D centre（参观前一小时通知相关部门）", "参观安排"),
}


@pytest.mark.parametrize("case", CASES)
def test_places_typed_in_one_language_are_listed_in_the_readers(world: World, case: str) -> None:
    typed_in, read_in, card_line, form_box, label = CASES[case]
    world.clock.current = MONDAY_9AM
    host = world.person(1, "Lin", language_code=typed_in).send("/start")
    walk(host, typed_in)
    host.press("保存" if typed_in == "zh-hans" else "💾 Save")
    world.dispatcher.services.access.staff.save(Staff(MANAGER, "Maria Chen", Role.MANAGER, world.clock.now()))
    reader = world.person(MANAGER, "Maria", language_code=read_in)

    assert card_line in reader.send("/visit 1").last.text
    assert form_of(reader)[label] == form_box


def stored_before_places_were_a_list(world: World, places: str) -> None:
    """The full visit as a build of schema 6 left it: its tour one string, as /new joined it."""
    world.db.close()
    with Database.open(world.data_dir) as db, db.unit():
        db.table("visits").update({"tour": places}, doc_ids=[1])
    meta = world.data_dir / "meta.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "schema_version": 6}))
    world.open()


# The string as each earlier build joined the places: "; " first, then the typist's own semicolon.
STORED = ("生产车间; 研发中心", "生产车间；研发中心")


@pytest.mark.parametrize("stored", STORED)
def test_a_visit_saved_with_its_places_as_one_string_lists_each_place(world: World, stored: str) -> None:
    add_staff(world)
    add_full_visit(world)
    stored_before_places_were_a_list(world, stored)
    english = world.person(MANAGER, "Maria", language_code="en")
    chinese = world.person(HOST, "林晓", language_code="zh-hans")
    assert "🏭 Tour: 生产车间; 研发中心" in english.send("/visit 1").last.text
    assert "🏭 参观：生产车间；研发中心" in chinese.send("/visit 1").last.text
    for _ in range(2):  # the second start finds the schema current
        world.restart()
        visit = world.dispatcher.services.visits.get(1)
        assert visit is not None and visit.tour == ("生产车间", "研发中心")


def test_the_places_migration_run_again_after_a_crash_changes_nothing(world: World) -> None:
    add_staff(world)
    add_full_visit(world)
    stored_before_places_were_a_list(world, "生产车间；研发中心")
    before = world.db.table("visits").all()
    MIGRATIONS[6].apply(world.db)  # as if the version had not been stamped
    assert world.db.table("visits").all() == before
