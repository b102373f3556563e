"""Yes or No typed to a question the bot asks with Yes / No buttons ("…对吗？", "Cancel the form?"):
a busy host types 对 or "yes" instead of pressing, and it must act as the button, not be read as a
new answer (对 as a date is unreadable). Only these plain words count; anything else is an answer.
"""

from __future__ import annotations

import unicodedata

YES = frozenset({"对", "對", "对的", "對的", "是", "是的", "好", "好的", "没错", "沒錯", "嗯",
                 "yes", "y", "ok", "okay", "right", "correct"})
NO = frozenset({"不对", "不對", "不是", "错", "錯", "错了", "錯了", "不", "no", "n", "wrong"})
# Said around the word and meaning nothing more: "对！", "yes.", "好的~".
_AROUND = " \t.,!?~。，！？～…"


def read_confirmation(text: str) -> bool | None:
    """True for a typed Yes, False for a typed No, None for anything else."""
    word = unicodedata.normalize("NFKC", text).strip(_AROUND).lower()
    if word in YES:
        return True
    if word in NO:
        return False
    return None
