"""The notebook sets CPU and memory requests and limits (``notebook-resources``).

Why Python: what is missing is one problem of one container, said once at the line to edit with
one fix; and the fix must fit what the container already asks for. The rule file's hints give
every field its default; a finding's hint is the rule's, cut to the fields the container lacks.
A default limit below a request the container sets (``memory.guarantee: 24G``, then ``limit:
4G``), or a default request above a limit it sets, makes a pod the API server refuses ("must be
less than or equal to … limit"): such a value becomes the request (the limit) instead, and the
hint says why.

A hint names a field in one of two shapes, both read here without knowing whose they are:
``requests:``/``limits:`` then ``cpu:``/``memory:`` (a pod's resources: Kubernetes quantities),
or ``cpu:``/``memory:`` then ``guarantee:``/``limit:`` (KubeSpawner's sizes: a CPU count, memory
in K, M, G, T of 1024).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from nblint.check import podview
from nblint.check.targets import RawViolation, notebook_of
from nblint.model.edit import DISPLAY_ONLY
from nblint.model.pod import EffectivePod
from nblint.model.quantity import compare_quantities, quantity_ratio

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The fields the rule asks for, in the order its message names them.
FIELDS = (("requests", "cpu"), ("requests", "memory"), ("limits", "cpu"), ("limits", "memory"))
_OTHER = {"requests": "limits", "limits": "requests"}
#: A field as KubeSpawner's sizes name it: ``(resource, key)`` → ``(bucket, resource)``.
_SIZES = {"guarantee": "requests", "limit": "limits"}
#: Why a value is not the default, per bucket, for each shape (pod resources, sizes).
_WHY = {
    "limits": (
        "the request: a limit below it is refused by the API server",
        "the guarantee: a limit below it makes every spawn fail",
    ),
    "requests": (
        "the limit: a request above it is refused by the API server",
        "the limit: a guarantee above it makes every spawn fail",
    ),
}


@cache
def _line() -> re.Pattern[str]:
    """``indent, "- " or "", key, value`` of a line of a hint (compiled when a hint is cut)."""
    return re.compile(r"(?P<indent> *)(?P<item>- )?(?P<key>[^\s:#][^:#]*):(?: +(?P<value>.*))?")


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:
    found = notebook_of(pod)
    if found is None:
        return
    base, container, variables = found
    resources = podview._dict(container.get("resources"))
    buckets = {name: podview._dict(resources.get(name)) for name in ("requests", "limits")}
    missing = [(bucket, name) for bucket, name in FIELDS if buckets[bucket].get(name) is None]
    if not missing:
        return
    paths = [(*base, "resources", bucket, name) for bucket, name in missing]
    path, origin = _one_place(pod, paths)
    fitted = _Fitted(buckets, set(missing))
    hints = {key: fitted.hint(template) for key, template in (rule.fix or {}).items()}
    names = ", ".join(f"resources.{bucket}.{name}" for bucket, name in missing)
    yield RawViolation(
        path,
        f"notebook container {{container}} sets no {names}",
        variables["container"],
        fix=hints,
        variables={**variables, "field": names, "value": "unset"},
        anchor=fitted.anchor(base),
        # A value nblint cannot read may be above any limit it would write: only shown.
        fix_safety=DISPLAY_ONLY if fitted.unknown else None,
        origin=origin,
    )


def _one_place(pod: EffectivePod, paths: list[Any]) -> tuple[Any, Any]:
    """The path to report and its origin: where every missing field is written (or would be),
    else the key they share when that is where one of them is (``resources:`` for the four of
    a container without any), else the first of them in the file (z2jh's separate ``cpu:`` and
    ``memory:`` keys, each written with null values)."""
    provenance = pod.provenance
    origins = [provenance.locate(path) for path in paths]
    if len(set(origins)) == 1:
        return paths[0], origins[0]
    common = 0
    while all(len(p) > common for p in paths) and len({p[common] for p in paths}) == 1:
        common += 1
    there = provenance.locate(paths[0][:common])
    if there in origins:
        return paths[origins.index(there)], there
    first = min(range(len(paths)), key=lambda i: (origins[i].line, origins[i].column))
    return paths[first], origins[first]


class _Fitted:
    """The rule's hints cut to one container's missing fields, each value fitted to what the
    container sets."""

    def __init__(self, buckets: dict[str, dict[str, Any]], missing: set[tuple[str, str]]) -> None:
        self.buckets = buckets
        self.missing = missing
        #: The fields whose value is the container's request or limit, not the default.
        self.raised: set[tuple[str, str]] = set()
        self.unknown = False

    def anchor(self, base: Any) -> Any:
        """The pod path of the value the fix is measured against — a request a limit is raised
        to, memory first (the usual large one) — else of a request or limit the container sets
        for a resource the fix touches: the fix goes where that value comes from (a z2jh
        profile's kubespawner_override). None when it sets none."""
        order = sorted(self.missing, key=lambda f: (f not in self.raised, f[1] != "memory", f[0]))
        for bucket, name in order:
            if self.buckets[_OTHER[bucket]].get(name) is not None:
                return (*base, "resources", _OTHER[bucket], name)
        return None

    def hint(self, template: str) -> str:
        """``template`` with only the missing fields, and the parents that hold them."""
        lines = template.rstrip("\n").splitlines()
        kept = self._kept(lines, 0, len(lines), ())
        return "\n".join(kept)

    def _kept(self, lines: list[str], start: int, end: int, keys: tuple[str, ...]) -> list[str]:
        out: list[str] = []
        index = start
        while index < end:
            line = lines[index]
            match = _line().fullmatch(line)
            indent = len(line) - len(line.lstrip(" "))
            child_end = index + 1
            while child_end < end and (
                not lines[child_end].strip() or _indent(lines[child_end]) > indent
            ):
                child_end += 1
            if match is None or not match["key"].strip():
                out.append(line)  # a comment, a list item without a key: as written
            elif child_end > index + 1 or not match["value"]:
                children = self._kept(lines, index + 1, child_end, (*keys, match["key"].strip()))
                if children or match["value"]:
                    out += [line, *children]
            else:
                out += self._field(line, match, (*keys, match["key"].strip()))
            index = child_end
        return out

    def _field(self, line: str, match: re.Match[str], keys: tuple[str, ...]) -> list[str]:
        """A leaf of the hint: kept when it is a missing field, its value fitted."""
        parent, key = keys[-2:] if len(keys) > 1 else ("", keys[-1])
        if parent in _OTHER and key in ("cpu", "memory"):
            field, sizes = (parent, key), False
        elif parent in ("cpu", "memory") and key in _SIZES:
            field, sizes = (_SIZES[key], parent), True
        else:
            return [line]  # not a resource field (a container's name)
        if field not in self.missing:
            return []
        bucket, name = field
        other = self.buckets[_OTHER[bucket]].get(name)
        if other is None:
            return [line]
        default = match["value"].split("#", 1)[0].strip().strip("\"'")
        if sizes and name == "memory":
            default = _size_bytes(default)
        order = compare_quantities(other, default)
        if order is None:
            self.unknown = True
            return [line]
        if order != (1 if bucket == "limits" else -1):
            return [line]
        self.raised.add(field)
        value = sizes_text(name, other) if sizes else quantity_text(other)
        head = line[: match.start("value")]
        return [f"{head}{value}   # {_WHY[bucket][sizes]}"]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _size_bytes(text: str) -> str:
    """A KubeSpawner memory size (``4G``: 4 times 2**30 bytes) as a Kubernetes quantity."""
    units = {"K": "Ki", "M": "Mi", "G": "Gi", "T": "Ti"}
    return text[:-1] + units[text[-1]] if text[-1:] in units else text


def quantity_text(value: Any) -> str:
    """A quantity the input wrote, written again in a hint (text that looks like a number stays
    text)."""
    if isinstance(value, str):
        return f'"{value}"' if value.replace(".", "", 1).isdigit() else value
    return str(value)


def sizes_text(name: str, value: Any) -> str:
    """Quantity ``value`` in KubeSpawner's sizes: a CPU count, or memory in K, M, G, T of 1024
    (a byte count when none divides it)."""
    ratio = quantity_ratio(value)
    if ratio is None:
        return quantity_text(value)
    numerator, denominator = ratio
    if name == "cpu":
        if numerator % denominator == 0:
            return str(numerator // denominator)
        return f"{numerator / denominator:g}"
    whole = -(-numerator // denominator)  # whole bytes, rounded up: never below the amount
    for suffix, power in (("T", 40), ("G", 30), ("M", 20), ("K", 10)):
        if whole and whole % 2**power == 0:
            return f"{whole // 2**power}{suffix}"
    return str(whole)
