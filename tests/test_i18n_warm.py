"""The warm-up once polling reads, besides each language's catalog, Babel's data for its dates, so
that the first person shown a date in another language (the approvers a Save asks, a nudge) does not
wait for it to be read."""

from __future__ import annotations

import babel.localedata
import pytest

from bot.i18n import LOCALES, I18n, babel_locale


def test_after_the_warm_up_every_language_s_dates_are_ready(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(babel.localedata, "_cache", {})  # as in a fresh process
    i18n = I18n("zh_Hans")
    i18n.warm()
    read = set(babel.localedata._cache)
    assert {babel_locale(locale) for locale in LOCALES} <= read
