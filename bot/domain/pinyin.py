"""pypinyin, with its dictionary of phrases kept compact: import ``Style``, ``lazy_pinyin`` and
``pinyin`` from here, never from pypinyin directly.

The phrases (重庆 is chóng qìng, not zhòng qìng; 银行 is yín háng) are what makes a client found by
the pinyin people type. pypinyin reads its 47,000 phrases as lists of lists of strings: 32 MB of the
bot's memory, an eighth of it at 25,000 visits. Here they are read from the same file as one string
each ("chóng qìng") and turned into pypinyin's lists when a phrase is looked up: 9 MB, the same
answers. pypinyin is told not to load its own copy (``PYPINYIN_NO_PHRASES``), and the modules that
look phrases up are given this one.

The rest kept small the same way: the segmenter finds phrases by a set of every prefix of every
phrase (87,000 strings, 7 MB), here a sorted list of the phrases searched by bisection (the same
answers); the characters' readings are pypinyin's dictionary itself, not a copy of it
(``PYPINYIN_NO_DICT_COPY``: the copy only protects the original from ``load_single_dict``, which the
bot never calls), each distinct reading held once (42,000 entries, 8,600 readings).

Written for pypinyin 0.55 (``requirements.lock``); should its modules change,
``tests/test_pinyin.py`` says so.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left
from pathlib import Path
from typing import Any

os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")  # before pypinyin is first imported
os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")

import pypinyin
import pypinyin.constants
import pypinyin.converter
import pypinyin.core
import pypinyin.pinyin_dict
from pypinyin import Style, lazy_pinyin, pinyin
from pypinyin.seg import mmseg, simpleseg

__all__ = ["Style", "lazy_pinyin", "pinyin"]

# One phrase in pypinyin's file: "一丁不识": [["yī"], ["dīng"], ...] (spread over lines).
_PHRASE = re.compile(r'"([^"]+)":\s*\[((?:\s*\[[^\]]*\],?)*)\s*\]')
_READINGS = re.compile(r"\[([^\]]*)\]")
_SYLLABLE = re.compile(r'"([^"]*)"')


class CompactPhrases(dict[str, Any]):
    """Phrase -> its readings, stored as "chóng qìng" (heteronyms as "zhāo,cháo yáng") and handed
    out as pypinyin's lists ([["chóng"], ["qìng"]]); a phrase added the usual way
    (``pypinyin.load_phrases_dict``) stays as given."""

    def __getitem__(self, phrase: str) -> Any:
        value = super().__getitem__(phrase)
        if isinstance(value, str):
            return [syllables.split(",") for syllables in value.split(" ")]
        return value

    def get(self, phrase: str, default: Any = None) -> Any:
        try:
            return self[phrase]
        except KeyError:
            return default


def _read(path: Path) -> CompactPhrases:
    phrases = CompactPhrases()
    for match in _PHRASE.finditer(path.read_text(encoding="utf-8")):
        readings = (",".join(_SYLLABLE.findall(found)) for found in _READINGS.findall(match[2]))
        phrases[match[1]] = " ".join(readings)
    return phrases


class SortedPrefixes(mmseg.PrefixSet):
    """What the segmenter asks of its prefix set, ``prefix in it``: is ``prefix`` the beginning of
    some phrase? Answered by bisection over the phrases sorted, without a set of every prefix."""

    def __init__(self, phrases: list[str]) -> None:
        self._sorted = sorted(phrases)

    def train(self, word_s: Any) -> None:
        self._sorted = sorted({*self._sorted, *word_s})

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str) or not key:
            return False
        at = bisect_left(self._sorted, key)
        return at < len(self._sorted) and self._sorted[at].startswith(key)


def _share_readings(readings: dict[int, str]) -> None:
    """Each distinct reading ("yī") one string object for all the characters read so."""
    shared: dict[str, str] = {}
    for char, reading in readings.items():
        readings[char] = shared.setdefault(reading, reading)


if not pypinyin.constants.PHRASES_DICT:  # pypinyin did not load its own phrases (imported here first)
    _phrases = _read(Path(pypinyin.__file__).with_name("phrases_dict.json"))
    for _module in (pypinyin.constants, pypinyin.converter, pypinyin.core, simpleseg, mmseg):
        _module.PHRASES_DICT = _phrases  # type: ignore[attr-defined]
    mmseg.seg._prefix_set = SortedPrefixes(list(_phrases))  # the segmenter learns the phrases' prefixes
    _share_readings(pypinyin.pinyin_dict.pinyin_dict)
