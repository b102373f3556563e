"""The font every generated PDF and chart uses, shipped as a package so servers need no CJK fonts."""

from __future__ import annotations

from pathlib import Path

import noto_cjk_sans_otc

FONT_PATH = Path(str(noto_cjk_sans_otc.FONT_PATH))

# Faces inside the Noto Sans CJK collection: each locale gets its own regional glyph forms.
_FACE = {"zh_Hans": 2, "zh_Hant": 3, "en": 2}


def face_index(locale: str) -> int:
    """The collection index of the face for ``locale`` (Simplified Chinese glyphs by default)."""
    return _FACE.get(locale, 2)
