"""Object names and labels the API server refuses (``invalid-name``, field test 17b D5).

Every kind nblint builds a pod from is named as a DNS-1123 subdomain (lowercase letters, digits,
``-`` and ``.``, at most 253 characters, each dot-separated part starting and ending with a
letter or digit); a CronJob's name is at most 52 characters besides (its Jobs' names add 11).
Every label — the object's, its template's, and its selector's ``matchLabels`` (or a plain
selector's) — has a key of an optional DNS subdomain prefix and ``/`` and a name of at most 63
letters, digits, ``-``, ``_`` and ``.`` starting and ending with a letter or digit, and a value
that is empty or such a name. An object that breaks one is refused whole, so the dialect yields
the refusal alone, at each line to edit, as it does for a selector that misses its template.

Only what is certain is said: a placeholder (``${NAME}``, ``{{ .Values.name }}``, ``<name>``,
``$NAME`` for envsubst, ``%name%``, an all-capitals ``NOTEBOOK_NAME`` a script replaces) is filled
in before the object reaches the API server, and a value that is not text is another rule's.
"""

from __future__ import annotations

import re
from functools import cache

from nblint.dialects.manifest import TEMPLATE_PATHS
from nblint.dialects.manifest.selector import PLAIN
from nblint.model.unknowable import is_unknowable_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from nblint.model.pod import Path

#: The longest CronJob name: the Jobs it makes are named ``<name>-<minutes since the epoch>``.
CRONJOB_NAME_MAX = 52
_SUBDOMAIN_MAX = 253
_LABEL_MAX = 63
_SELECTOR: Path = ("spec", "selector")


@cache
def _subdomain() -> re.Pattern[str]:
    part = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    return re.compile(rf"{part}(\.{part})*")


@cache
def _label_name() -> re.Pattern[str]:
    return re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")


@cache
def _placeholder() -> re.Pattern[str]:
    # envsubst's $NAME, Windows-style %NAME%, and capitals a script replaces (NOTEBOOK_NAME).
    return re.compile(r"[$%@<>{}]|^[A-Z0-9_.-]*[A-Z][A-Z0-9_.-]*$")


def _placeholder_name(value: str) -> bool:
    return is_unknowable_name(value) or bool(_placeholder().search(value))


def name_problem(value: str, kind: str) -> str | None:
    """What is wrong with ``value`` as the name of a ``kind`` (None: nothing)."""
    if len(value) > _SUBDOMAIN_MAX or not _subdomain().fullmatch(value):
        return (
            "is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting and "
            "ending with a letter or digit)"
        )
    if kind == "CronJob" and len(value) > CRONJOB_NAME_MAX:
        return f"is longer than a CronJob's {CRONJOB_NAME_MAX} characters"
    return None


def label_key_problem(key: str) -> str | None:
    prefix, slash, name = key.rpartition("/")
    if slash and (len(prefix) > _SUBDOMAIN_MAX or not _subdomain().fullmatch(prefix)):
        return "has a prefix that is not a DNS-1123 subdomain"
    if len(name) > _LABEL_MAX or not _label_name().fullmatch(name):
        return (
            "is not a label key (at most 63 letters, digits, '-', '_' and '.', starting and "
            "ending with a letter or digit, after an optional DNS prefix and '/')"
        )
    return None


def label_value_problem(value: str) -> str | None:
    if value and (len(value) > _LABEL_MAX or not _label_name().fullmatch(value)):
        return (
            "is not a label value (at most 63 letters, digits, '-', '_' and '.', starting and "
            "ending with a letter or digit)"
        )
    return None


def refusals(root: dict[str, Any]) -> list[tuple[Path, str]]:
    """``(path to place it at, what is wrong)`` for each name or label of the object the API
    server refuses, in file order of the parts (name, labels, selector, template labels)."""
    kind = str(root.get("kind"))
    found: list[tuple[Path, str]] = []
    metadata = root.get("metadata")
    if isinstance(metadata, dict):
        name = metadata.get("name")
        if isinstance(name, str) and name and not _placeholder_name(name):
            problem = name_problem(name, kind)
            if problem is not None:
                found.append((("metadata", "name"), f"metadata.name {name} {problem}"))
    template = TEMPLATE_PATHS.get(kind, ())
    places: list[tuple[Path, Any]] = [(("metadata", "labels"), _at(root, ("metadata", "labels")))]
    if template:
        # A ReplicationController's (and a DeploymentConfig's) selector is a plain map of labels.
        at = _SELECTOR if kind in PLAIN else (*_SELECTOR, "matchLabels")
        places.append((at, _at(root, at)))
        labels_at = (*template, "metadata", "labels")
        places.append((labels_at, _at(root, labels_at)))
    for at, labels in places:
        if isinstance(labels, dict):
            found.extend(_label_refusals(at, labels))
    return found


def _label_refusals(at: Path, labels: dict[Any, Any]) -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    where = ".".join(str(part) for part in at)
    for key, value in labels.items():
        if not isinstance(key, str) or _placeholder_name(key):
            continue
        problem = label_key_problem(key)
        if problem is not None:
            found.append(((*at, key), f"label key {key} of {where} {problem}"))
            continue
        if isinstance(value, str) and not _placeholder_name(value):
            problem = label_value_problem(value)
            if problem is not None:
                found.append(((*at, key), f"label {key}={value} of {where}: the value {problem}"))
    return found


def _at(root: Any, path: Path) -> Any:
    node = root
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node
