"""Yes or No typed to any question the bot asks with Yes / No buttons: a step of a form ("does the
guest need a hotel?"), or a question about what was just done ("…对吗？", "Cancel the form?"). A busy
host types 嗯 or "yes." instead of pressing, and the same words must count at every such question;
anything else is not a Yes or No (at a confirmation it is read as a new answer: 对 is no date).

A form's step asks whether something is needed or there is one (接机？住宿？), so there 要 / 有 /
不需要 / 没有 answer it too, as do the 1 and 0 a spreadsheet habit types. At a confirmation they
would be guesses ("有" to "discard the form?"), so they count at form steps only.
"""

from __future__ import annotations

import unicodedata

YES = frozenset({"是", "是的", "对", "對", "对的", "對的", "好", "好的", "没错", "沒錯", "嗯", "嗯嗯", "行",
                 "可以", "yes", "y", "ok", "okay", "sure", "yeah", "yep", "right", "correct"})
NO = frozenset({"否", "不", "不是", "不对", "不對", "错", "錯", "错了", "錯了", "不用", "不用了",
                "no", "n", "nope", "wrong"})
# Whether something is needed or there is one: 要 / 需要 / 有, and a form's 1 / 0.
NEED_YES = frozenset({"要", "需要", "有", "1"})
NEED_NO = frozenset({"不要", "不需要", "没有", "沒有", "无", "無", "0"})
# Said around the word and meaning nothing more: "对！", "Yes.", "好的~", "不用了，谢谢", "yes please".
_AROUND = " \t.,!?~。，！？～…"
_POLITE = ("谢谢", "謝謝", "thanks", "thank you", "please")


def read_confirmation(text: str, *, need: bool = False) -> bool | None:
    """True for a typed Yes, False for a typed No, None for anything else; ``need`` when the
    question asks whether something is needed or there is one (a form's yes / no step)."""
    word = plain_word(text)
    if word in YES or (need and word in NEED_YES):
        return True
    if word in NO or (need and word in NEED_NO):
        return False
    return None


def plain_word(text: str) -> str:
    """What was typed, folded (full-width letters, case) and without what is said around it."""
    word = unicodedata.normalize("NFKC", text).strip(_AROUND).lower()
    for polite in _POLITE:
        word = word.removesuffix(polite).strip(_AROUND)
    return word
