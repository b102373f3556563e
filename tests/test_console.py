"""The console chat, driven through standard input exactly as a newcomer would script it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def chat(data_dir: Path, *lines: str, locale: str = "en") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    env |= {"BOT_DATA_DIR": str(data_dir), "BOT_DEFAULT_LOCALE": locale}
    return subprocess.run([sys.executable, "-m", "bot"], input="".join(f"{line}\n" for line in lines),
                          env=env, cwd=data_dir.parent, capture_output=True, text=True, timeout=60,
                          check=False)


def test_start_help_and_language_in_the_console(tmp_path: Path) -> None:
    done = chat(tmp_path / "data", "/start", "/help", "/lang", "1", "/help")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Console chat: type messages" in out
    assert "Welcome back, Console Admin!" in out
    assert "/invite — Invite a colleague" in out
    assert "  [2] 繁體中文" in out
    assert "好的，以后我将使用简体中文与您交流。" in out
    assert "/invite — 邀请同事加入" in out.split("> /help")[-1]


def test_buttons_are_numbers_and_other_peoples_messages_are_marked(tmp_path: Path) -> None:
    done = chat(tmp_path / "data", "/invite", "2", locale="zh_Hant")
    assert done.returncode == 0, done.stderr
    assert "  [2] 經理" in done.stdout
    # The console has no link to its chat: the invitation is a code to type.
    assert "這是一個經理的一次性邀請碼" in done.stdout and "t.me" not in done.stdout


def test_unknown_text_and_out_of_range_numbers_get_help_not_a_crash(tmp_path: Path) -> None:
    done = chat(tmp_path / "data", "7", "随便说点什么", locale="zh_Hans")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("抱歉，我没有理解这句话。") == 2
    assert "Traceback" not in done.stderr


def test_choices_persist_across_console_sessions(tmp_path: Path) -> None:
    chat(tmp_path / "data", "/lang", "3")
    done = chat(tmp_path / "data", "/help", locale="zh_Hans")
    assert "Here is what I can do for you:" in done.stdout


def test_a_form_left_open_is_shown_again_so_its_button_numbers_still_press(tmp_path: Path) -> None:
    chat(tmp_path / "data", "/new", "Huawei", "1")  # stopped at the new client's country
    done = chat(tmp_path / "data", "2")
    assert done.returncode == 0, done.stderr
    opened, typed = done.stdout.split("> 2")
    assert "Your “Reception arrangement form” from last time is not finished yet" in opened
    assert "  [2] Hong Kong" in opened
    # "2" pressed Hong Kong: the next question, not a complaint about "2" as a country.
    assert "What industry is the new client in?" in typed
    assert "two-letter" not in typed


def test_a_date_left_unconfirmed_is_asked_again_at_the_next_start(tmp_path: Path) -> None:
    chat(tmp_path / "data", "/new", "Huawei", "1", "1", "-", "Anna", "Class C", "Business negotiation",
         "tomorrow 3pm")  # the console runs on the real clock: tomorrow is always ahead
    done = chat(tmp_path / "data", "1")
    opened, typed = done.stdout.split("> 1")
    assert "I read that as " in opened and " 15:00 — correct?\n  [1] ✔ Correct" in opened
    assert "When do they leave?" in typed  # "1" confirmed the arrival
