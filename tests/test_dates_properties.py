"""Properties of the date reader that must hold for any clock, zone and phrase."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.dates import read_datetime, read_period
from tests.date_phrases import PERIODS, PHRASES

ZONES = [ZoneInfo(name) for name in (
    "Asia/Shanghai", "Asia/Taipei", "Asia/Hong_Kong", "UTC", "America/New_York", "Europe/Berlin",
    "Asia/Kolkata", "Pacific/Chatham", "America/St_Johns", "Pacific/Kiritimati", "Pacific/Pago_Pago",
)]  # fmt: skip
COMPANY_ZONES = [ZONES[0], ZONES[1], ZONES[5], ZONES[4]]  # Shanghai, Taipei, Berlin (DST), New York (DST)

nows = st.datetimes(
    min_value=datetime(2001, 1, 1),
    max_value=datetime(2098, 12, 31),
    timezones=st.sampled_from(ZONES),
    allow_imaginary=False,
)
company_zones = st.sampled_from(COMPANY_ZONES)

# Phrases put together from a day, a part of the day and a time, each of which may be missing.
_DAYS = ["", "今天", "明天", "后天", "下周二", "这周日", "12月5日", "5号", "月底", "tomorrow", "friday"]
_PARTS = ["", "上午", "下午", "晚上", "凌晨", "中午", "半夜", "afternoon"]
_TIMES = ["", "3点", "10点半", "12点", "十二点一刻", "8:05", "0点", "11点", "3pm"]
composed = st.builds(
    lambda *pieces: " ".join(pieces).strip(), *(st.sampled_from(words) for words in (_DAYS, _PARTS, _TIMES))
)
phrases = st.one_of(
    st.sampled_from([text for _, text, _ in PHRASES]),
    composed,
    st.text(alphabet=st.sampled_from("0123456789:/-. 年月日号点时分半刻周下上午晚明后天am pm"), max_size=20),
    st.text(max_size=40),
)

hours12, minutes = st.integers(1, 12), st.integers(0, 59)
times_of_day = st.one_of(
    st.builds("{}:{:02d}".format, st.integers(0, 23), minutes),
    st.builds("{}{}".format, hours12, st.sampled_from(["am", "pm", " am", " p.m."])),
    st.builds("{}:{:02d}pm".format, hours12, minutes),
    st.builds("下午{}点".format, st.integers(1, 11)),
    st.builds("上午{}点{}分".format, st.integers(0, 11), minutes),
    st.builds("晚上{}点半".format, st.integers(6, 11)),
    st.builds("凌晨{}点".format, st.integers(0, 5)),
    st.builds("{}点".format, st.integers(0, 23)),
    st.sampled_from(["noon", "midnight", "中午12点", "午夜", "半夜12点", "十二点一刻", "１２：３０"]),
)


@settings(max_examples=300, deadline=None)
@given(text=phrases, now=nows, tz=company_zones, prefer_future=st.booleans())
def test_results_are_aware_and_in_the_company_zone(
    text: str, now: datetime, tz: ZoneInfo, prefer_future: bool
) -> None:
    reading = read_datetime(text, now=now, tz=tz, prefer_future=prefer_future)
    assert (reading.value is None) == (reading.kind == "unreadable") == (reading.problem is not None)
    if reading.value is not None:
        assert reading.value.tzinfo is tz
        assert reading.value.utcoffset() is not None
    if reading.kind == "date_only":
        assert reading.value is not None
        assert (reading.value.hour, reading.value.minute) == (0, 0)


@settings(max_examples=300, deadline=None)
@given(text=times_of_day, now=nows, tz=company_zones)
def test_a_time_of_day_is_never_in_the_past(text: str, now: datetime, tz: ZoneInfo) -> None:
    reading = read_datetime(text, now=now, tz=tz)
    assert reading.kind == "datetime", text
    assert reading.value is not None
    assert not reading.is_past
    assert now.replace(second=0, microsecond=0) <= reading.value < now + timedelta(days=2)


@settings(max_examples=300, deadline=None)
@given(text=phrases, now=nows, tz=company_zones, other=st.sampled_from(ZONES))
def test_the_zone_now_is_told_in_does_not_matter(
    text: str, now: datetime, tz: ZoneInfo, other: ZoneInfo
) -> None:
    here = read_datetime(text, now=now, tz=tz)
    there = read_datetime(text, now=now.astimezone(other), tz=tz)
    assert here == there
    if here.value is not None and there.value is not None:
        assert here.value.tzinfo is there.value.tzinfo is tz
        assert here.value.replace(tzinfo=None) == there.value.replace(tzinfo=None)
    assert read_period(text, now=now, tz=tz) == read_period(text, now=now.astimezone(other), tz=tz)


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(phrases, st.sampled_from([text for _, text, _, _ in PERIODS])),
    now=nows,
    tz=company_zones,
)
def test_a_period_never_ends_before_it_starts(text: str, now: datetime, tz: ZoneInfo) -> None:
    period = read_period(text, now=now, tz=tz)
    if period is not None:
        first, last = period
        assert first <= last
