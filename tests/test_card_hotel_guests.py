"""The visit card says who stays at the hotel, listed as the reader's language lists names: the host
who ticked two of three visitors at the hotel step sees those two on the lodging line."""

from __future__ import annotations

import pytest

from tests.documents_support import HOST, add_full_visit, add_staff
from tests.support.chat import MONDAY_9AM, World
from tests.test_guests_and_notes import walk

# The lodging line the host reads on the card once the visit of ``test_guests_and_notes`` is saved.
SAVED = {"zh-hans": ("保存", "🏨 住宿：香格里拉酒店（客户自理），入住：张伟、李娜"),
         "en": ("💾 Save", "🏨 Lodging: Hilton (paid by the guests), staying: Zhang Wei, Li Na")}


@pytest.mark.parametrize("language_code", SAVED)
def test_the_host_reads_who_stays_at_the_hotel_on_the_card(world: World, language_code: str) -> None:
    save, lodging = SAVED[language_code]
    world.clock.current = MONDAY_9AM
    host = world.person(1, "Lin", language_code=language_code).send("/start")
    walk(host, language_code)
    host.press(save)
    assert lodging in host.last.text.splitlines()
    assert lodging in host.send("/visit 1").last.text.splitlines()


def test_a_host_reading_traditional_chinese_sees_the_guests_on_the_card(world: World) -> None:
    add_staff(world)
    add_full_visit(world)
    host = world.person(HOST, "林曉", language_code="zh-hant")
    assert "🏨 住宿：浦东香格里拉大酒店（我方承擔），入住：David Lee、张伟" in host.send("/visit 1").last.text
