"""The client-name index follows every write: a client added while it is in use is found at once and
ranked as if the index had been made from scratch, a rename finds the new name and not the old; and
adding a client (as a Save of a visit for a new client does) extends what a search reads instead of
making it again for every client."""

from __future__ import annotations

import pytest

from bot.services.clients import NameIndex, _Column

NAMES = ["华为技术有限公司", "华润集团", "华夏银行", "重庆银行", "Acme Trading", "華為終端"]
QUERIES = ["华", "hua", "hw", "银行", "acme", "华为", "chongqing", "zhong"]


def answers(index: NameIndex) -> list[list[int]]:
    return [index.search(query, 8) for query in QUERIES]


def fresh(names: dict[int, str]) -> NameIndex:
    index = NameIndex()
    for client_id, name in names.items():
        index.put(client_id, name)
    return index


def columns_made(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many names each column made from now on held."""
    made: list[int] = []
    real = _Column.__init__

    def counted(self: _Column, values: list[str]) -> None:
        made.append(len(values))
        real(self, values)

    monkeypatch.setattr(_Column, "__init__", counted)
    return made


def test_added_or_renamed_clients_are_found_as_from_scratch_and_an_addition_makes_no_columns(
        monkeypatch: pytest.MonkeyPatch) -> None:
    names = dict(enumerate(NAMES[:3], start=1))
    index = fresh(names)
    expected = [answers(fresh({**names, **dict(enumerate(NAMES[3:k], start=4))})) for k in range(4, 7)]
    answers(index)  # the search's columns are made
    made = columns_made(monkeypatch)
    seen = []
    for client_id, name in enumerate(NAMES[3:], start=4):
        index.put(client_id, name)
        index.put(3, "华夏银行")  # saved again unchanged, as a visit's Save does with its client
        seen.append(answers(index))
    assert seen == expected
    assert made == []

    index.put(2, "华润置地")  # a rename: the columns are made again, with the new name only
    assert answers(index) == answers(fresh({**names, **dict(enumerate(NAMES[3:], start=4)), 2: "华润置地"}))
    assert index.search("华润集团", 8) == []


def test_a_name_typed_in_the_other_script_follows_renames_and_removals() -> None:
    index = fresh({1: "華為終端", 2: "华华物流", 3: "華潤集團"})
    assert index.search("华为终端", 8) == [1]
    assert index.search("华华", 8) == [2]  # a character twice in a name
    index.put(2, "润华物流")  # renamed: found by its new name only
    index.remove(3)
    assert index.search("华华", 8) == []
    assert index.search("润华", 8) == [2]
    assert index.search("华润集团", 8) == []
    index.put(3, "華潤集團")
    assert index.search("华润集团", 8) == [3]
