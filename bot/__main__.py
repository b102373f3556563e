"""``python -m bot`` starts the bot (console chat when no token is set)."""

from bot.app import main

if __name__ == "__main__":
    raise SystemExit(main())
