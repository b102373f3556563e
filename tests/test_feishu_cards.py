"""The core's HTML as Feishu card markdown: formatting kept, what people typed shown as typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.events import Button
from bot.repositories.identities import BASE, TABLE, Identities
from bot.storage import Database
from bot.transports.feishu_cards import card, markdown
from bot.transports.feishu_ids import FeishuIds
from tests.fakefeishu.cards import card_problem, read_card, shown_text


def test_formatting_becomes_markdown() -> None:
    assert markdown("<b>来访 #1</b> · <i>明天</i> <s>取消</s> <u>下划</u> <code>/start ab12</code>") == (
        "**来访 #1** · *明天* ~~取消~~ 下划 /start ab12")
    assert markdown('<a href="https://example.com/a_b">地图</a>') == "[地图](https://example.com/a_b)"


@pytest.mark.parametrize("typed", ["Siemens <AG> & Co", "*Star* _x_ ~y~ `z`", "[a](https://b)", r"C:\temp",
                                   "2*3*4=24", "&lt;not an entity&gt;"])
def test_what_people_typed_shows_as_typed(typed: str) -> None:
    escaped = typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # as the core escapes
    converted = markdown(f"<b>客户</b>：{escaped}")
    assert "<" not in converted
    assert shown_text(converted) == f"客户：{typed}"


def test_links_stay_as_written() -> None:
    """The core writes Feishu's own links (``Capabilities``): no link is rewritten on the way, not
    even a Telegram one someone typed into a note."""
    text = "频道：https://t.me/reception_news\n或 https://example.com/x_y"
    assert markdown(text) == text


def test_keyboard_rows_become_card_buttons_carrying_the_callback_data() -> None:
    sent = card("<b>保存吗？</b>", ((Button("💾 保存", "f:1:save"), Button("&lt;AG&gt;", "f:1:x")),
                                    (Button("地图", url="https://example.com"),)))
    assert card_problem(sent) is None
    text, rows = read_card(sent)
    assert text == "保存吗？"
    assert [[(b.label, b.data, b.url) for b in row] for row in rows] == [
        [("💾 保存", "f:1:save", ""), ("<AG>", "f:1:x", "")], [("地图", "", "https://example.com")]]


def test_feishu_ids_are_stable_and_clash_with_no_telegram_id(tmp_path: Path) -> None:
    db = Database.open(tmp_path)
    with db.unit():
        ids = FeishuIds(Identities(db.table(TABLE)))
        alice = ids.user("ou_alice", "Alice")
        group = ids.chat("oc_group")
        ids.private_chat("oc_alice", alice.id)
        bob = ids.user("ou_bob")
    db.close()
    assert alice.id > BASE and bob.id > alice.id and group < -BASE  # Telegram's ids stay below 2**52
    db = Database.open(tmp_path)
    again = FeishuIds(Identities(db.table(TABLE)))
    assert again.known_user("ou_alice") == alice
    assert again.known_chat("oc_group") == group and again.known_chat("oc_alice") == alice.id
    assert again.open_id(bob.id) == "ou_bob" and again.group(group) == "oc_group"
    db.close()
