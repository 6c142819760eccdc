"""The on-disk cache of what nblint rebuilds from data files (``nblint/cache.py``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nblint.model import cache


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NBLINT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def builder(value: object, calls: list[object]):
    def build() -> object:
        calls.append(value)
        return value

    return build


def test_an_unchanged_source_is_built_once(folder: Path, tmp_path: Path) -> None:
    source = tmp_path / "rules.yaml"
    source.write_text("a: 1\n")
    calls: list[object] = []
    assert cache.cached("rules", [str(source)], builder({"a": 1}, calls)) == {"a": 1}
    assert cache.cached("rules", [str(source)], builder({"a": 1}, calls)) == {"a": 1}
    assert calls == [{"a": 1}]


def test_an_edited_source_is_built_again_and_the_old_entry_removed(
    folder: Path, tmp_path: Path
) -> None:
    source = tmp_path / "rules.yaml"
    source.write_text("a: 1\n")
    calls: list[object] = []
    cache.cached("rules", [str(source)], builder("old", calls))
    source.write_text("a: 22\n")
    assert cache.cached("rules", [str(source)], builder("new", calls)) == "new"
    assert calls == ["old", "new"]
    assert len(list(folder.glob("rules-*.pickle"))) == 1


def test_a_build_that_fails_is_not_cached(folder: Path, tmp_path: Path) -> None:
    source = tmp_path / "config.yaml"
    source.write_text("bad\n")

    def fails() -> object:
        raise ValueError("invalid")

    for _ in range(2):
        with pytest.raises(ValueError, match="invalid"):
            cache.cached("config", [str(source)], fails)
    assert list(folder.glob("*.pickle")) == []


def test_an_unwritable_cache_only_costs_the_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("NBLINT_CACHE_DIR", str(blocker / "cache"))
    source = tmp_path / "rules.yaml"
    source.write_text("a: 1\n")
    calls: list[object] = []
    for _ in range(2):
        assert cache.cached("rules", [str(source)], builder(1, calls)) == 1
    assert calls == [1, 1]


def test_a_family_of_per_file_kinds_keeps_only_its_newest_entries(
    folder: Path, tmp_path: Path
) -> None:
    count = cache.KEEP_PER_FAMILY + 5
    for index in range(count):
        config = tmp_path / f"project-{index}" / ".nblint.yaml"
        config.parent.mkdir()
        config.write_text("{}\n")
        cache.cached(cache.kind_for("config", str(config)), [str(config)], lambda: True)
        newest = max(folder.glob("config@*.pickle"), key=os.path.getmtime)
        os.utime(newest, (index, index))  # a distinct age for each
    assert len(list(folder.glob("config@*.pickle"))) == cache.KEEP_PER_FAMILY


def test_a_team_table_and_the_shipped_one_of_its_name_keep_an_entry_each(
    folder: Path, tmp_path: Path
) -> None:
    """A team's ``notebook-images.yaml`` beside the shipped one: both are read on every run, and
    with one cache entry per table name each replaced the other, so both were rebuilt each time."""
    from nblint.check import tables
    from nblint.check.rules import table_dirs

    team = tmp_path / "team"
    (team / "tables").mkdir(parents=True)
    (team / "tables" / "notebook-images.yaml").write_text(
        "images: [{match: registry.example/nb*}]\n"
    )
    read: list[str] = []
    real_read = tables._read
    saved = list(tables._search_path)
    try:
        tables._read = lambda path: read.append(path) or real_read(path)  # type: ignore[assignment]
        for _ in range(2):  # two runs: the second takes both tables from the cache
            tables.set_search_path(table_dirs([str(team)]))
            tables.entries("notebook-images", "images")
    finally:
        tables._read = real_read  # type: ignore[assignment]
        tables.set_search_path(saved)
    assert len(read) == 2 and len(set(read)) == 2
    assert len(list(folder.glob("table-notebook-images@*.pickle"))) == 2


def test_an_entry_of_a_family_removes_what_an_older_nblint_cached_for_all_of_it(
    folder: Path, tmp_path: Path
) -> None:
    folder.mkdir()
    legacy = folder / "rules-0123456789abcdef.pickle"  # one kind for every install, before
    legacy.write_bytes(b"")
    source = tmp_path / "rule.yaml"
    source.write_text("id: r\n")
    cache.cached(cache.kind_for("rules", str(tmp_path)), [str(source)], lambda: True)
    assert not legacy.exists()
    assert len(list(folder.glob("rules@*.pickle"))) == 1
