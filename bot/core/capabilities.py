"""What the messenger the bot lives in can do, as its transport declares it.

The core says everything the same way on every platform: translated text in its HTML subset
(``bot.core.events``), buttons carrying callback data, files. Where platforms differ in a way the
core must decide on before it speaks, the transport says so here, once, and handlers read it from
``Context.caps`` instead of assuming Telegram. Only what some code branches on is here; what a
transport simply renders its own way (cards for messages, markdown for HTML) stays in the transport.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Capabilities:
    """One platform's answers to the questions the core asks."""

    # Characters of the core's HTML in one message; a longer text goes as several (``Delivery``).
    max_text: int
    # The largest file the bot may send (a /backup above it is refused with the way round).
    max_file_bytes: int
    # Whether there is a command menu per person and language to set (``SetCommands``).
    command_menu: bool
    # The link that opens a person's private chat with the bot: "{bot}" stands for the bot's name,
    # "{payload}" for what ``/start`` then receives (an invitation code). Without "{payload}" the
    # platform's links carry none, so a code is typed; "" means there is no such link at all.
    chat_link: str = ""

    @property
    def start_payload(self) -> bool:
        """Whether a link can carry a ``/start`` payload (else an invitation's code is typed)."""
        return "{payload}" in self.chat_link

    def link(self, bot: str, payload: str = "") -> str:
        """The link to the bot's private chat, with ``payload`` where the platform carries one;
        "" where the platform has no such link."""
        return self.chat_link.format(bot=bot, payload=payload)
