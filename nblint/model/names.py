"""Object names and label values the API server refuses, for every dialect (``invalid-name``,
field test 17b D5, 19b D3), and label and annotation values that are not text
(``wrong-field-type``, field test 19b D2).

An object's name is a DNS-1123 subdomain (lowercase letters, digits, ``-`` and ``.``, at most 253
characters, each dot-separated part starting and ending with a letter or digit) — custom
resources' too (the apiextensions API server validates every one's name so) —; a CronJob's is at
most 52 characters besides (its Jobs' names add 11). A name that becomes a Namespace's (a Kubeflow
Profile's) is a DNS-1123 label (no dots, at most 63); one that becomes a Service's (a Kubeflow
Notebook's) a DNS-1035 label (a DNS-1123 label that starts with a letter). Every label has a key
of an optional DNS subdomain prefix and ``/`` and a name of at most 63 letters, digits, ``-``,
``_`` and ``.`` starting and ending with a letter or digit, and a value that is empty or such a
name.

Labels and annotations are maps of text to text: kubectl and Helm read YAML 1.1, so an unquoted
``version: 2`` or ``enabled: yes`` is a number or a boolean, and the API server cannot decode the
object (``cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type
string``).

Only what is certain is said: a placeholder (``${NAME}``, ``{{ .Values.name }}``, ``<name>``,
``$NAME`` for envsubst, ``%name%``, an all-capitals ``NOTEBOOK_NAME`` a script replaces) is filled
in before the object reaches the API server.
"""

from __future__ import annotations

import re
from functools import cache

from nblint.model.pod import get_path
from nblint.model.template import show_value
from nblint.model.unknowable import is_unknowable_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from nblint.model.pod import Path

#: The longest CronJob name: the Jobs it makes are named ``<name>-<minutes since the epoch>``.
CRONJOB_NAME_MAX = 52
_SUBDOMAIN_MAX = 253
_LABEL_MAX = 63

NOT_SUBDOMAIN = (
    "is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting and "
    "ending with a letter or digit)"
)
NOT_LABEL = (
    "is not a DNS-1123 label (at most 63 lowercase letters, digits and '-', starting and "
    "ending with a letter or digit)"
)
NOT_DNS1035 = (
    "is not a DNS-1035 label (at most 63 lowercase letters, digits and '-', starting with a "
    "letter and ending with a letter or digit)"
)


@cache
def _subdomain() -> re.Pattern[str]:
    part = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    return re.compile(rf"{part}(\.{part})*")


@cache
def _dns_label() -> re.Pattern[str]:
    return re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")


@cache
def _label_name() -> re.Pattern[str]:
    return re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")


@cache
def _placeholder() -> re.Pattern[str]:
    # envsubst's $NAME, Windows-style %NAME%, and capitals a script replaces (NOTEBOOK_NAME).
    return re.compile(r"[$%@<>{}]|^[A-Z0-9_.-]*[A-Z][A-Z0-9_.-]*$")


def placeholder_name(value: str) -> bool:
    return is_unknowable_name(value) or bool(_placeholder().search(value))


def judged_name(value: Any) -> str | None:
    """``value`` when it is a name nblint judges: text, written, not a placeholder."""
    if isinstance(value, str) and value and not placeholder_name(value):
        return value
    return None


def name_problem(value: str, kind: str) -> str | None:
    """What is wrong with ``value`` as the name of a ``kind`` (None: nothing)."""
    if len(value) > _SUBDOMAIN_MAX or not _subdomain().fullmatch(value):
        return NOT_SUBDOMAIN
    if kind == "CronJob" and len(value) > CRONJOB_NAME_MAX:
        return f"is longer than a CronJob's {CRONJOB_NAME_MAX} characters"
    return None


def dns_label_problem(value: str) -> str | None:
    """What is wrong with ``value`` as a DNS-1123 label (a Namespace's name)."""
    if len(value) > _LABEL_MAX or not _dns_label().fullmatch(value):
        return NOT_LABEL
    return None


def dns1035_problem(value: str) -> str | None:
    """What is wrong with ``value`` as a DNS-1035 label (a Service's name)."""
    if dns_label_problem(value) is not None or not value[0].isalpha():
        return NOT_DNS1035
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


