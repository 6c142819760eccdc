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
