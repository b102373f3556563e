"""The bot's memory at start: pypinyin's phrases kept compact give the very readings pypinyin's own
give, and the libraries only documents need are not loaded until a document is made."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pypinyin.seg import mmseg

from bot.domain.pinyin import CompactPhrases, SortedPrefixes, lazy_pinyin, pypinyin


def test_every_phrase_reads_as_pypinyin_s_own_file_says() -> None:
    stock = json.loads(Path(pypinyin.__file__).with_name("phrases_dict.json").read_text(encoding="utf-8"))
    compact = pypinyin.constants.PHRASES_DICT
    assert isinstance(compact, CompactPhrases) and len(compact) == len(stock)
    assert all(compact[phrase] == readings for phrase, readings in stock.items())
    assert lazy_pinyin("重庆银行长沙分行") == ["chong", "qing", "yin", "hang", "chang", "sha", "fen", "hang"]


def test_the_bot_starts_without_the_libraries_only_documents_need() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, bot.app; print(' '.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True).stdout.split()
    heavy = ("matplotlib", "fpdf", "openpyxl", "icalendar", "pypinyin.phrases_dict")
    assert [name for name in loaded if name.split(".")[0] in heavy or name in heavy] == []


def test_the_segmenter_finds_the_phrases_the_stock_prefix_set_finds() -> None:
    stock = mmseg.PrefixSet()
    stock.train(pypinyin.constants.PHRASES_DICT.keys())
    compact = mmseg.seg._prefix_set
    assert isinstance(compact, SortedPrefixes)
    asked = {phrase[:end] for phrase in pypinyin.constants.PHRASES_DICT for end in range(1, len(phrase) + 2)}
    asked |= {"", "重庆银行长沙分行", "zz", "长沙分行x"}
    assert [key for key in asked if (key in compact) != (key in stock)] == []
    text = "重庆银行长沙分行的行长在银行门口，北京海川科技有限公司"
    assert list(mmseg.seg.cut(text)) == list(mmseg.Seg(stock, no_non_phrases=True).cut(text))
