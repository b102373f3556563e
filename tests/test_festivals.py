"""The festival calendar: China's festivals (the lunar ones computed) for 2026-2030, a client
abroad's own festivals plus the great Chinese ones, and which days get no greeting."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.festivals import FestivalKind, client_festivals, local_name, national_festivals

K = FestivalKind
# Checked against the published calendars (the lunar dates) and China's statutory days.
CHINA = {  # year: Spring Festival, Qingming, Dragon Boat, Mid-Autumn, National Day
    2026: ((2, 17), (4, 5), (6, 19), (9, 25), (10, 1)),
    2027: ((2, 6), (4, 5), (6, 9), (9, 15), (10, 1)),
    2028: ((1, 26), (4, 4), (5, 28), (10, 3), (10, 1)),
    2029: ((2, 13), (4, 4), (6, 16), (9, 22), (10, 1)),
    2030: ((2, 3), (4, 5), (6, 5), (9, 12), (10, 1)),
}
KINDS = (K.SPRING_FESTIVAL, K.QINGMING, K.DRAGON_BOAT, K.MID_AUTUMN, K.NATIONAL_DAY)


@pytest.mark.parametrize("year", sorted(CHINA))
def test_china_festivals_fall_on_their_real_days(year: int) -> None:
    found = {festival.kind: festival.day for festival in national_festivals("CN", year)}
    for kind, (month, day) in zip(KINDS, CHINA[year], strict=True):
        assert found[kind] == date(year, month, day), (year, kind)
    assert found[K.NEW_YEAR] == date(year, 1, 1)


def test_each_festival_appears_once_on_its_first_day() -> None:
    days = [f.day for f in national_festivals("CN", 2027) if f.kind is K.SPRING_FESTIVAL]
    assert days == [date(2027, 2, 6)]  # not the other days off, nor the "(observed)" ones


def test_2028_mid_autumn_shares_a_day_with_national_day_week() -> None:
    kinds = {f.kind for f in national_festivals("CN", 2028) if f.day == date(2028, 10, 3)}
    assert kinds == {K.MID_AUTUMN}


def test_a_chinese_client_is_greeted_on_china_s_festivals_but_not_on_qingming() -> None:
    kinds = [f.kind for f in client_festivals("CN", date(2026, 1, 1), date(2026, 12, 31))]
    assert kinds == [K.NEW_YEAR, K.SPRING_FESTIVAL, K.DRAGON_BOAT, K.MID_AUTUMN, K.NATIONAL_DAY]


def test_a_client_abroad_gets_its_own_festivals_and_the_great_chinese_ones() -> None:
    us = {(f.kind, f.day) for f in client_festivals("US", date(2026, 1, 1), date(2026, 12, 31))}
    assert (K.THANKSGIVING, date(2026, 11, 26)) in us
    assert (K.OWN_NATIONAL_DAY, date(2026, 7, 4)) in us
    assert (K.SPRING_FESTIVAL, date(2026, 2, 17)) in us and (K.MID_AUTUMN, date(2026, 9, 25)) in us
    assert K.NATIONAL_DAY not in {kind for kind, _ in us}  # China's 1 October is ours, not theirs
    assert all(kind is not K.LABOUR_DAY for kind, _ in us)  # US Labor Day is a day off, no greeting


def test_a_lunar_new_year_abroad_is_not_greeted_twice() -> None:
    singapore = [f for f in client_festivals("SG", date(2026, 2, 1), date(2026, 2, 28))]
    assert [(f.kind, f.country) for f in singapore] == [(K.SPRING_FESTIVAL, "SG")]


def test_window_across_new_year_and_unknown_countries() -> None:
    kinds = [f.kind for f in client_festivals("DE", date(2026, 12, 24), date(2027, 1, 2))]
    assert kinds == [K.CHRISTMAS, K.NEW_YEAR]
    assert [f.kind for f in client_festivals("XX", date(2026, 9, 20), date(2026, 9, 30))] == [K.MID_AUTUMN]


def test_foreign_festival_names_in_the_reader_s_language_when_known() -> None:
    unity = next(f for f in national_festivals("DE", 2026) if f.kind is K.OWN_NATIONAL_DAY)
    assert local_name(unity, "en") == "German Unity Day"
    assert local_name(unity, "zh_Hans") == "German Unity Day"  # the package has no Chinese for it
    hong_kong = next(f for f in national_festivals("HK", 2026) if f.kind is K.DRAGON_BOAT)
    assert local_name(hong_kong, "zh_Hant") == "端午節"
