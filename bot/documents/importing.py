"""A sheet of clients and contacts (XLSX or CSV): reading it, checking every row, and its template.

One row is one contact with the client they work for; a client without contacts is a row whose
contact columns are empty, and a client with three contacts is three rows repeating its name. The
first non-empty row holds the headers, in Chinese (either script) or English, in any order.

Every row is checked against the rows before it and against the database: a row is refused for a
missing client name, an unreadable birthday, an unknown class, stage, country or language, or for
adding nothing new (the client, or that contact of that client, exists already, matched by the
folded name as ``ClientService.named`` matches it). ``Plan`` holds what the accepted rows add, with
their ids, ready for ``ClientService.import_all`` to write.

The Import button checks and writes the rows a slice at a time (``bot.handlers.importing``), each
slice one turn of the core and one write of whole rows: 5,000 rows held the core for half a second
in one turn, and everybody typing waited. ``Checker.fresh`` gives what the rows checked since the
last slice add, with ids after the highest stored then (someone may have added a client between
two slices). A crash, or a failed write, between two slices leaves the rows of the slices before
it, each client with the contacts of those rows; the import is resumable: sending the same file
again refuses those rows as already there and imports the rest, nothing twice.

```mermaid
flowchart LR
    file[.xlsx / .csv] --> read_sheet --> rows --> check --> Plan --> import_all
```
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import orjson

from bot.core.text import MAX_TEXT
from bot.documents import sheets
from bot.documents.sheets import SheetError
from bot.domain.clients import NO_YEAR, Client, Contact, fold
from bot.domain.contact_fields import day_text, normal_phone, read_day
from bot.domain.policy import CLASS_IDS
from bot.i18n import N_, Translator, country_code
from bot.repositories.imports import PENDING
from bot.services.clients import ClientService, language_of_country
from bot.storage.atomic import write_atomically

__all__ = ["COLUMNS", "Checker", "Plan", "Refusal", "SheetError", "check",
           "example_row", "header_names", "read_sheet", "template"]

log = logging.getLogger(__name__)
MAX_ROWS = 20_000
# How often reading and checking report progress, in rows.
PROGRESS_EVERY = 1000
# A row as read: column id -> text (dates already as ISO text), JSON-ready so it can wait in storage.
Row = dict[str, str]
# Called with the number of rows done so far.
Progress = Callable[[int], object]


@dataclass(frozen=True)
class Column:
    id: str
    label_key: str
    # Headers accepted besides the column's label in each locale (folded: lower case, no spaces).
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("client", N_("import.col.client"), ("客户", "客戶", "公司", "公司名称", "公司名稱", "客户名称",
                                               "客戶名稱", "client", "company", "clientname", "companyname")),
    Column("class", N_("import.col.class"), ("级别", "級別", "接待级别", "接待級別", "class", "level")),
    Column("stage", N_("import.col.stage"), ("阶段", "階段", "stage")),
    Column("country", N_("import.col.country"), ("国家", "國家", "country", "国家/地区", "國家/地區")),
    Column("industry", N_("import.col.industry"), ("行业", "行業", "industry")),
    Column("contact", N_("import.col.contact"), ("联系人", "聯絡人", "聯繫人", "姓名", "contact", "name",
                                                 "contactname")),
    Column("title", N_("import.col.title"), ("职务", "職務", "职位", "職位", "title", "position")),
    Column("phone", N_("import.col.phone"), ("电话", "電話", "手机", "手機", "phone", "mobile")),
    Column("email", N_("import.col.email"), ("邮箱", "郵箱", "电子邮件", "電子郵件", "電郵", "email",
                                             "e-mail")),
    Column("birthday", N_("import.col.birthday"), ("生日", "birthday", "dateofbirth")),
    Column("language", N_("import.col.language"), ("语言", "語言", "language")),
    Column("dietary", N_("import.col.dietary"), ("忌口", "饮食禁忌", "飲食禁忌", "dietary", "diet")),
    Column("notes", N_("import.col.notes"), ("备注", "備註", "備注", "notes", "note", "remarks")),
)
CONTACT_COLUMNS = ("contact", "title", "phone", "email", "birthday", "language", "dietary")

_STAGES = {"client": "client", "客户": "client", "客戶": "client", "签约": "client", "已签约": "client",
           "已簽約": "client", "signed": "client", "prospect": "prospect", "潜在": "prospect",
           "潜在客户": "prospect", "潛在": "prospect", "潛在客戶": "prospect"}
_LANGUAGES = {"zh_hans": "zh_Hans", "zh-hans": "zh_Hans", "zh": "zh_Hans", "zh-cn": "zh_Hans",
              "简体": "zh_Hans", "简体中文": "zh_Hans", "簡體中文": "zh_Hans", "中文": "zh_Hans",
              "zh_hant": "zh_Hant", "zh-hant": "zh_Hant", "zh-tw": "zh_Hant", "zh-hk": "zh_Hant",
              "繁體": "zh_Hant", "繁体": "zh_Hant", "繁體中文": "zh_Hant", "繁体中文": "zh_Hant",
              "en": "en", "english": "en", "英文": "en", "英语": "en", "英語": "en"}


@dataclass(frozen=True)
class Refusal:
    row: int
    reason: str  # message key
    value: str = ""
    column: str = ""  # the id of the column concerned, when the reason names one


@dataclass
class Plan:
    """What the accepted rows add: new clients and contacts with their ids; the refused rows."""

    clients: list[Client] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    accepted: int = 0
    refused: list[Refusal] = field(default_factory=list)


# ---- reading ---------------------------------------------------------------------------------


def header_names(translators: Iterable[Translator]) -> dict[str, str]:
    """Folded header → column id: every locale's label of a column and its aliases."""
    names = {}
    for column in COLUMNS:
        for alias in column.aliases:
            names[_header_key(alias)] = column.id
        for t in translators:
            names[_header_key(t(column.label_key))] = column.id
    return names


