"""Files that are clearly not Kubernetes, found in a walk of a deployment repository: skipped and
counted like any other document no dialect reads, never an error that fails CI.

``tests/fixtures/foreign/walk`` is such a repository: an Ansible playbook and a role's task file
(lists by definition), a GitHub Actions workflow and a docker-compose file (mappings no dialect
claims) beside z2jh values. A list that is a manifest written wrong (objects, or a container list
one level too high) is still ``document-not-a-mapping``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, run

from nblint.load.files import discover
from nblint.load.foreign import foreign_label
from nblint.model.result import RunResult

FOREIGN = FIXTURES / "foreign"


def found(result: RunResult) -> list[tuple[str, str, int]]:
    return sorted(
        (f.rule, Path(f.file).relative_to(FOREIGN).as_posix(), f.line) for f in result.findings
    )


def test_a_walk_skips_and_counts_ansible_workflows_and_compose_files() -> None:
    result = run(*discover([str(FOREIGN / "walk")]), select={"run-as-user"})
    assert found(result) == [
        ("run-as-user", "walk/values.yaml", 1),  # the chart's init container
        ("run-as-user", "walk/values.yaml", 2),
    ]
    assert result.files == 5
    assert result.pod_count == 1
    assert result.skipped == {
        "(Ansible playbook)": 1,
        "(Ansible tasks)": 1,
        "(no kind)": 2,  # the workflow and the compose file
    }


def test_a_playbook_named_on_the_command_line_is_skipped_too() -> None:
    # As every other skip (a Service, a chart's templates/): naming a file changes nothing.
    result = run(FOREIGN / "walk" / "ansible" / "site.yml")
    assert found(result) == []
    assert result.skipped == {"(Ansible playbook)": 1}


@pytest.mark.parametrize("case", ["containers-one-level-too-high.yaml", "objects-as-a-list.yaml"])
def test_a_list_that_is_a_manifest_written_wrong_is_still_an_error(case: str) -> None:
    result = run(FOREIGN / case)
    assert found(result) == [("document-not-a-mapping", case, 1)]


@pytest.mark.parametrize(
    ("root", "label"),
    [
        ([{"hosts": "all", "tasks": []}], "(Ansible playbook)"),
        ([{"import_playbook": "hub.yml"}], "(Ansible playbook)"),
        ([{"name": "x", "ansible.builtin.copy": {}}, {"set_fact": {}}], "(Ansible tasks)"),
        ([{"name": "x", "kubernetes.core.helm": {}}], "(Ansible tasks)"),
        ([{"name": "x", "command": "helm list"}], "(Ansible tasks)"),
        # A Kubernetes list item (a container, a volume) is no task.
        ([{"name": "c", "command": ["sh"]}], None),
        ([{"name": "home", "emptyDir": {}}], None),
        ([{"hosts": "all"}, {"name": "c", "image": "i"}], None),
        ([{"apiVersion": "v1", "kind": "Pod", "when": "x"}], None),
        ([], None),
        (["text"], None),
        ({"hosts": "all"}, None),
    ],
)
def test_what_is_clearly_ansible(root: object, label: str | None) -> None:
    assert foreign_label(root) == label
