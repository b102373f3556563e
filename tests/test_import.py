"""Client import through the chat: /import and its template, the report on good, bad and duplicate
rows, all or nothing on confirm, CSV in GBK, headers in either language, who may import."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from bot.core.events import Event, IncomingFile, SendDocument
from bot.documents.importing import check, header_names, read_sheet
from bot.domain.clients import NO_YEAR
from tests.documents_support import files
from tests.support.chat import Person, World

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def upload(person: Person, name: str, content: bytes) -> Person:
    """The person sends a file as a Telegram document."""
    event = Event(person.user, person.id, document=IncomingFile(name, "", len(content), content))
    person.world.deliver(person.world.dispatcher.handle(event))
    return person


def documents(person: Person, text: str) -> list[SendDocument]:
    """The files the bot sends in answer to ``text`` (the chat simulator keeps only messages)."""
    return files(person.world, person.world.dispatcher.handle(Event(person.user, person.id, text=text)))


def xlsx(*rows: list[object]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def admin(world: World, language: str = "zh-hans") -> Person:
    return world.person(1, "林", language_code=language).send("/start")


def invited(world: World, role_label: str, user_id: int) -> Person:
    boss = world.person(1, "Lin", language_code="en").send("/start")
    boss.send("/invite").press(role_label)
    code = boss.last.text.split("start=")[1].split()[0]
    return world.person(user_id, "Li", language_code="en").send(f"/start {code}")


def clients(world: World) -> dict[str, list[str]]:
    service = world.dispatcher.services.clients
    return {client.name: [contact.name for contact in service.contacts(client.id)]
            for client in service.clients.all()}


HEADERS_ZH = ["客户名称", "级别", "联系人", "职务", "电话", "生日"]


def test_good_bad_and_duplicate_rows_are_reported_then_imported_together(world: World) -> None:
    services = world.dispatcher.services
    known = services.clients.create("华为技术有限公司", by=1, now=NOW)
    services.clients.add_contact(known.id, "王芳", title="采购经理")
    me = admin(world)
    sheet = xlsx(
        HEADERS_ZH,
        ["腾讯科技", "A", "马化腾", "董事长", 13800138000, "1971-10-29"],
        ["腾讯科技", "", "张志东", "CTO", "", "3月12日"],
        ["", "B", "无名氏", "", "", ""],
        ["阿里巴巴", "E", "张勇", "", "", ""],
        ["比亚迪", "C", "王传福", "", "", "明年某天"],
        ["  华为技术有限公司 ", "", "王 芳", "", "", ""],  # an existing contact of an existing client
        ["华为 技术有限公司", "", "余承东", "总裁", "", ""],  # a new contact of an existing client
        ["腾讯科技", "A", "马化腾", "", "", ""],
        ["小米", "b级", "", "", "", ""],
    )
    upload(me, "客户.xlsx", sheet)
    report = me.last.text
    assert "客户.xlsx：已检查 9 行" in report
    assert "可导入 4 行：新客户 2 个，新联系人 3 位" in report
    assert "拒绝 5 行" in report
    assert "第 4 行：缺少客户名称" in report
    assert "第 5 行：未知级别“E”" in report
    assert "第 6 行：日期无法识别：“明年某天”" in report
    assert "第 7 行：已存在：华为技术有限公司" in report
    assert "第 9 行：与第 2 行重复" in report
    assert clients(world) == {"华为技术有限公司": ["王芳"]}  # nothing yet

    me.press("导入 4 行")
    assert "导入完成：新客户 2 个，新联系人 3 位" in me.last.text
    assert clients(world) == {"华为技术有限公司": ["王芳", "余承东"], "腾讯科技": ["马化腾", "张志东"],
                              "小米": []}
    tencent = services.clients.named("腾讯科技")
    assert tencent is not None and tencent.default_class == "A"
    assert services.clients.named("小米").default_class == "B"  # type: ignore[union-attr]
    ma, zhang = services.clients.contacts(tencent.id)
    assert (ma.title, ma.phone, ma.birthday) == ("董事长", "13800138000", date(1971, 10, 29))
    assert zhang.birthday == date(NO_YEAR, 3, 12)
    assert "腾讯科技" in me.send("/client 腾讯").last.text  # found by the search index

    upload(me, "客户.xlsx", sheet)  # the same file again adds nothing
    assert "可导入 0 行" in me.last.text and "没有可导入的行" in me.last.text
    assert not me.last.buttons


def test_a_failed_write_leaves_nothing_and_the_same_file_can_be_sent_again(world: World) -> None:
    me = admin(world, "en")
    sheet = xlsx(["Client name", "Contact"], ["Acme", "Bob"], ["Acme", "Carol"], ["Globex", ""])
    upload(me, "clients.xlsx", sheet)
    contacts = world.dispatcher.services.clients.contact_store
    original = contacts.insert_many

    def disk_full(items: list[object]) -> None:
        raise OSError(28, "No space left on device")

    contacts.insert_many = disk_full  # type: ignore[method-assign,assignment]
    me.press("Import 3 rows")
    assert "Importing clients.xlsx failed and nothing was written" in me.last.text
    assert clients(world) == {}
    assert world.dispatcher.services.clients.named("Acme") is None

    contacts.insert_many = original  # type: ignore[method-assign]
    upload(me, "clients.xlsx", sheet)
    me.press("Import 3 rows")
    assert "Imported (new clients: 2, new contacts: 2)" in me.last.text
    world.restart()  # and it is on disk
    assert clients(world) == {"Acme": ["Bob", "Carol"], "Globex": []}


def test_cancel_writes_nothing_and_an_old_button_does_not_import(world: World) -> None:
    me = admin(world, "en")
    upload(me, "a.csv", b"Client,Contact\nAcme,Bob\n")
    go = me.last.button("Import 1 row").data
    me.press("Cancel")
    assert me.last.text == "Import of a.csv cancelled; nothing was written."
    me.press_data(go)
    assert world.toasts[-1] == "This file has been dealt with already. Send it again to import it."
    assert clients(world) == {}


def test_csv_from_a_chinese_excel_in_gbk_with_traditional_headers(world: World) -> None:
    me = admin(world)
    text = "客戶名稱,級別,聯絡人,國家\n台積電,A,魏哲家,台灣\n"
    upload(me, "clients.csv", text.encode("gb18030"))
    me.press("导入 1 行")
    client = world.dispatcher.services.clients.named("台積電")
    assert client is not None and (client.default_class, client.country) == ("A", "TW")
    assert world.dispatcher.services.clients.contacts(client.id)[0].language == "zh_Hant"


def test_template_round_trips_in_each_language(world: World) -> None:
    for language, header, example in (("zh-hans", "客户名称", "示例科技有限公司"), ("en", "Client name",
                                                                            "Example Tech Ltd")):
        me = admin(world, language)
        me.send(f"/lang {'en' if language == 'en' else 'zh_Hans'}")
        [template] = documents(me, "/import")
        assert template.filename.endswith(".xlsx")
        book = load_workbook(io.BytesIO(template.content))
        sheet = book.worksheets[0]
        assert sheet["A1"].value == header and sheet["A2"].value == example
        sheet.append(["New Client " + language, "D"])
        filled = io.BytesIO()
        book.save(filled)
        upload(me, "filled.xlsx", filled.getvalue())
        text = me.last.text
        assert ("第 2 行：这是模板的示例行" in text) or ("Row 2: this is the template's example row" in text)
        me.press("1")
        assert world.dispatcher.services.clients.named("New Client " + language) is not None
    assert world.dispatcher.services.clients.named("Example Tech Ltd") is None


def test_a_file_without_a_client_column_or_unreadable_gets_a_specific_answer(world: World) -> None:
    me = admin(world, "en")
    upload(me, "x.csv", b"foo,bar\n1,2\n")
    assert "x.csv has no client name column" in me.last.text
    upload(me, "x.xlsx", b"not a zip")
    assert "I cannot read x.xlsx" in me.last.text
    upload(me, "old.xls", b"\xd0\xcf\x11\xe0")
    assert "old.xls is in the old Excel format" in me.last.text
    upload(me, "x.pdf", b"%PDF")
    assert "I don't know what to do with x.pdf" in me.last.text
    big = IncomingFile("huge.xlsx", "", 11 * 1024 * 1024)
    world.deliver(world.dispatcher.handle(Event(me.user, me.id, document=big)))
    assert me.last.text == "huge.xlsx is too large: the limit is 10 MB. Please split it and send the parts."


def test_only_admins_import_and_strangers_see_nothing(world: World) -> None:
    sheet = b"Client\nAcme\n"
    member = invited(world, "staff member", 70)
    upload(member, "a.csv", sheet)
    assert member.last.text == "Only administrators can do that."
    assert not documents(member, "/import")
    stranger = world.person(99, "Eve", language_code="en")
    upload(stranger, "a.csv", sheet)
    assert "Acme" not in stranger.sees_text()
    assert clients(world) == {}


def test_five_thousand_rows_import_at_once(world: World) -> None:
    # The time it takes is a benchmark figure (bench/), not an assertion here.
    rows = [["客户名称", "联系人", "生日"]]
    rows += [[f"客户{n:05d}", f"联系人{n}", "1980-01-02"] for n in range(5000)]
    me = admin(world)
    upload(me, "big.xlsx", xlsx(*rows))
    me.press("导入 5000 行")
    assert "导入完成：新客户 5000 个，新联系人 5000 位" in me.last.text
    assert world.dispatcher.services.clients.search("客户04999")[0].name == "客户04999"


@pytest.mark.parametrize("value", ["A", "a级", "Class A", "A類"])
def test_class_is_read_however_written(world: World, value: str) -> None:
    me = admin(world, "en")
    upload(me, "a.csv", f"Client,Class\nAcme,{value}\n".encode())
    me.press("Import 1 row")
    assert world.dispatcher.services.clients.named("acme").default_class == "A"  # type: ignore[union-attr]


def console(tmp_path: Path, *lines: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    env |= {"BOT_DATA_DIR": str(tmp_path / "data"), "BOT_DEFAULT_LOCALE": "en"}
    typed = "".join(f"{line}\n" for line in lines)
    done = subprocess.run([sys.executable, "-m", "bot"], input=typed, env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_console_template_out_and_sheet_in(tmp_path: Path) -> None:
    out = console(tmp_path, "/import")
    saved = Path(out.split("client-import-template.xlsx (")[1].split("→ ")[1].splitlines()[0])
    book = load_workbook(saved)
    book.worksheets[0].append(["Acme", "C", "client", "US", "", "Bob"])
    sheet = tmp_path / "clients.xlsx"
    book.save(sheet)
    out = console(tmp_path, f"/upload {sheet}", "1", "/client acme", f"/upload {tmp_path / 'missing.csv'}")
    assert "1 row can be imported (new clients: 1, new contacts: 1)." in out
    assert "Row 2: this is the template's example row" in out
    assert "Imported (new clients: 1, new contacts: 1)." in out
    assert "🏢 Acme" in out
    assert "I could not receive missing.csv. Please send it again." in out


def test_after_a_crash_between_the_two_writes_the_same_file_completes_the_import(world: World) -> None:
    me = admin(world, "en")
    sheet = xlsx(["Client name", "Contact"], ["Acme", "Bob"], ["Acme", "Carol"], ["Globex", ""])
    upload(me, "clients.xlsx", sheet)
    service = world.dispatcher.services.clients
    plan = check(read_sheet("clients.xlsx", sheet, header_names([world.dispatcher.services.i18n.get("en")])),
                 service, by=1, now=NOW)
    service.clients.insert_many(plan.clients)  # the clients' write landed, then the process died
    world.restart()
    upload(me, "clients.xlsx", sheet)
    assert "2 rows can be imported (new clients: 0, new contacts: 2)" in me.last.text
    assert "Row 4: already there: Globex" in me.last.text
    me.press("Import 2 rows")
    assert clients(world) == {"Acme": ["Bob", "Carol"], "Globex": []}


def test_a_report_of_many_long_refusals_fits_one_message(world: World) -> None:
    me = admin(world, "en")
    rows = [["Client name", "Class"]] + [[f"Client {n}", "Z" * 300] for n in range(100)] + [["Good", "A"]]
    upload(me, "bad.xlsx", xlsx(*rows))
    assert "… and 70 more rows refused." in me.last.text
    assert len(me.last.html) < 4096
    assert "1 row can be imported" in me.last.text
