"""What Helm does to the values between the user's files and the hub, where it reaches a pod.

* The hub reads the values from the secret the chart writes with ``toYaml``: through JSON, then
  go-yaml v2, which writes every mapping's keys in its own order (:func:`hub_order`), not the
  file's. A profile option whose choices name no default defaults to the first choice in *that*
  order, and options apply in it.
* The chart's resource names (``_helpers-names.tpl``) follow ``fullnameOverride`` and
  ``nameOverride`` (:func:`resource_names`); with the chart's own ``fullnameOverride: ""``
  most names are bare (``singleuser``, ``image-pull-secret``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The chart's name (``Chart.Name``).
CHART_NAME = "jupyterhub"


def key_text(key: Any) -> str:
    """A key as Helm holds it: JSON object keys are strings (``1`` → ``"1"``)."""
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


def hub_order(keys: Iterable[Any]) -> list[Any]:
    """``keys`` in the order the hub reads them: go-yaml v2's order of their text."""
    return sorted(keys, key=functools.cmp_to_key(_compare))


def hub_items(mapping: Mapping[Any, Any]) -> list[tuple[Any, Any]]:
    return [(key, mapping[key]) for key in hub_order(mapping)]


def _compare(a: Any, b: Any) -> int:
    left, right = key_text(a), key_text(b)
    if _less(left, right):
        return -1
    return 1 if _less(right, left) else 0


def _less(a: str, b: str) -> bool:
    """go-yaml v2's comparison of two keys: rune by rune, a letter before anything else, and a
    run of digits by its number (``a9`` before ``a10``)."""
    for i in range(min(len(a), len(b))):
        if a[i] == b[i]:
            continue
        a_letter, b_letter = a[i].isalpha(), b[i].isalpha()
        if a_letter and b_letter:
            return a[i] < b[i]
        if a_letter or b_letter:
            return b_letter
        a_number = b_number = 0
        if "0" in (a[i], b[i]):
            # A zero after a non-zero digit of the same run counts the run as non-zero.
            j = i - 1
            while j >= 0 and a[j].isdigit():
                if a[j] != "0":
                    a_number = b_number = 1
                    break
                j -= 1
        a_end = i
        while a_end < len(a) and a[a_end].isdigit():
            a_number = a_number * 10 + int(a[a_end])
            a_end += 1
        b_end = i
        while b_end < len(b) and b[b_end].isdigit():
            b_number = b_number * 10 + int(b[b_end])
            b_end += 1
        if a_number != b_number:
            return a_number < b_number
        if a_end != b_end:
            return a_end < b_end
        return a[i] < b[i]
    return len(a) < len(b)


def resource_names(values: Mapping[str, Any], release: str) -> dict[str, str]:
    """The names the hub reads from the chart's config map, for release ``release``."""
    override = values.get("fullnameOverride")
    if isinstance(override, str):
        fullname = override
    else:
        name = values.get("nameOverride") or CHART_NAME
        fullname = release if str(name) in release else f"{release}-{name}"
    prefix = f"{fullname}-" if fullname else ""
    return {
        "singleuser": f"{prefix}singleuser",
        "image-pull-secret": f"{prefix}image-pull-secret",
        # Cluster-wide names stay unique through the release name when there is no prefix.
        "priority": fullname or f"{release}-default-priority",
        "user-scheduler": f"{prefix}user-scheduler" if fullname else f"{release}-user-scheduler",
    }