def read_sheet(filename: str, content: bytes, headers: dict[str, str],
               progress: Progress | None = None) -> list[tuple[int, Row]]:
    """The data rows of an .xlsx or .csv file, numbered as the spreadsheet numbers them;
    ``progress`` hears the count read every ``PROGRESS_EVERY`` rows. Raises ``SheetError`` for a
    file that cannot be read or is over a budget (``bot.documents.sheets``)."""
    found: dict[int, str] | None = None
    rows: list[tuple[int, Row]] = []
    for number, texts in sheets.rows(filename, content):
        if not any(texts):
            continue
        if found is None:
            keys = [_header_key(text) for text in texts]
            found = {i: headers[key] for i, key in enumerate(keys) if key in headers}
            if "client" not in found.values():
                raise SheetError(N_("import.error.no_client_column"))
            continue
        row = {column: texts[i] for i, column in found.items() if i < len(texts) and texts[i]}
        rows.append((number, row))
        if progress is not None and len(rows) % PROGRESS_EVERY == 0:
            progress(len(rows))
        if len(rows) > MAX_ROWS:
            raise SheetError(N_("import.error.too_many"), limit=MAX_ROWS)
    if not rows:
        raise SheetError(N_("import.error.empty"))
    return rows


def _header_key(text: str) -> str:
    return fold(text).replace(" ", "").replace("*", "").replace("_", "")


# ---- checking --------------------------------------------------------------------------------


def check(rows: list[tuple[int, Row]], clients: ClientService, *, by: int, now: datetime,
          examples: Iterable[Row] = (), progress: Progress | None = None) -> Plan:
    """Checks every row; the plan adds the accepted ones, the same rows never twice. ``progress``
    hears how many rows are done every ``PROGRESS_EVERY`` rows."""
    checker = Checker(clients, by=by, now=now, examples=examples)
    for done in range(0, len(rows), PROGRESS_EVERY):
        if progress is not None and done:
            progress(done)
        checker.add(rows[done:done + PROGRESS_EVERY])
    return checker.plan


