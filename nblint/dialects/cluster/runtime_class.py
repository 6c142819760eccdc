"""A RuntimeClass → its scheduling and overhead (:class:`nblint.model.runtime_class
.RuntimeClass`), for the run index: the run applies it to the pods that name it, as the
RuntimeClass admission plugin does. nblint reports nothing about the object itself."""

from __future__ import annotations

from nblint.load.provenance import tree_position
from nblint.model.document import Recognised
from nblint.model.pod import Origin
from nblint.model.runtime_class import RuntimeClass

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The kind, as the cluster dialect claims it.
KIND = "RuntimeClass"


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def runtime_class(document: Recognised) -> RuntimeClass | None:
    """The RuntimeClass of ``document``, or None when it names none (a class without a name
    is no class a pod can name)."""
    root = document.root
    name = _mapping(root.get("metadata")).get("name")
    if not isinstance(name, str) or not name:
        return None

    def origin(*path: Any) -> Origin:
        line, column = tree_position(root, path)
        return Origin(document.file, line, column)

    scheduling = _mapping(root.get("scheduling"))
    selector = tuple(
        (key, value, origin("scheduling", "nodeSelector", key))
        for key, value in _mapping(scheduling.get("nodeSelector")).items()
        if isinstance(key, str) and isinstance(value, str)
    )
    tolerations = scheduling.get("tolerations")
    added = tuple(
        (dict(item), origin("scheduling", "tolerations", index))
        for index, item in enumerate(tolerations if isinstance(tolerations, list) else ())
        if isinstance(item, dict)
    )
    fixed = _mapping(root.get("overhead")).get("podFixed")
    overhead = (dict(fixed), origin("overhead", "podFixed")) if isinstance(fixed, dict) else None
    return RuntimeClass(f"{KIND}/{name}", origin(), selector, added, overhead)
