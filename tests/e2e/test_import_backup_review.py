"""Files both ways through each real framework: an admin's sheet is downloaded (getFile + file URL),
reported with live progress and imported; /backup and /review send their files; a file over the
limit is refused without being downloaded."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from tests.e2e.conftest import ADMIN_ID, BotProcess
from tests.fakeapi import FakeBotApi, FakeUser

pytestmark = pytest.mark.e2e

ADMIN = FakeUser(ADMIN_ID, "Alice", language_code="en")


def sheet() -> bytes:
    book = Workbook()
    page = book.active
    assert page is not None
    page.append(["Client name", "Class", "Contact", "Birthday"])
    page.append(["Siemens <AG>", "B", "Anna Schmidt", "1980-05-04"])
    page.append(["Globex", "X", "", ""])
    page.append(["Initech", "", "Peter Gibbons", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_import_backup_and_review_over_telegram(api: FakeBotApi, bot: BotProcess) -> None:
    api.user_sends(ADMIN, "/start")
    await api.wait_for_message(ADMIN_ID, contains="Welcome")

    api.user_sends_document(ADMIN, "clients.xlsx", sheet())
    report = await api.wait_for_message(ADMIN_ID, contains="2 rows can be imported")
    assert "Row 3: unknown class “X”" in (report.text or "")
    assert report.event == "edited"  # the progress message, delivered live, became the report
    assert api.messages(ADMIN_ID)[-1].message_id == report.message_id
    assert api.calls("getFile")
    api.user_presses(ADMIN, report, button="Import 2 rows")
    await api.wait_for_message(ADMIN_ID, contains="Imported (new clients: 2, new contacts: 2)")
    api.user_sends(ADMIN, "/client siemens")
    await api.wait_for_message(ADMIN_ID, contains="Siemens <AG>")

    api.user_sends(ADMIN, "/backup")
    backup = await api.wait_for_message(ADMIN_ID, contains="Database backup")
    assert backup.document is not None and backup.document.filename.endswith(".zip")
    assert "meta.json" in zipfile.ZipFile(io.BytesIO(backup.document.content)).namelist()

    api.user_sends(ADMIN, "/review")
    question = await api.wait_for_message(ADMIN_ID, contains="Which quarter")
    api.user_presses(ADMIN, question, button="This quarter")
    await api.wait_for_message(ADMIN_ID, contains="Receptions review")

    downloads = len(api.calls("getFile"))
    api.user_sends_document(ADMIN, "huge.csv", b"x" * (11 * 1024 * 1024))
    await api.wait_for_message(ADMIN_ID, contains="huge.csv is too large: the limit is 10 MB")
    assert len(api.calls("getFile")) == downloads
    assert not api.errors()
