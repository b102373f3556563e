"""Typed settings from the environment or a ``.env`` file.

A bad value stops the program with one readable line that names the setting (see
``SettingsError``); ``bot.app`` turns that into exit code 2 without a traceback.
"""

from __future__ import annotations

import os
import re
import tempfile
import urllib.parse
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.i18n import LOCALES

OFFICIAL_API_URL = "https://api.telegram.org"
FEISHU_DOMAIN = "https://open.feishu.cn"
# How ``BOT_ADMIN_IDS`` names a Feishu user: ``feishu:ou_…`` (their open_id in this app); a Telegram
# user is their id, bare or as ``telegram:<id>``.
FEISHU_PREFIX = "feishu:"
TELEGRAM_PREFIX = "telegram:"
_OPEN_ID = re.compile(r"ou_[A-Za-z0-9_-]{1,64}")


class SettingsError(Exception):
    """A setting has a value the bot cannot run with; the message is one line for a person."""


class Settings(BaseSettings):
    """Everything the operator configures. Field aliases are the environment variable names."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Which messenger the bot lives in; Telegram without a token is the console chat.
    bot_platform: Literal["telegram", "feishu"] = Field(default="telegram", alias="BOT_PLATFORM")
    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    telegram_api_url: str = Field(default=OFFICIAL_API_URL, alias="TELEGRAM_API_URL")
    # python-telegram-bot by default: the whole bot runs in about 240 MB with it, 360 MB with aiogram,
    # whose import alone builds pydantic models for the whole Bot API (165 MB; aiogram issue #1513).
    bot_framework: Literal["aiogram", "ptb"] = Field(default="ptb", alias="BOT_FRAMEWORK")
    bot_data_dir: Path = Field(default=Path("data"), alias="BOT_DATA_DIR")
    bot_admin_ids: Annotated[frozenset[int], NoDecode] = Field(default=frozenset(), alias="BOT_ADMIN_IDS")
    # The ``feishu:<open_id>`` entries of the same variable (the Feishu transport maps them to ids).
    feishu_admin_open_ids: Annotated[frozenset[str], NoDecode] = Field(default=frozenset(),
                                                                       alias="BOT_ADMIN_IDS")
    feishu_app_id: str | None = Field(default=None, alias="FEISHU_APP_ID")
    feishu_app_secret: SecretStr | None = Field(default=None, alias="FEISHU_APP_SECRET")
    # https://open.larksuite.com for Lark; any origin for tests (plain http only on the loopback).
    feishu_domain: str = Field(default=FEISHU_DOMAIN, alias="FEISHU_DOMAIN")
    bot_timezone: str = Field(default="Asia/Shanghai", alias="BOT_TIMEZONE")
    bot_default_locale: str = Field(default="zh_Hans", alias="BOT_DEFAULT_LOCALE")
    # How many nightly backup copies stay in <data dir>/backups; 0 keeps none.
    bot_backup_keep: int = Field(default=7, ge=0, alias="BOT_BACKUP_KEEP")

    @field_validator("telegram_bot_token", "feishu_app_id", "feishu_app_secret", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_api_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("bot_admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, int):
            return frozenset({value})
        if not isinstance(value, str):
            return value
        ids = set()
        for raw in value.replace(";", ",").split(","):
            part = raw.strip().removeprefix(TELEGRAM_PREFIX)
            if not part or part.startswith(FEISHU_PREFIX):
                continue
            if not part.lstrip("-").isdigit():
                raise ValueError(f"{part!r} is not a numeric Telegram user id")
            ids.add(int(part))
        return frozenset(ids)

    @field_validator("feishu_admin_open_ids", mode="before")
    @classmethod
    def _feishu_ids(cls, value: object) -> object:
        if isinstance(value, int):
            return frozenset()
        if not isinstance(value, str):
            return value
        ids = set()
        for raw in value.replace(";", ",").split(","):
            part = raw.strip()
            if not part.startswith(FEISHU_PREFIX):
                continue
            open_id = part.removeprefix(FEISHU_PREFIX)
            if _OPEN_ID.fullmatch(open_id) is None:
                raise ValueError(f"{part!r} is not feishu: followed by an open_id (ou_…)")
            ids.add(open_id)
        return frozenset(ids)

    @field_validator("feishu_app_id")
    @classmethod
    def _check_app_id(cls, value: str | None) -> str | None:
        if value is not None and re.fullmatch(r"cli_[A-Za-z0-9]{1,64}", value.strip()) is None:
            raise ValueError("must be the App ID from the app's credentials page (cli_…)")
        return value.strip() if value else value

    @field_validator("feishu_domain")
    @classmethod
    def _check_origin(cls, value: str) -> str:
        """An origin only, as the SDK accepts it: https, or plain http on the loopback (tests)."""
        parts = urllib.parse.urlsplit(value.rstrip("/"))
        loopback = parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1")
        if not (parts.scheme == "https" or loopback) or not parts.netloc:
            raise ValueError("must be https://host (plain http only for 127.0.0.1)")
        if parts.path or parts.query or parts.fragment or "@" in parts.netloc:
            raise ValueError("must be a scheme and host only, such as https://open.feishu.cn")
        return value.rstrip("/")

    @field_validator("bot_timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use a name such as Asia/Shanghai)") from None
        return value

    @field_validator("bot_default_locale")
    @classmethod
    def _check_locale(cls, value: str) -> str:
        if value not in LOCALES:
            raise ValueError(f"{value!r} is not one of {', '.join(LOCALES)}")
        return value

    @property
    def admin_identities(self) -> frozenset[str]:
        """``BOT_ADMIN_IDS`` as identities (``telegram:<id>``, ``feishu:<open_id>``), which
        ``bot.repositories.identities`` turns into people: the same person whichever they write from."""
        return frozenset({f"{TELEGRAM_PREFIX}{user_id}" for user_id in self.bot_admin_ids}
                         | {f"{FEISHU_PREFIX}{open_id}" for open_id in self.feishu_admin_open_ids})

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.bot_timezone)

    @property
    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    @property
    def feishu_secret(self) -> str | None:
        return self.feishu_app_secret.get_secret_value() if self.feishu_app_secret else None

    @property
    def console(self) -> bool:
        """Whether the bot runs as the console chat: Telegram chosen and no token set."""
        return self.bot_platform == "telegram" and self.token is None

    @property
    def secret(self) -> str | None:
        """What the log must never show: the chosen platform's credential."""
        return self.feishu_secret if self.bot_platform == "feishu" else self.token


def load_settings(**overrides: object) -> Settings:
    """Reads and checks the settings; raises ``SettingsError`` with one line naming the culprit."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        name = _env_name(str(first["loc"][0])) if first["loc"] else "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"Setting {name}: {message}") from None
    if settings.bot_platform == "feishu":
        for name, value in (("FEISHU_APP_ID", settings.feishu_app_id),
                            ("FEISHU_APP_SECRET", settings.feishu_secret)):
            if not value:
                raise SettingsError(f"Setting {name}: required when BOT_PLATFORM=feishu")
    _check_data_dir(settings.bot_data_dir)
    return settings


def _env_name(field: str) -> str:
    alias = Settings.model_fields[field].alias if field in Settings.model_fields else None
    return alias or field.upper()


def _check_data_dir(path: Path) -> None:
    """Fails early on a data dir the bot could not write, rather than on the first save."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-check-"):
            pass
    except OSError as error:
        reason = error.strerror or str(error)
        raise SettingsError(f"Setting BOT_DATA_DIR: {os.fspath(path)!r} is not writable ({reason})") from None
