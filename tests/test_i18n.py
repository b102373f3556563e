"""Every message key used in code has a sentence in zh_Hans, zh_Hant and en, with the same fields."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.domain.policy import load_policy
from bot.i18n import LOCALES, I18n, locale_for, locales_dir

ROOT = Path(__file__).resolve().parent.parent
# t("key"), ctx.t("key"), t.plural("key", n), N_("key") are the only ways code names a message.
KEYWORDS = {"t": None, "plural": (1,), "N_": None}


def _keys_in_code() -> set[str]:
    """Keys named in the code, plus those the shipped policy file names (classes, purposes, timeline)."""
    found = extract_from_dir(str(ROOT / "bot"), keywords=KEYWORDS, comment_tags=(), strip_comment_tags=True)
    in_code = {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}
    return in_code | load_policy(None).message_keys()


def _catalog(locale: str) -> dict[str, list[str]]:
    with (locales_dir() / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    entries = {}
    for message in catalog:
        if message.id:
            key = message.id if isinstance(message.id, str) else message.id[0]
            entries[key] = [message.string] if isinstance(message.string, str) else list(message.string)
    return entries


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_code_names_messages_that_exist() -> None:
    keys = _keys_in_code()
    assert len(keys) > 40
    for locale in LOCALES:
        catalog = _catalog(locale)
        missing = sorted(keys - catalog.keys())
        assert not missing, f"{locale} lacks {missing}"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated_with_the_same_fields(locale: str) -> None:
    english = _catalog("en")
    catalog = _catalog(locale)
    assert catalog.keys() == english.keys(), f"{locale} and en differ: {catalog.keys() ^ english.keys()}"
    for key, forms in catalog.items():
        assert all(form.strip() for form in forms), f"{locale}: {key} is empty"
        expected = _fields(english[key][-1])
        for form in forms:
            assert _fields(form) == expected, f"{locale}: {key} has fields {_fields(form)}, en {expected}"


def test_no_catalog_key_is_unused() -> None:
    unused = sorted(_catalog("en").keys() - _keys_in_code())
    assert not unused, f"keys in the catalogs that no code uses: {unused}"


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant"])
def test_the_chinese_catalogs_address_the_reader_as_nin(locale: str) -> None:
    """Staff and clients are addressed politely, as 您, in every message; 你 never."""
    informal = {key: forms for key, forms in _catalog(locale).items() if any("你" in form for form in forms)}
    assert not informal, f"{locale} uses 你 in {sorted(informal)}"


@pytest.mark.parametrize(("code", "locale"), [
    ("zh", "zh_Hans"), ("zh-cn", "zh_Hans"), ("zh-hans", "zh_Hans"), ("zh-Hans-CN", "zh_Hans"),
    ("zh-tw", "zh_Hant"), ("zh-HK", "zh_Hant"), ("zh-hant", "zh_Hant"), ("zh-mo", "zh_Hant"),
    ("en", "en"), ("en-GB", "en"), ("ru", "en"), ("", "zh_Hant"), (None, "zh_Hant"),
])
def test_telegram_language_codes_map_to_our_locales(code: str | None, locale: str) -> None:
    assert locale_for(code, default="zh_Hant") == locale


def test_parameters_are_escaped_for_telegram_html() -> None:
    t = I18n("en").get("en")
    text = t("start.welcome_back", name="<b>Boss</b> & Co")
    assert text.startswith("Welcome back, &lt;b&gt;Boss&lt;/b&gt; &amp; Co!")


def test_plural_forms_come_from_the_catalog() -> None:
    i18n = I18n("en")
    assert "1 person," in i18n.get("en").plural("staff.header", 1, page=1, pages=1)
    assert "2 people," in i18n.get("en").plural("staff.header", 2, page=1, pages=1)
    assert "共 2 人" in i18n.get("zh_Hans").plural("staff.header", 2, page=1, pages=1)


@pytest.mark.parametrize(("locale", "three", "two", "alternatives", "series"), [
    ("zh_Hans", "张伟、李娜和王芳", "张伟和李娜", "张伟、李娜或王芳", "张伟、李娜、王芳"),
    ("zh_Hant", "張偉、李娜和王芳", "張偉和李娜", "張偉、李娜或王芳", "張偉、李娜、王芳"),
    ("en", "Zhang Wei, Li Na, and Wang Fang", "Zhang Wei and Li Na", "Zhang Wei, Li Na, or Wang Fang",
     "Zhang Wei, Li Na, Wang Fang"),
])
def test_a_list_of_names_reads_as_its_language_writes_it(locale: str, three: str, two: str,
                                                          alternatives: str, series: str) -> None:
    t = I18n(locale).get(locale)
    names = {"zh_Hans": ["张伟", "李娜", "王芳"], "zh_Hant": ["張偉", "李娜", "王芳"],
             "en": ["Zhang Wei", "Li Na", "Wang Fang"]}[locale]
    assert t.join(names) == three
    assert t.join(names[:2]) == two
    assert t.join(names[:1]) == names[0]
    assert t.join([]) == ""
    assert t.join(names, style="or") == alternatives
    assert t.join(names, style="series") == series
    assert t.join(names[:1], style="series") == names[0]
    assert t.join([], style="series") == ""
    # Notes, which may hold commas of their own, with the language's semicolon.
    semicolon = "; " if locale == "en" else "；"
    assert t.join(names, style="notes") == semicolon.join(names)
    assert t.join(names[:1], style="notes") == names[0] and t.join([], style="notes") == ""
