"""The date reader against the phrase tables in ``date_phrases``, plus a few direct checks."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.domain.dates import DateReading, PartOfDay, read_datetime, read_period
from bot.domain.dates_normalise import chinese_numeral, normalise
from tests.date_phrases import AS_SAID, NOWS, PERIODS, PHRASES, SHANGHAI


def expected_reading(spec: str) -> DateReading:
    """Build the reading that a table entry such as "2026-11-24 15:00 past" stands for."""
    if spec.startswith("!"):
        return DateReading("unreadable", None, problem=spec[1:])  # type: ignore[arg-type]
    words = spec.split()
    past, ambiguous = "past" in words, "?" in words
    words = [word for word in words if word not in ("past", "?")]
    day = date.fromisoformat(words[0])
    if len(words) > 1 and ":" in words[1]:
        hour, minute = map(int, words[1].split(":"))
        value = datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)
        return DateReading("datetime", value, is_past=past, hour_ambiguous=ambiguous)
    midnight = datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)
    part = words[1] if len(words) > 1 else None
    return DateReading("date_only", midnight, part_of_day=part, is_past=past)  # type: ignore[arg-type]


def _check(key: str, text: str, spec: str, prefer_future: bool) -> None:
    reading = read_datetime(text, now=NOWS[key], tz=SHANGHAI, prefer_future=prefer_future)
    assert reading == expected_reading(spec), f"{text!r} at {key}"
    if reading.value is not None:
        assert reading.value.tzinfo is SHANGHAI


@pytest.mark.parametrize(("key", "text", "spec"), PHRASES, ids=[f"{k}:{t[:20]}" for k, t, _ in PHRASES])
def test_phrase_table(key: str, text: str, spec: str) -> None:
    _check(key, text, spec, prefer_future=True)


@pytest.mark.parametrize(("key", "text", "spec"), AS_SAID, ids=[f"{k}:{t}" for k, t, _ in AS_SAID])
def test_phrase_table_without_prefer_future(key: str, text: str, spec: str) -> None:
    _check(key, text, spec, prefer_future=False)


@pytest.mark.parametrize(
    ("key", "text", "first", "last"), PERIODS, ids=[f"{k}:{t}" for k, t, _, _ in PERIODS]
)
def test_period_table(key: str, text: str, first: str | None, last: str | None) -> None:
    found = read_period(text, now=NOWS[key], tz=SHANGHAI)
    if first is None or last is None:
        assert found is None
    else:
        assert found == (date.fromisoformat(first), date.fromisoformat(last))


def test_table_is_large_and_covers_every_script() -> None:
    texts = [text for _, text, _ in PHRASES]
    assert len(PHRASES) >= 200
    assert any("週" in text or "點" in text for text in texts)
    assert sum(text.isascii() for text in texts) >= 50
    assert len(PERIODS) >= 40


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        read_datetime("明天", now=datetime(2026, 11, 23, 9, 0), tz=SHANGHAI)
    with pytest.raises(ValueError, match="timezone-aware"):
        read_period("今天", now=datetime(2026, 11, 23, 9, 0), tz=SHANGHAI)


def test_long_input_is_refused_before_parsing() -> None:
    reading = read_datetime("x" * 201, now=NOWS["mon"], tz=SHANGHAI)
    assert reading.kind == "unreadable"
    assert reading.problem == "too_long"
    assert read_period("今天" * 101, now=NOWS["mon"], tz=SHANGHAI) is None


@pytest.mark.parametrize(
    ("run", "digits"),
    [("十", "10"), ("十二", "12"), ("二十", "20"), ("二十五", "25"), ("三十一", "31"), ("二〇二六", "2026"),
     ("零五", "05"), ("两", "2"), ("十十", "十十")],
)  # fmt: skip
def test_chinese_numerals(run: str, digits: str) -> None:
    assert chinese_numeral(run) == digits


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("後天下午3點", "后天下午3点"), ("下週二", "下周2"), ("禮拜天", "周7"), ("星期一十点", "周1 10点"),
     ("１２：３０", "12:30"), ("今晚", "今天晚上"), ("Tonight", "today night"), ("3 P.M.", "3 pm"),
     ("十二点一刻", "12点1刻"), ("这周一共", "这周共")],
)  # fmt: skip
def test_normalise(text: str, canonical: str) -> None:
    assert normalise(text) == canonical


def test_part_of_day_is_never_turned_into_a_time() -> None:
    for text in ("明天下午", "tomorrow afternoon", "明天晚上", "今晚", "明早", "下周二上午"):
        reading = read_datetime(text, now=NOWS["mon"], tz=SHANGHAI)
        assert reading.kind == "date_only", text
        assert reading.part_of_day is not None, text
        assert reading.value is not None
        assert (reading.value.hour, reading.value.minute) == (0, 0)




def test_a_time_alone_falls_on_the_given_day_and_a_full_phrase_ignores_it() -> None:
    now = datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)
    day = date(2026, 12, 8)
    for text, expected in (("4pm", "2026-12-08 16:00"), ("下午4点", "2026-12-08 16:00"),
                           ("8:30", "2026-12-08 08:30"), ("tomorrow 4pm", "2026-12-02 16:00"),
                           ("12月9日下午4点", "2026-12-09 16:00")):
        reading = read_datetime(text, now=now, tz=SHANGHAI, on_day=day)
        assert reading.value is not None and reading.value.strftime("%Y-%m-%d %H:%M") == expected, text



@pytest.mark.parametrize(("text", "part", "expected"), [
    ("3点", "afternoon", "2027-01-01 15:00"), ("at 3", "afternoon", "2027-01-01 15:00"),
    ("9:30", "evening", "2027-01-01 21:30"), ("8点", "morning", "2027-01-01 08:00"),
    ("上午10点", "afternoon", "2027-01-01 10:00"),  # what is typed wins
    ("15:00", "morning", "2027-01-01 15:00"), ("0点", "afternoon", "2027-01-01 00:00"),
])
def test_a_part_of_the_day_said_before_decides_a_bare_hour(text: str, part: PartOfDay, expected: str) -> None:
    """明天下午, then "3点": the afternoon was said, so 15:00, and no question about it."""
    midnight = datetime(2027, 1, 1, tzinfo=SHANGHAI)
    reading = read_datetime(text, now=midnight, tz=SHANGHAI, part_of_day=part)
    assert reading.value is not None and reading.value.strftime("%Y-%m-%d %H:%M") == expected
    assert not reading.hour_ambiguous
    assert read_datetime("3点", now=midnight, tz=SHANGHAI).hour_ambiguous  # nothing decides it
