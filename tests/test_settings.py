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
