"""Database: round trips, one file per collection, refusal of damaged files, the lock, the schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tinydb import Query, TinyDB
from tinydb.table import Document

from bot.storage import CURRENT_SCHEMA_VERSION, MIGRATIONS, Database, DatabaseError, Migration

REPO_ROOT = Path(__file__).resolve().parents[1]


def make_sample(data_dir: Path) -> None:
    with Database.open(data_dir) as db:
        db.table("staff").insert({"name": "Li Wei", "role": "host"})
        db.table("visit_notes").insert({"client": "ACME", "notes": "x" * 500})


def test_round_trip_survives_reopen(data_dir: Path) -> None:
    with Database.open(data_dir) as db:
        staff = db.table("staff")
        assert db.table("staff") is staff
        li = staff.insert({"name": "Li Wei", "role": "host", "tags": ["sales"]})
        wang = staff.insert({"name": "Wang Fang", "role": "admin"})
        zhao = staff.insert({"name": "Zhao Min", "role": "host"})
        staff.update({"role": "admin"}, doc_ids=[li])
        staff.remove(doc_ids=[zhao])
        staff.upsert(Document({"name": "Chen Jie", "role": "host"}, doc_id=123456789))
        assert [d["name"] for d in staff.search(Query().role == "admin")] == ["Li Wei", "Wang Fang"]

    with Database.open(data_dir) as db:
        staff = db.table("staff")
        assert staff.get(doc_id=li) == {"name": "Li Wei", "role": "admin", "tags": ["sales"]}
        assert staff.get(doc_id=wang) == {"name": "Wang Fang", "role": "admin"}
        assert staff.get(doc_id=zhao) is None
        assert staff.get(doc_id=123456789) == {"name": "Chen Jie", "role": "host"}
        assert len(staff.search(Query().role == "admin")) == 2
        # Ids continue after the highest one in the file.
        assert staff.insert({"name": "Sun Li"}) == 123456790


def test_each_collection_has_its_own_file(data_dir: Path) -> None:
    make_sample(data_dir)
    staff_file, visits_file = data_dir / "staff.json", data_dir / "visit_notes.json"
    assert json.loads(staff_file.read_bytes()) == {"staff": {"1": {"name": "Li Wei", "role": "host"}}}
    assert list(json.loads(visits_file.read_bytes())) == ["visit_notes"]

    with Database.open(data_dir) as db:
        assert db.files() == [data_dir / "meta.json", staff_file, visits_file]
        before = visits_file.stat().st_mtime_ns, visits_file.read_bytes()
        db.table("staff").insert({"name": "Wang Fang"})
        # A write to one collection never rewrites another.
        assert (visits_file.stat().st_mtime_ns, visits_file.read_bytes()) == before
        db.table("empty")  # no file until the first write
        assert not (data_dir / "empty.json").exists()
        assert data_dir / "empty.json" not in db.files()


def test_files_are_plain_tinydb_databases(data_dir: Path) -> None:
    make_sample(data_dir)
    with TinyDB(data_dir / "staff.json", access_mode="r") as plain:
        assert plain.table("staff").all() == [{"name": "Li Wei", "role": "host"}]


def test_closed_database_refuses_use(data_dir: Path) -> None:
    db = Database.open(data_dir)
    staff = db.table("staff")
    db.close()
    db.close()  # closing twice is harmless
    with pytest.raises(DatabaseError, match="closed"):
        db.table("staff")
    with pytest.raises(DatabaseError, match="closed"):
        staff.insert({"name": "too late"})


@pytest.mark.parametrize("name", ["meta", "Staff", "../evil", "a.b", "", "1st"])
def test_invalid_collection_names_are_refused(db: Database, name: str) -> None:
    with pytest.raises(ValueError, match="invalid collection name"):
        db.table(name)


def test_truncated_file_stops_open_and_is_left_untouched(data_dir: Path) -> None:
    make_sample(data_dir)
    visits = data_dir / "visit_notes.json"
    good = visits.read_bytes()
    visits.write_bytes(good[: len(good) // 2])
    damaged = visits.read_bytes()

    with pytest.raises(DatabaseError, match="not valid JSON") as err:
        Database.open(data_dir)
    assert str(visits) in str(err.value)
    assert visits.read_bytes() == damaged

    # The failed open released its lock: once the file is restored, the database opens.
    visits.write_bytes(good)
    with Database.open(data_dir) as db:
        assert db.table("visit_notes").all()[0]["client"] == "ACME"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "not valid JSON"),
        (b"[1, 2]", "top level is a JSON list"),
        (b'{"staff": []}', "table 'staff' is not an object"),
        (b'{"staff": {"one": {}}}', "document id 'one' that is not an integer"),
        (b'{"staff": {"1": "Li Wei"}}', "document 1 in table 'staff' is not an object"),
        (b'{"staff": {}, "visits": {}}', "unexpected tables \\['visits'\\]"),
    ],
)
def test_badly_shaped_file_is_refused(data_dir: Path, content: bytes, problem: str) -> None:
    make_sample(data_dir)
    staff = data_dir / "staff.json"
    staff.write_bytes(content)
    with pytest.raises(DatabaseError, match=problem) as err:
        Database.open(data_dir)
    assert str(staff) in str(err.value)
    assert staff.read_bytes() == content


@pytest.mark.parametrize(
    "content", [b"{", b"[]", b"{}", b'{"schema_version": "1"}', b'{"schema_version": -1}']
)
def test_bad_meta_file_is_refused(data_dir: Path, content: bytes) -> None:
    make_sample(data_dir)
    meta = data_dir / "meta.json"
    meta.write_bytes(content)
    with pytest.raises(DatabaseError) as err:
        Database.open(data_dir)
    assert str(meta) in str(err.value)
    assert meta.read_bytes() == content


def test_missing_meta_next_to_data_is_refused(data_dir: Path) -> None:
    make_sample(data_dir)
    (data_dir / "meta.json").unlink()
    with pytest.raises(DatabaseError, match=r"meta\.json is missing"):
        Database.open(data_dir)
    assert not (data_dir / "meta.json").exists()


def test_leftover_temp_files_are_removed_and_never_read(data_dir: Path) -> None:
    make_sample(data_dir)
    leftover = data_dir / ".staff.json.k3j2h1gx.tmp"
    leftover.write_bytes(b'{"staff": {"1": {"name": "half-writ')
    foreign = [data_dir / "README.txt", data_dir / ".editor.tmp", data_dir / "Backup-1.json"]
    for path in foreign:
        path.write_text("not ours")
    with Database.open(data_dir) as db:
        assert db.table("staff").all() == [{"name": "Li Wei", "role": "host"}]
        assert not leftover.exists()
        for path in foreign:
            assert path.read_text() == "not ours"
            assert path not in db.files()


def test_second_open_in_same_process_is_refused(db: Database, data_dir: Path) -> None:
    with pytest.raises(DatabaseError, match="already open") as err:
        Database.open(data_dir)
    assert str(data_dir / ".lock") in str(err.value)
    db.table("staff").insert({"name": "still works"})
    db.close()
    with Database.open(data_dir) as again:
        assert again.table("staff").all() == [{"name": "still works"}]


def test_open_held_by_another_process_is_refused(data_dir: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(data_dir)],
        cwd=REPO_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline() == "open\n"
        with pytest.raises(DatabaseError, match=f"lock held by pid {holder.pid}"):
            Database.open(data_dir)
    finally:
        holder.stdin.close()  # lets the holder exit, releasing the lock
        holder.wait(timeout=10)
    Database.open(data_dir).close()


HOLD_LOCK = """
import sys
from pathlib import Path
from bot.storage import Database
db = Database.open(Path(sys.argv[1]))
print("open", flush=True)
sys.stdin.read()
"""


def test_new_directory_starts_at_current_version(data_dir: Path) -> None:
    with Database.open(data_dir) as db:
        assert db.schema_version == CURRENT_SCHEMA_VERSION == MIGRATIONS[-1].to_version
        assert db.data_dir == data_dir
    assert json.loads((data_dir / "meta.json").read_bytes()) == {
        "schema_version": CURRENT_SCHEMA_VERSION, "files": [], "chunks": {}, "next_ids": {}}


def test_newer_schema_on_disk_is_refused(data_dir: Path) -> None:
    make_sample(data_dir)
    meta = data_dir / "meta.json"
    meta.write_text(json.dumps({"schema_version": CURRENT_SCHEMA_VERSION + 1}))
    with pytest.raises(DatabaseError, match="newer than this program supports") as err:
        Database.open(data_dir)
    assert str(meta) in str(err.value)


def test_extra_migration_runs_once_and_bumps_the_version(data_dir: Path) -> None:
    make_sample(data_dir)
    runs: list[int] = []

    def add_active_flag(db: Database) -> None:
        runs.append(db.schema_version)
        staff = db.table("staff")
        staff.update({"active": True}, ~Query().active.exists())

    chain = [*MIGRATIONS, Migration(CURRENT_SCHEMA_VERSION, CURRENT_SCHEMA_VERSION + 1, add_active_flag)]
    with Database.open(data_dir, migrations=chain) as db:
        assert db.schema_version == CURRENT_SCHEMA_VERSION + 1
        assert db.table("staff").all() == [{"name": "Li Wei", "role": "host", "active": True}]
    assert runs == [CURRENT_SCHEMA_VERSION]

    with Database.open(data_dir, migrations=chain) as db:
        assert db.schema_version == CURRENT_SCHEMA_VERSION + 1
    assert runs == [CURRENT_SCHEMA_VERSION]  # not again

    # The code without the migration no longer accepts this data.
    with pytest.raises(DatabaseError, match="newer"):
        Database.open(data_dir)


def test_new_directory_runs_every_migration(data_dir: Path) -> None:
    seen: list[int] = []
    chain = [
        Migration(0, 1, lambda db: seen.append(db.schema_version)),
        Migration(1, 3, lambda db: seen.append(db.schema_version)),
    ]
    with Database.open(data_dir, migrations=chain) as db:
        assert db.schema_version == 3
    assert seen == [0, 1]


def test_failed_migration_leaves_the_version_and_retries(data_dir: Path) -> None:
    make_sample(data_dir)

    def broken(db: Database) -> None:
        raise RuntimeError("bug in migration")

    current = CURRENT_SCHEMA_VERSION
    with pytest.raises(RuntimeError, match="bug in migration"):
        Database.open(data_dir, migrations=[*MIGRATIONS, Migration(current, current + 1, broken)])
    with Database.open(data_dir) as db:  # lock released, version unchanged
        assert db.schema_version == current

    fixed: list[int] = []
    next_step = Migration(current, current + 1, lambda db: fixed.append(db.schema_version))
    with Database.open(data_dir, migrations=[*MIGRATIONS, next_step]) as db:
        assert db.schema_version == current + 1
    assert len(fixed) == 1


@pytest.mark.parametrize(
    "chain",
    [
        [Migration(1, 2, lambda db: None)],
        [Migration(0, 1, lambda db: None), Migration(2, 3, lambda db: None)],
        [Migration(0, 0, lambda db: None)],
    ],
)
def test_broken_migration_chain_is_a_programming_error(data_dir: Path, chain: list[Migration]) -> None:
    with pytest.raises(ValueError, match="chain"):
        Database.open(data_dir, migrations=chain)
    assert not data_dir.exists()  # checked before touching the disk
