"""A null list item (``- null``, a ``-`` with nothing after it) is said as nulls in mappings are,
by what receives it: the API server takes it for an empty object and refuses the pod
(``wrong-field-type``, now for env, volume mounts and tolerations too, as for containers), and
KubeSpawner cannot make a Kubernetes object of it, so the spawn fails (``z2jh-spawn-failure``;
the end-to-end fixtures ``null-list-item*.yaml`` check it against the real hub). A key left empty
inside an item (``operator:``, ``value:``) is an unset field, which both take.
"""

from __future__ import annotations

from conftest import FIXTURES, run

MANIFEST = FIXTURES / "manifests" / "null-list-items.yaml"
VALUES = FIXTURES / "z2jh" / "trait-values"


def placed(path, select):  # type: ignore[no-untyped-def]
    return [(f.rule, f.line, f.column, f.profile) for f in run(path, select=select).findings]


def test_a_manifest_s_null_items_are_wrong_field_types_at_the_item() -> None:
    # Before, only the null container was said; the null toleration and env entry passed.
    assert placed(MANIFEST, {"wrong-field-type"}) == [
        ("wrong-field-type", 13, 7, None),
        ("wrong-field-type", 22, 11, None),
        ("wrong-field-type", 26, 7, None),
    ]


def test_a_null_item_of_a_kubespawner_list_fails_that_profile_s_spawns() -> None:
    assert placed(VALUES / "null-list-items.yaml", {"z2jh", "wrong-field-type"}) == [
        ("z2jh-spawn-failure", 16, 13, "container"),
        ("z2jh-spawn-failure", 20, 12, "init-container"),
        ("z2jh-spawn-failure", 24, 13, "volume-and-mount"),
        ("z2jh-spawn-failure", 26, 13, "volume-and-mount"),
        ("z2jh-spawn-failure", 30, 13, "pull-secret"),
        ("z2jh-spawn-failure", 34, 13, "toleration"),
    ]
    (finding, *_) = run(VALUES / "null-list-items.yaml", select={"z2jh"}).findings
    assert finding.message == (
        "`extra_containers` holds a null item: KubeSpawner 7.0.0 cannot make a Kubernetes "
        "object of it and the spawn fails"
    )


def test_a_null_item_in_the_values_fails_every_spawn_at_its_line() -> None:
    assert placed(VALUES / "null-list-item-in-values.yaml", {"z2jh", "wrong-field-type"}) == [
        ("z2jh-spawn-failure", 7, 6, None)
    ]