def label_refusals(at: Path, labels: dict[Any, Any]) -> list[tuple[Path, str]]:
    """``invalid-name``: each label key or text value of ``labels`` (at ``at``) refused."""
    found: list[tuple[Path, str]] = []
    where = ".".join(str(part) for part in at)
    for key, value in labels.items():
        if not isinstance(key, str) or placeholder_name(key):
            continue
        problem = label_key_problem(key)
        if problem is not None:
            found.append(((*at, key), f"label key {key} of {where} {problem}"))
            continue
        if isinstance(value, str) and not placeholder_name(value):
            problem = label_value_problem(value)
            if problem is not None:
                found.append(((*at, key), f"label {key}={value} of {where}: the value {problem}"))
    return found


def not_text(at: Path, values: Any) -> list[tuple[Path, str]]:
    """``wrong-field-type``: each value of the map at ``at`` (labels, annotations, a selector's
    labels) that is not text, with the hint to quote it. A null value is none (unset)."""
    if not isinstance(values, dict):
        return []
    found: list[tuple[Path, str]] = []
    where = ".".join(str(part) for part in at)
    for key, value in values.items():
        if value is None or isinstance(value, str):
            continue
        shown = show_value(value)
        found.append(
            (
                (*at, key),
                f"{where}.{key} must be text, not {shown}: quote it as written (YAML reads an "
                "unquoted yes, on, true or number as no text)",
            )
        )
    return found


def at(root: Any, path: Path) -> Any:
    """What ``root`` holds at ``path``; None where nothing is."""
    return get_path(root, path)[1]


#: The hint of an ``invalid-name`` finding about a label (the rule's own is about names).
LABEL_FIX = (
    "Write the label's key as a name of letters, digits, '-', '_' and '.' (at most 63, after an "
    "optional DNS prefix and '/'), and its value as at most 63 of those, starting and ending with "
    "a letter or digit (a selector's labels and its template's alike: one must select the other)."
)


def is_label_path(path: Path) -> bool:
    """Whether a refusal at ``path`` (:func:`label_refusals`) is about a label."""
    return len(path) > 1 and path[-2] in ("labels", "matchLabels", "selector")


#: An image reference by the grammar of distribution/reference (what the kubelet parses; one it
#: cannot is ``InvalidImageName``): ``[domain[:port]/]path[:tag][@digest]``, a lowercase path.
#: The same expression is in the rules ``invalid-image-reference`` and ``notebook-image-pinned``
#: (a test holds them to it).
REFERENCE = (
    r"^(?:(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
    r"(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])"
    r"(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
    r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
    r"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$"
)


@cache
def _reference() -> re.Pattern[str]:
    return re.compile(REFERENCE)


@cache
def _image_placeholder() -> re.Pattern[str]:
    return re.compile(r"\$\{|\$[A-Z_]|<[^<>]+>")


def invalid_reference(image: object) -> bool:
    """Whether ``image`` is text no container runtime reads as an image reference (two tags,
    an uppercase path, a scheme, blanks): not a blank one (no image), nor one with a
    placeholder (``${TAG}``, ``$TAG``, ``{{ }}``, ``<REGISTRY>``) that is filled in before it is
    used."""
    if not isinstance(image, str) or _plainly_valid(image):
        return False  # (almost every image: the grammar is not compiled for it)
    return (
        bool(image.strip())
        and "{{" not in image
        and _image_placeholder().search(image) is None
        and _reference().match(image) is None
    )


_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_SEPARATORS = frozenset("._-")
_TAG = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")


def _plainly_valid(image: str) -> bool:
    """Whether ``image`` is of the plain form most images have, a part of :data:`REFERENCE`'s
    language told by string tests: lowercase path components of letters and digits joined by
    one ``.``, ``_`` or ``-``, separated by ``/``, and an optional tag; no port, digest or
    other domain. False says only "not plainly": the grammar decides."""
    path, colon, tag = image.rpartition(":") if ":" in image else (image, "", "")
    if colon and (not tag or "/" in tag or not path):
        return False  # a port (`host:5000/x`), or nothing before or after the colon
    if tag and (len(tag) > 128 or tag[0] in "-." or not set(tag) <= _TAG):
        return False
    for part in path.split("/"):
        if not part or part[0] not in _LOWER or part[-1] not in _LOWER:
            return False
        previous = ""
        for char in part:
            if char in _SEPARATORS:
                if previous in _SEPARATORS:
                    return False
            elif char not in _LOWER:
                return False
            previous = char
    return True
