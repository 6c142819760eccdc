"""Documents that are clearly not Kubernetes nor values, though YAML: skipped and counted, as
any other document no dialect reads, never the error a list gets (``not-a-mapping``, which is
for a manifest or values file written as a list: broken indentation, a pasted fragment).

An Ansible playbook or task file is a list by definition; repositories that install z2jh with
Ansible keep them beside the values. A list is one when every item is a mapping without
``apiVersion``/``kind`` that carries a sign of a play (``hosts``, ``import_playbook``) or of a
task (a task keyword, a module no Kubernetes object writes, a collection's ``ns.coll.module``).
Keys a Kubernetes list item also has (``name``, ``command`` as a list, ``env``) prove nothing:
a container list written one level too high stays an error. (Mappings that are not Kubernetes —
GitHub Actions workflows, docker-compose files — need nothing here: no dialect claims them.)
"""

from __future__ import annotations

import re
from functools import cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Keys of an Ansible play (a playbook's item).
_PLAY = frozenset({"hosts", "import_playbook", "ansible.builtin.import_playbook"})

#: Task keywords and common modules of ``ansible.builtin`` written short, none a field of a
#: Kubernetes list item (container, volume, toleration, …).
_TASK = frozenset(
    {
        "apt",
        "assert",
        "become",
        "become_user",
        "block",
        "changed_when",
        "copy",
        "debug",
        "delegate_to",
        "dnf",
        "failed_when",
        "get_url",
        "ignore_errors",
        "import_role",
        "import_tasks",
        "include_role",
        "include_tasks",
        "include_vars",
        "lineinfile",
        "loop",
        "loop_control",
        "notify",
        "package",
        "pip",
        "register",
        "service",
        "set_fact",
        "shell",
        "systemd",
        "unarchive",
        "until",
        "wait_for",
        "when",
        "with_items",
        "yum",
    }
)


@cache
def _collection_module() -> re.Pattern[str]:
    return re.compile(r"^[a-z0-9_]+\.[a-z0-9_]+\.[a-z0-9_]+$")


def foreign_label(root: Any) -> str | None:
    """How a document that is clearly not Kubernetes is counted among the skipped ones
    (``(Ansible playbook)``, ``(Ansible tasks)``); None for any other (a list that is not
    clearly Ansible stays a ``not-a-mapping`` problem)."""
    if not isinstance(root, list) or not root:
        return None
    play = False
    for item in root:
        if not isinstance(item, dict) or "apiVersion" in item or "kind" in item:
            return None
        keys = {key for key in item if isinstance(key, str)}
        if keys & _PLAY:
            play = True
        elif not (
            keys & _TASK
            or isinstance(item.get("command"), str)  # Kubernetes' `command` is a list
            or any(_collection_module().match(key) for key in keys)
        ):
            return None
    return "(Ansible playbook)" if play else "(Ansible tasks)"
