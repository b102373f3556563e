"""One visitor's phone needs no name before it, but it needs a number: text with none is asked again."""

from __future__ import annotations

from tests.support.chat import World
from tests.visit_chat import lin_at_transport


def test_one_visitors_phone_without_a_number_is_asked_again(world: World) -> None:
    host = lin_at_transport(world, departure="後天下午5點")
    host.press("✈️ 飛機")
    host.send("CI100").send("桃園機場").send("明天上午9點").press("✔ 對").press("是")
    assert host.last.text.startswith("14/24 來訪人員的手機號碼")
    host.send("😀")
    assert host.messages[-2].text == "這裡沒有讀到電話號碼。請輸入王大明的手機號碼，例如 0912345678。"
    assert host.last.text.startswith("14/24 來訪人員的手機號碼")
    host.send("0912 345 678")
    assert host.last.text.startswith("15/24 誰去接？")
