"""Type confusion, exhaustively: every field of a full notebook pod, Notebook and values file is
replaced in turn by a value of each other type, and no check may fail on it.

Hypothesis (``test_property.py``) draws random trees; this sweep is the deterministic complement:
a field of the wrong type must end as a finding (``wrong-field-type``, ``z2jh-wrong-type``, …) or
be read as absent, never as an ``internal-error`` that hides the document's other findings.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, ROOT

from nblint.run.pipeline import Options, Runner

INPUTS = [
    FIXTURES / "sweep" / "maximal-notebook-pod.yaml",
    FIXTURES / "sweep" / "namespace-objects.yaml",  # namespace admission reads them together
    ROOT / "examples" / "kubeflow-notebook.yaml",
    ROOT / "examples" / "z2jh-values.yaml",
    FIXTURES / "z2jh" / "pods" / "hub-config-replaces.yaml",  # hub.config sections
]
#: One value of each kind a field can wrongly hold.
WRONG = [5, "x", [5], {"a": 1}, None]


def field_paths(tree: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from field_paths(value, (*prefix, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from field_paths(value, (*prefix, index))


def replaced(tree: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    out = copy.deepcopy(tree)
    node = out
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return out


@pytest.mark.parametrize("source", INPUTS, ids=lambda p: p.name)
def test_no_field_of_the_wrong_type_breaks_a_check(source: Path, tmp_path: Path) -> None:
    documents = list(yaml.safe_load_all(source.read_text()))
    runner = Runner(Options())
    mutated_file = tmp_path / source.name
    broken = []
    for index, document in enumerate(documents):
        for path in field_paths(document):
            for value in WRONG:
                mutated = [
                    replaced(d, path, value) if i == index else d for i, d in enumerate(documents)
                ]
                mutated_file.write_text(yaml.safe_dump_all(mutated))
                result = runner.run([str(mutated_file)])
                errors = [f.message for f in result.findings if f.rule == "internal-error"]
                if errors:
                    broken.append((index, path, value, errors[0]))
    assert broken == []