class Checker:
    """Checks rows a slice at a time (``add``), against the rows before them and the database;
    ``plan`` holds what the rows so far add.

    Between two slices the core may write (``bot.handlers.importing`` checks a sheet in slices, each
    a turn of the core of its own). For the report the plan is then only a report; the rows are
    checked again when the admin presses Import, each slice's rows in the turn that writes them
    (``fresh``), so what is written was checked against the database as it was written.
    """

    def __init__(self, clients: ClientService, *, by: int, now: datetime,
                 examples: Iterable[Row] = ()) -> None:
        self.plan = Plan()
        self._clients, self._by, self._now = clients, by, now
        self._next_client, self._next_contact = clients.next_ids()
        self._new_clients: dict[str, Client] = {}
        self._seen: dict[tuple[str, str], int] = {}  # (client, contact) folded → the row that added it
        self._examples = [_fingerprint(example) for example in examples]
        self._taken = (0, 0)  # how many of the plan's clients and contacts ``fresh`` gave already

    def add(self, rows: Iterable[tuple[int, Row]]) -> None:
        # The core may have stored clients or contacts since the last slice: new ids come after them.
        self._next_client = max(self._next_client, self._clients.clients.next_id())
        self._next_contact = max(self._next_contact, self._clients.contact_store.next_id())
        for number, row in rows:
            refusal = self._refusal(number, row)
            if refusal is not None:
                self.plan.refused.append(refusal)

    def _refusal(self, number: int, row: Row) -> Refusal | None:
        """Adds the row to the plan, or says why not."""
        if _fingerprint(row) in self._examples:
            return Refusal(number, N_("import.reason.example"))
        problem = _problem(number, row)
        if problem is not None:
            return problem
        name = row["client"]
        key = (fold(name), fold(row.get("contact", "")))
        if key in self._seen:
            return Refusal(number, N_("import.reason.duplicate_in_file"), str(self._seen[key]))
        # A client an earlier row of this file adds is new to it, even once an earlier slice stored it.
        client = self._new_clients.get(key[0])
        existing = self._clients.named(name) if client is None else None
        if existing is not None and (not key[1] or self._clients.contact_named(existing.id, row["contact"])):
            return Refusal(number, N_("import.reason.duplicate"), existing.name)
        if client is not None and key[1] and self._clients.contact_named(client.id, row["contact"]):
            # Stored by an earlier slice, then given this contact by someone else in between.
            return Refusal(number, N_("import.reason.duplicate"), client.name)
        client = client or existing
        self._seen[key] = number
        if client is None:
            client = self._new_clients[key[0]] = _client(self._next_client, row, self._by, self._now)
            self.plan.clients.append(client)
            self._next_client += 1
        if key[1]:
            self.plan.contacts.append(_contact(self._next_contact, client, row))
            self._next_contact += 1
        self.plan.accepted += 1
        return None

    def fresh(self) -> tuple[list[Client], list[Contact]]:
        """The clients and contacts the rows checked since the last call add: what a slice writes."""
        clients, contacts = self.plan.clients[self._taken[0]:], self.plan.contacts[self._taken[1]:]
        self._taken = len(self.plan.clients), len(self.plan.contacts)
        return clients, contacts


def _problem(number: int, row: Row) -> Refusal | None:
    """Why a row cannot be imported on its own, or None."""
    for column_id, value in row.items():  # as long as a typed answer may be, at most
        if len(value) > MAX_TEXT:
            return Refusal(number, N_("import.reason.too_long"), column=column_id)
    if not row.get("client"):
        return Refusal(number, N_("import.reason.missing_name"))
    checks = (("class", _class_id, N_("import.reason.unknown_class")),
              ("stage", _stage, N_("import.reason.bad_stage")),
              ("country", _country, N_("import.reason.bad_country")),
              ("language", _language, N_("import.reason.bad_language")),
              ("birthday", read_day, N_("import.reason.bad_date")))
    for column, read, reason in checks:
        value = row.get(column, "")
        if value and read(value) is None:
            return Refusal(number, reason, value)
    if not row.get("contact") and any(row.get(column) for column in CONTACT_COLUMNS):
        return Refusal(number, N_("import.reason.missing_contact"))
    return None


