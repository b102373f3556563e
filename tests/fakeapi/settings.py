"""Settings: the bot's identity, its command menus and the other settings it records."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .state import ApiState
from .wire import Call, bad_request

#: Bot settings methods that are accepted and recorded (``bot_settings``) without further checks.
RECORDED_SETTERS = frozenset(
    {
        "setmydescription",
        "setmyshortdescription",
        "setmyname",
        "setchatmenubutton",
        "setmydefaultadministratorrights",
    }
)


class Settings(ApiState):
    """Who the bot is (``getMe``) and how it is set up: commands, descriptions, menu button."""

    def commands(
        self, scope: Mapping[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """Commands set with setMyCommands for a scope (default scope if None) and language."""
        return list(self._commands.get((_scope_key(scope), language_code), []))

    @property
    def all_commands(self) -> dict[tuple[str, str], list[dict[str, Any]]]:
        """Every command list set, keyed by (scope as JSON, language_code)."""
        return dict(self._commands)

    def _bot_user(self, token: str) -> dict[str, Any]:
        return {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_getme(self, call: Call) -> Any:
        return call.bot_user

    async def _m_logout(self, call: Call) -> Any:
        return True

    async def _m_close(self, call: Call) -> Any:
        return True

    async def _m_setmycommands(self, call: Call) -> Any:
        commands = call.decoded("commands", "can't parse commands JSON object")
        if not isinstance(commands, list):
            raise bad_request('parameter "commands" is required')
        for command in commands:
            name = str(command.get("command", "")) if isinstance(command, dict) else ""
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise bad_request("BOT_COMMAND_INVALID")
            description = str(command.get("description", ""))
            if not description:
                raise bad_request("command description is empty")
            if len(description) > 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        scope = call.decoded("scope", "can't parse scope JSON object")
        key = (_scope_key(scope), call.string("language_code", "") or "")
        self._commands[key] = [{"command": c["command"], "description": c["description"]} for c in commands]
        return True

    async def _m_getmycommands(self, call: Call) -> Any:
        scope = call.decoded("scope", "can't parse scope JSON object")
        return self.commands(scope, call.string("language_code", "") or "")

    async def _m_deletemycommands(self, call: Call) -> Any:
        scope = call.decoded("scope", "can't parse scope JSON object")
        self._commands.pop((_scope_key(scope), call.string("language_code", "") or ""), None)
        return True

    async def _record_setting(self, call: Call) -> Any:
        self.bot_settings[(call.record.name, call.string("language_code", "") or "")] = dict(call.params)
        return True


def _scope_key(scope: Mapping[str, Any] | None) -> str:
    return json.dumps(dict(scope) if scope else {"type": "default"}, sort_keys=True)
