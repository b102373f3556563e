""""Not known yet" as people type it to a question whose answer comes later: 待定, 未定, TBD, to be
decided. Read only as the whole answer, so that "TBD CA1234" or a name holding 定 stays what it is."""

from __future__ import annotations

import unicodedata

_UNDECIDED = {"待定", "未定", "待确定", "待確定", "未确定", "未確定", "还没定", "還沒定", "tbd", "tba", "tbc",
              "to be decided", "to be confirmed", "to be announced", "not known yet", "not yet known"}
# Punctuation a phone adds or a hand types after the word ("TBD.", "待定。").
_TRAILING = " .。!！?？~～"


def is_undecided(text: str) -> bool:
    """Whether ``text`` says the answer is not known yet."""
    typed = " ".join(unicodedata.normalize("NFKC", text).lower().split()).strip(_TRAILING)
    return typed in _UNDECIDED