def _class_id(text: str) -> str | None:
    value = fold(text).removeprefix("class").strip().rstrip("级級类類").strip().upper()
    return value if value in CLASS_IDS else None


def _stage(text: str) -> str | None:
    return _STAGES.get(fold(text).replace(" ", ""))


def _country(text: str) -> str | None:
    """A real country or region, by code or name (ZZ, the "unknown region", is refused)."""
    return country_code(text)


def _language(text: str) -> str | None:
    return _LANGUAGES.get(fold(text).replace(" ", ""))


def _client(client_id: int, row: Row, by: int, now: datetime) -> Client:
    return Client(client_id, row["client"], now, by, country=_country(row.get("country", "")) or "CN",
                  industry=row.get("industry", ""), default_class=_class_id(row.get("class", "")) or "C",
                  stage=_stage(row.get("stage", "")) or "client", notes=row.get("notes", ""))


def _contact(contact_id: int, client: Client, row: Row) -> Contact:
    language = _language(row.get("language", "")) or language_of_country(client.country)
    birthday = read_day(row["birthday"]) if row.get("birthday") else None
    return Contact(contact_id, client.id, row["contact"], title=row.get("title", ""),
                   phone=normal_phone(row.get("phone", "")), email=row.get("email", ""), birthday=birthday,
                   language=language, dietary=row.get("dietary", ""))


def _fingerprint(row: Row) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((column, fold(value)) for column, value in row.items() if value))


# ---- the template ----------------------------------------------------------------------------


def example_row(t: Translator) -> Row:
    """The template's example row in ``t``'s language (refused if sent back unchanged)."""
    return {"client": t("import.example.client"), "class": "B", "stage": t("import.example.stage"),
            "country": "CN", "industry": t("import.example.industry"), "contact": t("import.example.contact"),
            "title": t("import.example.title"), "phone": "+86 138 0013 8000",
            "email": "zhang.wei@example.com", "birthday": day_text(date(NO_YEAR, 3, 12)),
            "language": "zh_Hans", "dietary": t("import.example.dietary"), "notes": ""}


def template(t: Translator) -> bytes:
    """An .xlsx with the headers in ``t``'s language and one example row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t("import.template.sheet")
    sheet.append([t(column.label_key) for column in COLUMNS])
    example = example_row(t)
    sheet.append([example[column.id] for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, cells in zip(COLUMNS, sheet.columns, strict=True):
        cells[1].number_format = "@"  # text: Excel must not turn "03-12" or a phone number into a number
        sheet.column_dimensions[cells[0].column_letter].width = 24 if column.id in ("client", "email") else 14
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---- a checked file waiting for the admin's confirmation --------------------------------------


# Larger than this version ever writes: it keeps at most ``sheets.CHARACTERS`` characters of a sheet
# (about 20 MB of JSON at worst) for each admin. An older version kept whatever it read: one file
# of 400 MB made every start hang reading it.
PENDING_FILE_BYTES = 64 * 1024 * 1024


def drop_oversized_pending(data_dir: Path) -> None:
    """Run before the database opens (which reads every collection whole): forgets the imports
    waiting for confirmation if their file is over ``PENDING_FILE_BYTES``, saying so in the log. Their
    admins send those sheets again (the buttons of the old reports then say the file was dealt with).
    The file is emptied, not removed: a data file the database knows of must not go missing."""
    path = data_dir / f"{PENDING}.json"
    try:
        size = path.stat().st_size
    except OSError:  # none (the usual case), or unreadable: opening the database says so
        return
    if size > PENDING_FILE_BYTES:
        write_atomically(path, orjson.dumps({PENDING: {}}))
        log.warning("dropped %s: %d MB of imports waiting for confirmation, kept by an older version with "
                    "no limit on a sheet's size; the admins who sent them must send those sheets again",
                    path, size // 2**20)
