"""Settings: typed, with defaults; a bad value stops the program with one line naming it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.token is None
    assert settings.bot_framework == "ptb"
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert str(settings.tz) == "Asia/Shanghai"
    assert settings.bot_default_locale == "zh_Hans"
    assert settings.bot_admin_ids == frozenset()


def test_values_from_a_dotenv_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("BOT_ADMIN_IDS=12, 34\nBOT_FRAMEWORK=aiogram\nTELEGRAM_API_URL=http://127.0.0.1:8081/\n")
    settings = load_settings()
    assert settings.bot_admin_ids == frozenset({12, 34})
    assert settings.bot_framework == "aiogram"
    assert settings.telegram_api_url == "http://127.0.0.1:8081"


def test_token_is_kept_secret(tmp_path: Path) -> None:
    settings = load_settings(TELEGRAM_BOT_TOKEN="123:Zq9-token", BOT_DATA_DIR=tmp_path)
    assert settings.token == "123:Zq9-token"
    assert "Zq9-token" not in repr(settings)


@pytest.mark.parametrize(("name", "value", "message"), [
    ("BOT_FRAMEWORK", "telethon", "Setting BOT_FRAMEWORK: Input should be 'aiogram' or 'ptb'"),
    ("BOT_TIMEZONE", "Mars/Olympus", "Setting BOT_TIMEZONE: unknown time zone 'Mars/Olympus'"),
    ("BOT_ADMIN_IDS", "12,abc", "Setting BOT_ADMIN_IDS: 'abc' is not a numeric Telegram user id"),
    ("BOT_DEFAULT_LOCALE", "fr", "Setting BOT_DEFAULT_LOCALE: 'fr' is not one of zh_Hans, zh_Hant, en"),
    ("TELEGRAM_API_URL", "ftp://x", "Setting TELEGRAM_API_URL: must start with http:// or https://"),
])
def test_bad_value_names_the_setting(tmp_path: Path, name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(**{name: value, "BOT_DATA_DIR": tmp_path})
    assert str(caught.value).startswith(message)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere; the file case below covers it")
def test_unwritable_data_dir(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(SettingsError, match=r"Setting BOT_DATA_DIR: .* is not writable"):
        load_settings(BOT_DATA_DIR=locked)


def test_data_dir_that_is_a_file(tmp_path: Path) -> None:
    occupied = tmp_path / "occupied"
    occupied.write_text("not a folder")
    with pytest.raises(SettingsError, match=r"Setting BOT_DATA_DIR: .* is not writable"):
        load_settings(BOT_DATA_DIR=occupied)


def test_program_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "BOT_TIMEZONE": "Nowhere/Land", "BOT_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "bot"], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 2
    expected = ("error: Setting BOT_TIMEZONE: unknown time zone 'Nowhere/Land' "
                "(use a name such as Asia/Shanghai)")
    assert done.stderr.strip().splitlines() == [expected]


def test_feishu_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings().bot_platform == "telegram"
    settings = load_settings(BOT_PLATFORM="feishu", FEISHU_APP_ID="cli_a1b2", FEISHU_APP_SECRET="s3cr3t-Zq9",
                             BOT_ADMIN_IDS="12, feishu:ou_7d8a6e6df7621556ce0d21922b676706")
    assert settings.feishu_domain == "https://open.feishu.cn"
    assert settings.bot_admin_ids == frozenset({12})
    assert settings.feishu_admin_open_ids == frozenset({"ou_7d8a6e6df7621556ce0d21922b676706"})
    assert not settings.console
    assert settings.secret == "s3cr3t-Zq9"
    assert "s3cr3t-Zq9" not in repr(settings)
    lark = load_settings(BOT_PLATFORM="feishu", FEISHU_APP_ID="cli_a1b2", FEISHU_APP_SECRET="x",
                         FEISHU_DOMAIN="https://open.larksuite.com/")
    assert lark.feishu_domain == "https://open.larksuite.com"


@pytest.mark.parametrize(("values", "message"), [
    ({"BOT_PLATFORM": "wecom"}, "Setting BOT_PLATFORM: Input should be 'telegram' or 'feishu'"),
    ({"BOT_PLATFORM": "feishu"}, "Setting FEISHU_APP_ID: required when BOT_PLATFORM=feishu"),
    ({"BOT_PLATFORM": "feishu", "FEISHU_APP_ID": "cli_a1"},
     "Setting FEISHU_APP_SECRET: required when BOT_PLATFORM=feishu"),
    ({"FEISHU_APP_ID": "a1b2"}, "Setting FEISHU_APP_ID: must be the App ID from the app's credentials page"),
    ({"FEISHU_DOMAIN": "http://open.feishu.cn"}, "Setting FEISHU_DOMAIN: must be https://host"),
    ({"FEISHU_DOMAIN": "https://open.feishu.cn/open-apis"},
     "Setting FEISHU_DOMAIN: must be a scheme and host"),
    ({"BOT_ADMIN_IDS": "feishu:Alice"}, "Setting BOT_ADMIN_IDS: 'feishu:Alice' is not feishu: followed by"),
])
def test_bad_feishu_value_names_the_setting(tmp_path: Path, values: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(**values, BOT_DATA_DIR=tmp_path)
    assert str(caught.value).startswith(message)
