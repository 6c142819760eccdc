"""The merges that apply fix hints: a strategic-merge patch and Helm's merge of values files."""

from __future__ import annotations

import pytest

from nblint.fix.merge import helm_merge, strategic_merge
from nblint.model.edit import comment_at

POD = {
    "spec": {
        "containers": [
            {"name": "notebook", "image": "a", "env": [{"name": "A", "value": "1"}]},
            {"name": "sidecar", "image": "b"},
        ],
        "volumes": [{"name": "home", "emptyDir": {}}],
        "hostNetwork": True,
    }
}


def test_strategic_merge_merges_containers_by_name_and_env_by_name() -> None:
    patch = {
        "spec": {
            "containers": [
                {"name": "notebook", "env": [{"name": "B", "value": "2"}]},
                {"name": "new", "image": "c"},
            ]
        }
    }
    merged = strategic_merge(POD, patch)
    assert merged["spec"]["containers"] == [
        {
            "name": "notebook",
            "image": "a",
            "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
        },
        {"name": "sidecar", "image": "b"},
        {"name": "new", "image": "c"},
    ]
    assert POD["spec"]["containers"][0]["env"] == [{"name": "A", "value": "1"}]  # untouched


def test_strategic_merge_null_deletes_a_key() -> None:
    assert "hostNetwork" not in strategic_merge(POD, {"spec": {"hostNetwork": None}})["spec"]


def test_strategic_merge_merges_mounts_by_mount_path_and_replaces_other_lists() -> None:
    base = {"volumeMounts": [{"name": "a", "mountPath": "/x"}], "args": ["--one"]}
    patch = {"volumeMounts": [{"name": "b", "mountPath": "/x", "readOnly": True}], "args": ["-2"]}
    assert strategic_merge(base, patch) == {
        "volumeMounts": [{"name": "b", "mountPath": "/x", "readOnly": True}],
        "args": ["-2"],
    }


def test_an_entry_without_its_merge_key_is_appended_not_merged_into_another() -> None:
    merged = strategic_merge({"env": [{"value": "1"}]}, {"env": [{"value": "2"}]})
    assert merged == {"env": [{"value": "1"}, {"value": "2"}]}


def test_helm_merge_replaces_every_list_and_merges_maps() -> None:
    values = {"singleuser": {"extraEnv": {"A": "1"}, "profileList": [{"display_name": "x"}]}}
    patch = {"singleuser": {"extraEnv": {"B": "2"}, "profileList": [{"display_name": "y"}]}}
    assert helm_merge(values, patch) == {
        "singleuser": {"extraEnv": {"A": "1", "B": "2"}, "profileList": [{"display_name": "y"}]}
    }


@pytest.mark.parametrize(
    ("line", "at"),
    [
        ("  key: value   # advice", 15),
        ("# a comment line", 0),
        ("  image: 'a # b'   # quoted text, then a comment", 19),
        ('  url: "x#y"', -1),
        ("  tag: v1#2", -1),
        ("\tkey: 1\t# after a tab", 8),
    ],
)
def test_a_comment_starts_at_a_hash_after_a_space_outside_quotes(line: str, at: int) -> None:
    assert comment_at(line) == at
