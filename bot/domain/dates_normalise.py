"""Turn a typed date/time phrase into one canonical spelling before anything tries to read it.

dateparser's Chinese support covers only the simplest forms (it reads 明天 and 周二, but not
明天下午3点, 下周二 or 12月5日14:30, and it turns 明天下午 into 10:00 without a word), and it knows
nothing of Traditional characters mixed with Simplified ones, Chinese numerals or full-width
digits. So every phrase is first rewritten here into one spelling:

* NFKC: full-width digits and punctuation become ASCII (１２：３０ -> 12:30), then lower case;
* Traditional -> Simplified for the characters that occur in date words (後天 -> 后天, 點 -> 点);
* weekday names become ``周1`` .. ``周7`` (星期二, 礼拜二, 週二 -> 周2), 号 -> 日, 时 -> 点;
* words that carry a part of the day are split (今晚 -> 今天晚上, tonight -> today night);
* Chinese numerals become digits (十二点一刻 -> 12点1刻, 二〇二六年 -> 2026年).

The grammar in ``dates_clock`` and ``dates_calendar`` then only has to know the canonical forms.
"""

from __future__ import annotations

import re
import unicodedata

# Only characters that occur in date and time words; a full converter (e.g. OpenCC) is not needed.
_TRADITIONAL = str.maketrans(
    {
        "後": "后",
        "週": "周",
        "點": "点",
        "時": "时",
        "號": "号",
        "禮": "礼",
        "這": "这",
        "個": "个",
        "兩": "两",
        "鐘": "钟",
        "淩": "凌",
        "裡": "里",
        "裏": "里",
        "間": "间",
        "來": "来",
        "誰": "谁",
        "們": "们",
        "幾": "几",
        "約": "约",
    }
)

_DIGIT_CHARS = ("零〇", "一", "二两", "三", "四", "五", "六", "七", "八", "九")
_DIGITS = {char: value for value, chars in enumerate(_DIGIT_CHARS) for char in chars}
_WEEKDAYS = {char: value for value, char in enumerate("一二三四五六日", start=1)} | {"天": 7}

# 这周一共 ("this week, in all"), 周一起 ... are not weekdays: these words lose their 一 (below).
_NOT_NUMERAL = r"一(?=[共起直定般样])"
_WEEKDAY_RE = re.compile(rf"(?:星期|礼拜|周)(?!{_NOT_NUMERAL})([一二三四五六日天1-7])")
_NUMERAL_RE = re.compile(r"[零〇一二两三四五六七八九十]+")
_CJK_SPACE_RE = re.compile(r"\s*([\u3000-\u303f\u4e00-\u9fff])\s*")

# Rewrites applied after NFKC, lower-casing and the Traditional->Simplified table, in this order.
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"[’`]", "'"),
        (r"\ba\.m\.?", "am"),
        (r"\bp\.m\.?", "pm"),
        (r"[,，、;；!！?？。]+", " "),
        (r"\.\s*$", ""),
        (r"号", "日"),
        (r"(?<!小)时", "点"),
        (r"点钟", "点"),
        (r"分钟", "分"),
        (r"今晚", "今天晚上"),
        (r"明晚", "明天晚上"),
        (r"昨晚", "昨天晚上"),
        (r"今早", "今天早上"),
        (r"明早|明晨", "明天早上"),
        (r"\b(?:tmrw?|tmw|tomorow|tommorow)\b", "tomorrow"),
        (r"\bhalf past (\d{1,2})\b", r"\1:30"),
        (r"\bquarter past (\d{1,2})\b", r"\1:15"),
        (r"(?<![\d.])(\d{1,2})\.(\d{2})\s*(am|pm)\b", r"\1:\2\3"),  # 3.30pm
        (r"(上午|下午|早上|中午|傍晚|晚上|凌晨)(\d{1,2})\.(\d{2})(?!\d)", r"\1\2:\3"),  # 下午3.30
        (r"\btonight\b", "today night"),
        (r"\bthis (morning|afternoon|evening)\b", r"today \1"),
        (r"\bin the (morning|afternoon|evening)\b", r"\1"),
        (r"\bat night\b", "night"),
    )
)


def _weekday(match: re.Match[str]) -> str:
    day = match.group(1)
    number = _WEEKDAYS.get(day, int(day) if day.isdigit() else 0)
    # The trailing space keeps the weekday digit apart from a following numeral (周一十点 -> 周1 10点).
    return f"周{number} "


def chinese_numeral(run: str) -> str:
    """Digits for a run of Chinese numerals: 十二 -> 12, 二十五 -> 25, 二〇二六 -> 2026, 零五 -> 05.

    A run that is not a number below 100 (十十, 一百) is returned unchanged, so it stays unreadable.
    """
    if "十" not in run:
        return "".join(str(_DIGITS[char]) for char in run)
    tens, _, ones = run.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return run
    return str(_DIGITS.get(tens, 1) * 10 + _DIGITS.get(ones, 0))


def normalise(text: str) -> str:
    """The canonical spelling of a date/time phrase (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_TRADITIONAL)
    text = _WEEKDAY_RE.sub(_weekday, text)
    text = re.sub(_NOT_NUMERAL, "", text)
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    text = _NUMERAL_RE.sub(lambda match: chinese_numeral(match.group(0)), text)
    text = re.sub(r"\s+", " ", text).strip()
    return _CJK_SPACE_RE.sub(r"\1", text)
