"""A fake Feishu Open API and long connection on 127.0.0.1 for end-to-end tests; see :mod:`.server`."""

from .cards import Button, Shown
from .longconn import Push
from .server import APP_ID, APP_SECRET, BOT_NAME, Call, FakeFeishu, FeishuUser

__all__ = ["APP_ID", "APP_SECRET", "BOT_NAME", "Button", "Call", "FakeFeishu", "FeishuUser", "Push", "Shown"]
