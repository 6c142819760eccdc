"""Loading: positions of every key and item, safety, and every way a file can be unreadable."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from conftest import brief, run, write
from pytest import MonkeyPatch

from nblint.load import files, yaml_tree
from nblint.load.files import decode, discover
from nblint.load.yaml_tree import YList, YMap, parse_documents


def test_every_key_and_item_keeps_its_line_and_column() -> None:
    (doc,), problems = parse_documents("a:\n  b: [x, {c: 1}]\n  d:\n    - e\n")
    assert problems == []
    root = doc.root
    assert isinstance(root, YMap) and root.key_pos["a"] == (1, 1)
    assert root["a"].key_pos == {"b": (2, 3), "d": (3, 3)}
    assert isinstance(root["a"]["b"], YList)
    assert root["a"]["b"].item_pos == [(2, 7), (2, 10)]
    assert root["a"]["d"].item_pos == [(4, 7)]


def test_documents_are_numbered_and_keep_their_start_line() -> None:
    docs, _ = parse_documents("a: 1\n---\nb: 2\n---\n")
    assert [(d.index, d.line, d.root) for d in docs[:2]] == [(0, 1, {"a": 1}), (1, 3, {"b": 2})]
    assert (docs[2].index, docs[2].root) == (2, None)


def test_merge_keys_fill_in_what_the_mapping_does_not_set() -> None:
    # (not `y`: a plain `y` is a boolean to Helm and kubectl, see test_plain_scalars)
    (doc,), _ = parse_documents("base: &b {x: 1, z: 2}\nthing:\n  <<: *b\n  z: 3\n")
    assert doc.root["thing"] == {"x": 1, "z": 3}
    assert doc.root["thing"].key_pos["x"] == (1, 11)


def test_core_schema_scalars_are_typed_and_timestamps_stay_text() -> None:
    (doc,), _ = parse_documents("a: true\nb: 1\nc: 1.5\nd: null\ne: 2024-01-01\nf: '1'\n")
    assert doc.root == {"a": True, "b": 1, "c": 1.5, "d": None, "e": "2024-01-01", "f": "1"}


def test_alias_bomb_is_refused_not_expanded() -> None:
    text = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    previous = "a"
    for name in "bcdefghij":
        text += f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    docs, problems = parse_documents(text)
    assert docs == []
    assert [(p.kind, p.message) for p in problems] == [
        ("too-large", "more than 2,000,000 nodes after alias expansion")
    ]


def test_deep_nesting_is_refused_with_its_line() -> None:
    docs, problems = parse_documents("a: " + "[" * 300 + "]" * 300 + "\n")
    assert docs == []
    assert [(p.kind, p.line) for p in problems] == [("too-large", 1)]
    assert "nesting deeper than 200 levels" in problems[0].message


def test_deep_mapping_nesting_is_refused_at_the_same_bound() -> None:
    nested = "a: " + "{b: " * 199 + "c" + "}" * 199 + "\n"
    assert parse_documents(nested)[1] == []
    docs, problems = parse_documents("a: " + "{b: " * 200 + "c" + "}" * 200 + "\n")
    assert docs == []
    assert [(p.kind, p.message, p.line, p.column) for p in problems] == [
        ("too-large", "nesting deeper than 200 levels", 1, 801)
    ]


def test_node_budget_counts_plain_text_keys_and_values(monkeypatch: MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_tree, "MAX_EXPANDED_NODES", 10)
    # The mapping and 4 keys with their values: 9 nodes.
    assert parse_documents("a: v\nb: w\nc: x\nd: y\n")[1] == []
    for too_many in ("a: v\nb: w\nc: x\nd: y\ne: z\n", "a: v\nb: w\nc: x\nd: y\ne: !!python/x z\n"):
        docs, problems = parse_documents(too_many)
        assert docs == []
        assert [(p.kind, p.line) for p in problems] == [("too-large", 1)]


def test_a_text_is_typed_by_its_tag_every_time() -> None:
    (doc,), _ = parse_documents(
        "a: 1\nb: !!float 1\nc: !!str 1\nd: '1'\ne: 1\nf: yes\ng: !!str yes\n"
    )
    typed = {key: (type(value).__name__, value) for key, value in doc.root.items()}
    assert typed == {
        "a": ("int", 1),
        # go-yaml's float64(1) reaches the API server as JSON `1`: an integer
        "b": ("int", 1),
        "c": ("str", "1"),
        "d": ("str", "1"),
        "e": ("int", 1),
        "f": ("bool", True),
        "g": ("str", "yes"),
    }


def test_two_nan_keys_are_one_duplicated_key() -> None:
    # PyYAML gives every .nan the same object, so a memo of values keeps this as it was.
    (doc,), _ = parse_documents(".nan: 1\n.nan: 2\n")
    assert list(doc.root.values()) == [2]
    assert [(p.kind, p.line) for p in doc.problems] == [("duplicate-key", 2)]


def test_memo_of_scalar_texts_stays_bounded_and_right_when_full() -> None:
    many = "".join(f"k{n}: {n}\n" for n in range(yaml_tree._MEMO_MAX_ENTRIES + 10))
    long_text = "x" * (yaml_tree._MEMO_MAX_TEXT + 1)
    (doc,), _ = parse_documents(many + f"long: {long_text}\nlast: yes\nnull: ~\n")
    assert len(yaml_tree._PLAIN_TAGS) <= yaml_tree._MEMO_MAX_ENTRIES
    assert len(yaml_tree._TYPED_SCALARS) <= yaml_tree._MEMO_MAX_ENTRIES
    assert long_text not in yaml_tree._PLAIN_TAGS
    last_number = yaml_tree._MEMO_MAX_ENTRIES + 9
    assert (doc.root["k0"], doc.root[f"k{last_number}"]) == (0, last_number)
    assert (doc.root["long"], doc.root["last"], doc.root[None]) == (long_text, True, None)


def test_a_value_already_built_from_the_same_text_keeps_its_own_tag() -> None:
    (doc,), (problem,) = parse_documents(
        "a: 1\nb: !!str 1\nc: !!float 1\nd: 1\n---\ne: 1\nf: !!python/int 1\n"
    )
    assert (doc.root["a"], doc.root["b"], doc.root["c"], doc.root["d"]) == (1, "1", 1, 1)
    assert type(doc.root["b"]) is str
    assert (problem.kind, problem.line) == ("unsafe-tag", 7)


def test_a_file_that_grows_after_its_size_was_taken_is_read_on(
    tmp_path: Path, monkeypatch: MonkeyPatch
) -> None:
    path = tmp_path / "growing.yaml"
    path.write_text("a: 1\nb: 2\n")
    real_stat = os.stat

    def stale_stat(name: str) -> os.stat_result:  # the size before "b: 2" was appended
        fields = list(real_stat(name))
        fields[stat.ST_SIZE] = 5
        return os.stat_result(fields)

    monkeypatch.setattr(files.os, "stat", stale_stat)
    assert files.read_bytes(str(path)) == b"a: 1\nb: 2\n"


def test_non_utf8_names_line_and_column() -> None:
    text, problem = decode(b"a: 1\nb: caf\xe9\n")
    assert text == ""
    assert problem is not None and (problem.message, problem.line, problem.column) == (
        "not UTF-8 text",
        2,
        7,
    )


def test_binary_file_is_refused() -> None:
    _, problem = decode(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert problem is not None and problem.message == "binary file (contains NUL bytes)"


def test_utf8_bom_and_utf16_are_read() -> None:
    assert decode("\ufeffa: 1\n".encode())[0] == "a: 1\n"
    assert decode("a: 1\n".encode("utf-16"))[0] == "a: 1\n"


def test_directories_are_walked_recursively_in_a_stable_order(tmp_path: Path) -> None:
    for name in ("b.yaml", "a/z.yml", "a/y.yaml", "c.txt", ".hidden/x.yaml"):
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_text("a: 1\n")
    found = [Path(p).relative_to(tmp_path).as_posix() for p in discover([str(tmp_path)])]
    assert found == ["a/y.yaml", "a/z.yml", "b.yaml"]


def test_unreadable_file_is_a_finding_and_others_are_still_checked(tmp_path: Path) -> None:
    good = write(
        tmp_path,
        "good.yaml",
        "apiVersion: v1\nkind: Pod\nspec:\n  hostIPC: true\n  containers: [{name: c, image: i}]\n",
    )
    (tmp_path / "dir.yaml").mkdir()
    result = run(tmp_path / "dir.yaml", good, select={"unreadable-file", "host-namespaces"})
    assert [(f.rule, f.line, f.message) for f in result.findings] == [
        ("unreadable-file", 1, "cannot read: is a directory"),
        ("host-namespaces", 4, "pod sets spec.hostIPC: true"),
    ]


def _leaf_paths(node: object, at: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    if isinstance(node, dict):
        return [p for key, value in node.items() for p in _leaf_paths(value, (*at, key))]
    if isinstance(node, list):
        return [p for index, value in enumerate(node) for p in _leaf_paths(value, (*at, index))]
    return [at]


def test_path_at_finds_every_value_where_tree_position_puts_it() -> None:
    from nblint.load.provenance import path_at, tree_position

    text = (
        "a:\n  b: 1\n  c: [x, {d: y}]\n  e:\n    - f: |\n        text {{ .Values.z }}\n"
        "      g: 2\n    - h\nk: {l: m}\n"
    )
    (doc,), _ = parse_documents(text)
    root = doc.root
    paths = _leaf_paths(root)
    assert len(paths) == 7
    for path in paths:
        assert path_at(root, *tree_position(root, path)) == path
    # Inside a value (a template in a block scalar's text): the value's own path.
    assert path_at(root, 6, 14) == ("a", "e", 0, "f")
    assert path_at(root, 1, 1) == ("a",)


# ---------------------------------------------------------------------------------------------
# Reading merge keys as Kubernetes and Helm do (go-yaml v2)


def test_a_merge_key_overrides_the_keys_written_before_it_as_go_yaml_v2_reads_it() -> None:
    """go-yaml v2 `decoder.mapping` sets a merge's keys where the `<<` is written: keys before
    it are replaced, keys after it override it; of a list, the first mapping wins."""
    # (Keys w, x, z: `y` is a boolean key to go-yaml v2.)
    text = (
        "a: &a {x: 1, w: 1}\n"
        "b: &b {x: 2, z: 2}\n"
        "before:\n  x: 0\n  <<: *a\n"
        "after:\n  <<: *a\n  x: 0\n"
        "listed:\n  <<: [*a, *b]\n"
        "twice:\n  <<: *a\n  <<: *b\n"
    )
    (doc,), _ = parse_documents(text)
    assert doc.root["before"] == {"x": 1, "w": 1}
    assert doc.root["after"] == {"x": 0, "w": 1}
    assert doc.root["listed"] == {"x": 1, "w": 1, "z": 2}
    assert doc.root["twice"] == {"x": 2, "w": 1, "z": 2}
    assert [(p.kind, p.line, p.column) for p in doc.problems] == [("duplicate-key", 4, 3)]
    assert "replaced by the merge key (<<) at line 5" in doc.problems[0].message


def test_the_checker_sees_the_merged_value_that_replaces_a_key_written_before_it(
    tmp_path: Path,
) -> None:
    """`privileged: false` written before `<<: *root` (privileged: true): Kubernetes runs the
    container privileged, and nblint says so."""
    path = tmp_path / "pod.yaml"
    path.write_text(
        "apiVersion: v1\n"
        "kind: Pod\n"
        "metadata: {name: p}\n"
        "spec:\n"
        "  containers:\n"
        "  - name: c\n"
        "    image: quay.io/jupyter/base-notebook:2024-10-07\n"
        "    securityContext:\n"
        "      privileged: false\n"
        "      <<: &root {privileged: true}\n"
    )
    found = brief(run(path, select={"privileged", "duplicate-key"}).findings)
    assert ("privileged", 10, 18) in found
    assert ("duplicate-key", 9, 7) in found
