"""A list shown to a person reads as their language writes it, never with ASCII commas in Chinese: the
value of a labelled line joined by 、 alone ("当前：张伟、李娜、王芳"), and what was typed shown as typed
(escaped once). Lists inside a sentence ("需部门负责人、总经理和副总审批") are in test_programme."""

from __future__ import annotations

import pytest

from tests.support.chat import Person, World


def start_new_visit(world: World, language_code: str) -> Person:
    host = world.person(1, "Lin", language_code=language_code).send("/start")
    if language_code == "zh-hans":
        host.send("/new").send("华为").press("新客户：华为").press("中国").press("跳过")
    elif language_code == "zh-tw":
        host.send("/new").send("華為").press("新客戶：華為").press("台灣").press("跳過")
    else:
        host.send("/new").send("Huawei").press("New client: Huawei").press("Singapore").press("Skip ▶")
    return host


@pytest.mark.parametrize(("language_code", "typed", "shown"), [
    ("zh-hans", "张伟，李娜，明天下午3点，王芳", "当前：张伟、李娜、王芳"),
    ("zh-tw", "張偉，李娜，明天下午3點，王芳", "目前：張偉、李娜、王芳"),
    ("en", "Zhang Wei, Li Na, tomorrow, Wang & Co", "Now: Zhang Wei, Li Na, Wang & Co"),
])
def test_the_visitors_typed_so_far_read_as_a_list_of_the_language(world: World, language_code: str,
                                                                  typed: str, shown: str) -> None:
    host = start_new_visit(world, language_code)
    host.send(typed)  # the date is refused and the names kept, listed under the question again
    assert shown in host.last.text
