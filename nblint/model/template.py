"""Message and fix templates: ``{name}`` placeholders filled from a finding's variables.

Rule files word their messages and fix hints as templates (``{container_type} {container} is
privileged``); the check stage fills them for each finding, and ``nblint explain`` fills them with
stand-ins for the docs.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nblint.model.finding import clipped

TYPE_CHECKING = False
if TYPE_CHECKING:
    import json
    from typing import Any

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\}")


_MISSING = object()


def show_value(value: Any) -> str:
    """``value`` as a message or fix hint shows it: text as it is, anything else as JSON, which
    is YAML too (``false``, ``null``, ``[ALL]``), never Python's repr (``False``, ``None``)."""
    if isinstance(value, str):
        return value
    # What json.dumps writes for the scalars most violations quote, without its cost.
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if type(value) is int:
        return str(value)
    try:
        return _json_encoder().encode(value)
    except (TypeError, ValueError):
        return str(value)


@lru_cache(maxsize=1)
def _json_encoder() -> json.JSONEncoder:
    """What ``json.dumps(value, default=str)`` encodes with, made once rather than per value;
    json is imported only when a value that is not text is shown."""
    import json

    return json.JSONEncoder(default=str)


def render_template(text: str, variables: dict[str, Any]) -> str:
    """Fill ``{name}`` placeholders; ``{{``/``}}`` are literal braces.

    A value that is not text is shown as YAML (:func:`show_value`: ``false``, not ``False``).
    Anything else in braces stays as written, so a fix hint may use YAML flow mappings
    (``{type: RuntimeDefault}``) and an unknown name is left visible rather than failing. A
    value longer than :data:`MAX_VALUE_TEXT` characters is cut short (it comes from the input,
    which may hold a megabyte-long image name).
    """
    head_text, holes = _parsed_template(text)
    if not holes:
        return head_text
    out = [head_text]
    for written, name, key, literal in holes:
        value = variables.get(name, _MISSING)
        if key:  # {item.containerPort}: a field of a mapping variable
            value = value.get(key, _MISSING) if isinstance(value, dict) else _MISSING
        if value is _MISSING:
            out.append(written)
        else:
            shown = show_value(value)
            out.append(shown if len(shown) <= MAX_VALUE_TEXT else clipped(shown, MAX_VALUE_TEXT))
        out.append(literal)
    return "".join(out)


def fills_every_hole(text: str, variables: dict[str, Any]) -> bool:
    """Whether :func:`render_template` finds a value for every placeholder of ``text``: a fix
    hint with one left visible (``{item.containerPort}`` of a port that has none) is advice for
    a person, never YAML to apply."""
    _, holes = _parsed_template(text)
    for _, name, key, _ in holes:
        value = variables.get(name, _MISSING)
        if value is _MISSING or (key and (not isinstance(value, dict) or key not in value)):
            return False
    return True


#: The most of one value a message or fix hint shows.
MAX_VALUE_TEXT = 200


@lru_cache(maxsize=1024)
def _parsed_template(text: str) -> tuple[str, tuple[tuple[str, str, str, str], ...]]:
    """A template as the literal text before its first placeholder, and each placeholder as
    ``(as written, name, field, the literal text after it)``.

    Templates come from a few dozen rule files and are filled thousands of times.
    """
    literals, holes = [], []
    pending, pos = "", 0
    for match in _PLACEHOLDER.finditer(text):
        pending += text[pos : match.start()]
        pos = match.end()
        if match[1] is None:  # {{ or }}
            pending += match[0][0]
            continue
        head, _, key = match[1].partition(".")
        literals.append(pending)
        holes.append((match[0], head, key))
        pending = ""
    literals.append(pending + text[pos:])
    return literals[0], tuple(
        (*hole, literal) for hole, literal in zip(holes, literals[1:], strict=True)
    )


#: What a hint's placeholders show in documentation (``explain``, SARIF help, ``docs/rules``),
#: where no finding fills them in.
STAND_INS: dict[str, Any] = {
    "container": "<container>",
    "container_list": "containers",
    "container_type": "container",
    "volume": "<volume>",
    "home": "/home/jovyan",
    "home_volume": "home",
    "mount_path": "/tmp",
    "first_path": "/tmp",
    "resource": "nvidia.com/gpu",
    "uid": "1000",
    "notebook_uid": "1000",
    "notebook_gid": "100",
    "uid_note": "the image's notebook user, assumed when nblint does not know the image; a "
    "non-root uid the input sets is kept",
    "gid_note": "the image's group; assumed when nblint does not know the image",
    "fs_gid": "100",
    "fs_gid_note": "the image's notebook group; assumed when nblint does not know the image",
    "scc_uid": "null",
    "scc_uid_note": "OpenShift's restricted-v2 SCC assigns one from the namespace's range",
    # The z2jh key of the id openshift-scc-range finds (singleuser.uid, or fsGid for fsGroup).
    "values_key": "uid",
    "privilege": "privileged: true",
    "home_note": "",
    "key": "<key>",
    "parent": "<handler>",
    "value": "<value>",
    "item": {"containerPort": "<port>"},
    "facts": {
        "service_account_binding": "RoleBinding/<binding> binds ServiceAccount <account> to "
        "Role/<role>",
        "egress_to_metadata": "0",
    },
    "claim": "<claim>",
    "volume_claim": "<your-claim>",
    "volume_claim_note": "a claim of yours bound to a PersistentVolume of this storage",
    "volume_name": "<volume>",
    "gpu_pool_label": "cloud.google.com/gke-accelerator",
    "gpu_pool_value": "nvidia-tesla-t4",
    "replacement": "<a notebook image that does the same job as its own user>",
    "replacement_name": "<that image's repository>",
    "replacement_tag": "<its tag>",
    "image_name": "<image>",
    "kustomize_image": "<the images: entry's name>",
    "request": "<request>",
    "bucket": "limits",
    "wanted": "<amount>",
    "sizes_section": "memory",
    "sizes_key": "limit",
    "sizes_value": "<guarantee>",
}


def documented(text: str, options: dict[str, Any]) -> str:
    """A rule's hint or message as documentation shows it: placeholders filled with
    :data:`STAND_INS` and the rule's ``options`` (its thresholds)."""
    variables: dict[str, Any] = {**STAND_INS, **options}
    variables.setdefault("limit", options.get("max_idle_seconds", "<limit>"))
    return render_template(text, variables)


def unfilled(text: str, options: dict[str, Any]) -> list[str]:
    """The placeholders of ``text`` that :func:`documented` leaves unfilled (``{{name}}`` is a
    literal, not a placeholder: KubeSpawner's own ``{username}``)."""
    variables: dict[str, Any] = {**STAND_INS, **options, "limit": None}
    _, holes = _parsed_template(text)
    return [
        written
        for written, head, key, _ in holes
        if head not in variables
        or (key and not (isinstance(variables[head], dict) and key in variables[head]))
    ]
