"""Free text in /new that names nothing is said and asked again, what was answered kept: a made-up
country code (ZZ, EU), only emoji or punctuation as the room, hotel or station, a flight or train
number of the wrong shape."""

from __future__ import annotations

import pytest

from bot.domain.typed_undecided import is_undecided
from bot.flows.visit_options import check_travel_number
from tests.support.chat import Person, World
from tests.test_import import upload, xlsx
from tests.visit_chat import by_car_skipping, lin_at_transport


def _answers(world: World, host: Person) -> dict[str, object]:
    dialog = world.dispatcher.services.flows.active(host.id)
    assert dialog is not None
    return dialog.answers


def test_a_made_up_country_code_is_refused_in_chinese(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    host.send("/new").send("华为").press("新客户：华为")
    host.send("ZZ")
    assert host.messages[-2].text.startswith("「ZZ」不是国家或地区的名称或代码")
    assert host.last.text.startswith("2/16 新客户来自哪个国家或地区？")
    host.send("EU")
    assert host.messages[-2].text.startswith("「EU」不是国家或地区的名称或代码")
    host.send("fr")
    assert host.last.text.startswith("3/16 ")
    assert _answers(world, host)["client"] == {"new": "华为"}


def test_a_made_up_country_code_is_refused_in_english_and_a_real_one_named(world: World) -> None:
    host = world.person(1, "Lin", language_code="en").send("/start")
    host.send("/new").send("Huawei").press("New client: Huawei")
    host.send("ZZ")
    assert host.messages[-2].text.startswith("“ZZ” is not a country or region name or code.")
    host.send("fr").press("Skip ▶").send("Anna Schmidt").press("✔ Done").send("C")
    host.send("Business negotiation").press("✔ Done")
    host.send("tomorrow 10am").press("✔ Correct").send("tomorrow 5pm").press("✔ Correct")
    host.press("🚗 Car / own way").press("✔ Done").press("Skip ▶")
    host.send("301").press("Skip ▶").press("Skip ▶").send("no").send("0")
    assert "France" in host.last.text  # the review card names the country typed as its code


def test_emoji_or_punctuation_as_the_room_or_hotel_is_asked_again(world: World) -> None:
    host = lin_at_transport(world, departure="後天下午5點")
    by_car_skipping(host, 1)
    assert host.last.text.startswith("12/17 會議室？")
    host.send("😀")
    assert host.messages[-2].text.startswith("「😀」裡沒有文字或數字")
    assert "會議室" in host.last.text
    host.send("301")
    host.press("跳過 ▶").press("跳過 ▶").press("跳過 ▶").send("是")  # extras, tour, agenda; lodging
    host.send("???")
    assert host.messages[-2].text.startswith("「???」裡沒有文字或數字")
    assert "住哪家酒店" in host.last.text
    host.send("君悅酒店")
    answers = _answers(world, host)
    assert (answers["room"], answers["hotel"], answers["visitors"]) == ("301", "君悅酒店", ["王大明 總經理"])


def test_a_flight_number_of_the_wrong_shape_is_asked_again(world: World) -> None:
    host = lin_at_transport(world, departure="day after tomorrow 5pm", language_code="en")
    host.press("✈️ Flight")
    host.send("😀")
    assert host.messages[-2].text.startswith("“😀” does not look like a flight number.")
    assert host.last.text.startswith("10/21 Flight or train number?")
    host.send("Pudong")
    assert host.messages[-2].text.startswith("“Pudong” does not look like a flight number.")
    host.send("MU 5101")
    host.send("!!!")
    assert host.messages[-2].text.startswith("“!!!” has no letters or digits.")
    assert _answers(world, host)["travel_number"] == "MU 5101"


def test_a_train_number_of_the_wrong_shape_in_chinese(world: World) -> None:
    host = lin_at_transport(world, departure="後天下午5點")
    host.press("🚄 火車/高鐵")
    host.send("高鐵")
    assert host.messages[-2].text.startswith("「高鐵」不像車次")
    host.send("G1234")
    assert _answers(world, host)["travel_number"] == "G1234"


def test_what_shape_a_flight_or_train_number_has() -> None:
    class Said:
        def t(self, key: str, **params: object) -> str:
            return key

    flight, train = {"travel": "flight"}, {"travel": "train"}
    for typed in ("CA1234", "MU 5101", "3U8888", "CI100", "ca1234", "CA1234 / MU5101", "HO1254A"):
        assert check_travel_number(Said(), typed, flight) is None, typed  # type: ignore[arg-type]
    for typed in ("CA12345", "1234", "Pudong", "😀", "C"):
        assert check_travel_number(Said(), typed, flight) is not None, typed  # type: ignore[arg-type]
    for typed in ("G1234", "D301", "K1461", "g 12", "1461", "G1234次",
                  "高铁G7032次列车"):
        assert check_travel_number(Said(), typed, train) is None, typed  # type: ignore[arg-type]
    for typed in ("CA1234", "高鐵", "GG12"):
        assert check_travel_number(Said(), typed, train) is not None, typed  # type: ignore[arg-type]


def test_a_country_typed_by_its_name_is_its_code(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-tw").send("/start")
    host.send("/new").send("空中巴士").press("新客戶：空中巴士")
    host.send("法国")  # the Simplified name, typed by a colleague on a mainland phone
    assert host.last.text.startswith("3/16 ")
    host.press("跳過 ▶").send("Anna Schmidt").press("✔ 選好了").send("C").send("商務洽談").press("✔ 選好了")
    host.send("明天上午10點").press("✔ 對").send("明天下午5點").press("✔ 對")
    by_car_skipping(host, 1)
    host.send("301").press("跳過 ▶").press("跳過 ▶").send("否").send("0")
    assert "國家/地區: 法國" in host.last.text
    host.press("💾 儲存")
    client = world.dispatcher.services.clients.search("空中巴士")[0]
    assert client.country == "FR"


def test_an_imported_client_of_a_made_up_country_is_refused(world: World) -> None:
    me = world.person(1, "Lin", language_code="en").send("/start")
    sheet = xlsx(["Client name", "Country"], ["Acme", "ZZ"], ["Globex", "France"])
    upload(me, "clients.xlsx", sheet)
    assert "Row 2:" in me.last.text and "ZZ" in me.last.text
    assert "1 row can be imported" in me.last.text


@pytest.mark.parametrize("typed", ["待定", "未定", "TBD", "tbd.", "To be decided", "待確定"])
def test_what_reads_as_not_known_yet(typed: str) -> None:
    assert is_undecided(typed)


@pytest.mark.parametrize("typed", ["CA1234", "定", "decided", "TBD CA1234", ""])
def test_what_is_not_read_as_not_known_yet(typed: str) -> None:
    assert not is_undecided(typed)


def test_a_flight_number_typed_as_to_be_decided_is_noted_and_left_open(world: World) -> None:
    host = lin_at_transport(world, departure="day after tomorrow 5pm", language_code="en")
    host.press("✈️ Flight").send("TBD")
    assert host.messages[-2].text == "Noted: the flight or train number is to be decided."
    assert host.last.text.startswith("11/21 "), host.last.text
    assert "travel_number" not in _answers(world, host)  # as Skip leaves it
    host.press("◀ Back").send("to be decided")
    assert host.messages[-2].text == "Noted: the flight or train number is to be decided."


def test_a_train_number_typed_as_daiding_in_chinese(world: World) -> None:
    host = lin_at_transport(world, departure="後天下午5點")
    host.press("🚄 火車/高鐵").send("待定")
    assert host.messages[-2].text == "已記下：航班號或車次待定。"
    assert "travel_number" not in _answers(world, host)


def test_a_flight_number_typed_as_weiding_in_simplified_chinese(world: World) -> None:
    host = lin_at_transport(world, departure="后天下午5点", language_code="zh-hans")
    host.press("✈️ 飞机").send("未定")
    assert host.messages[-2].text == "已记下：航班号或车次待定。"
    assert "travel_number" not in _answers(world, host)
