"""The rules under the client screens, called directly: how a contact is greeted, how a day is read,
how names are found (ranking, pinyin, the other script, writes) and how fast at 5,000 clients."""

from __future__ import annotations

import random
from datetime import date

import pytest

from bot.domain.clients import NO_YEAR, fold, greeting_name
from bot.domain.contact_fields import day_text, read_day
from bot.services.clients import NameIndex


@pytest.mark.parametrize(("name", "title", "locale", "greeting"), [
    ("张伟", "总经理", "zh_Hans", "张总"),
    ("张伟", "副总经理", "zh_Hans", "张总"),
    ("王芳", "董事长", "zh_Hans", "王总"),
    ("李强", "总裁", "zh_Hant", "李總"),
    ("陈静", "总经理助理", "zh_Hans", "陈助理"),
    ("欧阳娜", "经理", "zh_Hans", "欧阳经理"),
    ("欧阳娜", "采购部经理", "zh_Hant", "欧阳經理"),
    ("司马光", "处长", "zh_Hans", "司马处长"),
    ("诸葛亮", "办公室主任", "zh_Hans", "诸葛主任"),
    ("諸葛明", "局長", "zh_Hant", "諸葛局長"),
    ("刘洋", "高级工程师", "zh_Hans", "刘工"),
    ("赵敏", "General Manager", "zh_Hans", "赵总"),
    ("孙丽", "采购专员", "zh_Hans", "孙丽"),
    ("孙丽", "", "zh_Hans", "孙丽"),
    ("张伟", "总经理", "en", "张伟 (总经理)"),
    ("David Lee", "Purchasing Director", "zh_Hans", "David Lee (Purchasing Director)"),
    ("David Lee", "Purchasing Director", "en", "David Lee (Purchasing Director)"),
    ("Anna Schmidt", "", "en", "Anna Schmidt"),
])
def test_greeting_name(name: str, title: str, locale: str, greeting: str) -> None:
    assert greeting_name(name, title, locale) == greeting


@pytest.mark.parametrize(("text", "day"), [
    ("1985-03-12", date(1985, 3, 12)),
    ("1985/3/12", date(1985, 3, 12)),
    ("1985年3月12日", date(1985, 3, 12)),
    ("３月１２号", date(NO_YEAR, 3, 12)),
    ("03-12", date(NO_YEAR, 3, 12)),
    ("2月29日", date(NO_YEAR, 2, 29)),
    ("12 Mar", date(NO_YEAR, 3, 12)),
    ("12th March 1985", date(1985, 3, 12)),
    ("March 12, 1985", date(1985, 3, 12)),
    ("Sept 1", date(NO_YEAR, 9, 1)),
    ("31 Feb", None),
    ("1985-13-01", None),
    ("12 Marchy", None),
    ("明年", None),
    ("1066-10-14", None),
])
def test_reading_a_day(text: str, day: date | None) -> None:
    assert read_day(text) == day
    if day is not None:
        assert read_day(day_text(day)) == day  # what the edit form pre-fills reads back


def test_fold_ignores_case_width_and_spacing() -> None:
    assert fold("ＡＣＭＥ  Ltd ") == fold("acme ltd") == "acme ltd"
    assert fold("张 伟") == fold("张伟")


def index(*names: str) -> NameIndex:
    built = NameIndex()
    for client_id, name in enumerate(names, 1):
        built.put(client_id, name)
    return built


def test_whole_names_and_prefixes_rank_before_matches_inside() -> None:
    names = index("深圳华为", "华为技术有限公司", "华为", "Hua Wei Trading")
    assert names.search("华为", 8) == [3, 2, 1]
    assert names.search("huawei", 8) == [3, 2, 4, 1]  # pinyin: whole, prefix, then inside
    assert names.search("hua", 2) == [4, 3]  # as typed before pinyin; then the shorter name


def test_pinyin_matches_from_a_syllable_start_only() -> None:
    names = index("华为", "中兴通讯")
    assert names.search("wei", 8) == [1]
    assert names.search("uawei", 8) == []
    assert names.search("zxtx", 8) == [2]
    assert names.search("tongxun", 8) == [2]


def test_the_other_script_is_found_through_readings() -> None:
    names = index("长城汽车", "華碩電腦")
    assert names.search("長城", 8) == [1]
    assert names.search("华硕电脑", 8) == [2]
    assert names.search("汽车长城", 8) == []


def test_the_index_follows_writes() -> None:
    names = index("华为")
    names.put(2, "腾讯")
    assert names.search("tx", 8) == [2]
    names.put(2, "阿里巴巴")
    assert names.search("tx", 8) == []
    assert names.search("alibaba", 8) == [2]
    assert names.named("阿里 巴巴") == 2
    names.remove(2)
    assert names.search("alibaba", 8) == []
    assert names.named("阿里巴巴") is None


def test_search_among_5000_clients_finds_the_one_in_any_script() -> None:
    # How fast it is lives in the benchmark (bench/), not here: a timed test fails on a busy machine.
    rng = random.Random(5)
    chars = "华为中兴长城东方明珠海尔美的格力联想小米腾讯阿里京东百度网易比亚迪吉利上汽宝钢平安招商银行光大"
    suffixes = ("科技有限公司", "集团", "股份有限公司", "贸易", "")
    names = [("".join(rng.sample(chars, 3)) + rng.choice(suffixes)) if i % 5 else f"Global Trading {i}"
             for i in range(5000)]
    names[4321] = "华为技术有限公司"
    built = index(*names)
    for query in ("华为", "華為", "huawei", "hw"):
        assert 4322 in built.search(query, 8), query
