"""Container names that repeat within one pod.

Why Python: names must be unique across three lists (init, regular and ephemeral containers),
a cross-list comparison that a JSON Schema over one value cannot express.
"""

from __future__ import annotations

from collections.abc import Iterator

from nblint.check.targets import RawViolation, targets_of
from nblint.model.pod import EffectivePod, format_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:
    first: dict[Any, Any] = {}
    for path, container, variables in targets_of(pod, "container"):
        name = container.get("name")
        if name is None or isinstance(name, (dict, list)):
            continue
        if name in first:
            yield RawViolation(
                (*path, "name"),
                f"{variables['container_type']} name {name!r} is already used by "
                f"{format_path(first[name])}",
                variables["container"],
            )
        else:
            first[name] = path
