"""Whether a raw workload is a notebook: the annotation, else the signs of the workloads table.

A pod of the manifest dialect carries ``facts["workload"]`` (its object's metadata): it is any
workload a bundle holds, the JupyterHub hub or a database as much as a notebook. The run asks
:func:`not_a_notebook` once per such pod; a workload that is not a notebook is checked with
the plan that leaves out the notebook checklist (``Runner.plan_for(..., notebook=False)``) and
gets one ``workload-not-a-notebook`` finding naming why. Decided in this order:

1. ``nblint.io/notebook: "true"`` / ``"false"`` on the pod template, else on the object;
2. the signs of ``tables/workloads.yaml`` in order, the first that matches deciding;
3. otherwise a notebook (what nblint did before it judged workloads at all).

A few dict lookups per pod: the images are matched once per run (memoised), globs compiled once.
"""

from __future__ import annotations

import os
from typing import Any

from nblint.check import images, tables
from nblint.model.finding import Reported
from nblint.model.pod import EffectivePod, Origin, Path

#: The annotation that says, on the object or its pod template, whether it is a notebook.
ANNOTATION = "nblint.io/notebook"
#: The rule that says a workload is not a notebook.
RULE = "workload-not-a-notebook"
#: The table of signs, and its key.
TABLE, KEY = "workloads", "signs"

_repositories: dict[str, str] = {}
#: id(the table's signs) → ((sign number, image) → whether its image globs match, the signs
#: themselves, kept alive so that the id stays theirs), as :func:`images.lookup` memoises.
_memo: dict[int, tuple[dict[tuple[int, str], bool], list[dict[str, Any]]]] = {}


def _answers(signs: list[dict[str, Any]]) -> dict[tuple[int, str], bool]:
    found = _memo.get(id(signs))
    if found is None:
        _memo.clear()
        found = _memo[id(signs)] = ({}, signs)
    return found[0]


def _repository(image: str) -> str:
    found = _repositories.get(image)
    if found is None:
        if len(_repositories) > 4096:
            _repositories.clear()
        found = _repositories[image] = images.parse_image(image).repository
    return found


def _flag(value: Any) -> bool | None:
    """The annotation's verdict: ``"true"``/``"false"`` (any case), else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _object_origin(pod: EffectivePod, metadata: dict[str, Any], keys: tuple[str, ...]) -> Origin:
    """Where ``metadata`` (the object's, a positioned tree) writes ``keys``, or the nearest
    ancestor that has a position."""
    node: Any = metadata
    line, column = getattr(metadata, "pos", (1, 1))
    for key in keys:
        positions = getattr(node, "key_pos", None)
        if not isinstance(node, dict) or key not in node or positions is None:
            break
        line, column = positions.get(key, (line, column))
        node = node[key]
    return Origin(pod.file, max(line, 1), max(column, 1))


def not_a_notebook(pod: EffectivePod) -> Reported | None:
    """The finding that says the workload of ``pod`` is not a notebook, or None (a notebook)."""
    own = _mapping(pod.facts.get("workload"))
    metadata = _mapping(pod.pod.get("metadata"))
    # 1. The annotation: the pod template's, else the object's.
    template_says = _flag(_mapping(metadata.get("annotations")).get(ANNOTATION))
    if template_says is not None:
        if template_says:
            return None
        where = pod.provenance.locate(("metadata", "annotations", ANNOTATION))
        return _reported(pod, f'its pod template is annotated {ANNOTATION}: "false"', where)
    object_says = _flag(_mapping(own.get("annotations")).get(ANNOTATION))
    if object_says is not None:
        if object_says:
            return None
        where = _object_origin(pod, own, ("annotations", ANNOTATION))
        return _reported(pod, f'it is annotated {ANNOTATION}: "false"', where)
    # 2. The signs, in order.
    spec = _mapping(pod.pod.get("spec"))
    containers = spec.get("containers")
    container = containers[0] if isinstance(containers, list) and containers else None
    container = container if isinstance(container, dict) else {}
    signs = tables.entries(TABLE, KEY)
    answers = _answers(signs)
    for number, sign in enumerate(signs):
        hit = _match(sign, number, answers, pod, container, metadata, own)
        if hit is None:
            continue
        if sign.get("notebook") is not False:
            return None
        evidence, where = hit
        what = sign.get("what")
        return _reported(pod, f"{evidence}, {what}" if what else evidence, where)
    return None


def _reported(pod: EffectivePod, evidence: str, where: Origin) -> Reported:
    return Reported(
        RULE,
        f"{pod.object} is not a notebook: {evidence}; the notebook checklist is left out (Pod "
        f'Security Admission is checked); annotate it {ANNOTATION}: "true" to check it as one',
        where,
        object=pod.object,
    )


_CONTAINER: Path = ("spec", "containers", 0)


def _match(
    sign: dict[str, Any],
    number: int,
    answers: dict[tuple[int, str], bool],
    pod: EffectivePod,
    container: dict[str, Any],
    metadata: dict[str, Any],
    own: dict[str, Any],
) -> tuple[str, Origin] | None:
    """What in the pod matches ``sign`` (said in words, and where), or None."""
    name = container.get("name")
    image = container.get("image")
    globs = sign.get("images")
    if isinstance(globs, list) and isinstance(image, str) and image:
        # Every pod of a bundle asks about the same few images: each sign answers each once.
        key = (number, image)
        known = answers.get(key)
        if known is None:
            if len(answers) > 4096:
                answers.clear()
            repository = _repository(image)
            known = answers[key] = any(
                isinstance(g, str) and images.glob(g).match(repository) for g in globs
            )
        if known:
            return _image_hit(pod, name, image)
    if sign.get("notebook-images") is True and isinstance(image, str) and images.lookup(image):
        return _image_hit(pod, name, image)
    globs = sign.get("commands")
    if isinstance(globs, list):
        for field in ("command", "args"):
            words = container.get(field)
            for position, word in enumerate(words if isinstance(words, list) else ()):
                for part in word.split() if isinstance(word, str) else ():
                    base = os.path.basename(part)
                    if any(isinstance(g, str) and images.glob(g).match(base) for g in globs):
                        where = pod.provenance.locate((*_CONTAINER, field, position))
                        return f"its container {name} runs {base}", where
    globs = sign.get("env")
    if isinstance(globs, list):
        env = container.get("env")
        for position, entry in enumerate(env if isinstance(env, list) else ()):
            variable = entry.get("name") if isinstance(entry, dict) else None
            if isinstance(variable, str) and any(
                isinstance(g, str) and images.glob(g).match(variable) for g in globs
            ):
                where = pod.provenance.locate((*_CONTAINER, "env", position, "name"))
                return f"its container {name} sets {variable}", where
    wanted = sign.get("ports")
    if isinstance(wanted, list):
        ports = container.get("ports")
        for position, port in enumerate(ports if isinstance(ports, list) else ()):
            port_number = port.get("containerPort") if isinstance(port, dict) else None
            if (
                isinstance(port_number, int)
                and not isinstance(port_number, bool)
                and port_number in wanted
            ):
                where = pod.provenance.locate((*_CONTAINER, "ports", position, "containerPort"))
                return f"its container {name} listens on port {port_number}", where
    labels = sign.get("labels")
    if isinstance(labels, dict):
        for source in (metadata, own):
            written = _mapping(source.get("labels"))
            for key, values in labels.items():
                value = written.get(key)
                if not isinstance(value, str) or not isinstance(values, list):
                    continue
                if any(isinstance(g, str) and images.glob(g).match(value) for g in values):
                    if source is metadata:
                        where = pod.provenance.locate(("metadata", "labels", key))
                    else:
                        where = _object_origin(pod, own, ("labels", key))
                    return f"it is labelled {key}: {value}", where
    globs = sign.get("names")
    if isinstance(globs, list):
        object_name = own.get("name")
        if isinstance(object_name, str) and any(
            isinstance(g, str) and images.glob(g).match(object_name) for g in globs
        ):
            return f"it is named {object_name}", _object_origin(pod, own, ("name",))
    return None


def _image_hit(pod: EffectivePod, name: Any, image: str) -> tuple[str, Origin]:
    return f"its container {name} runs {image}", pod.provenance.locate((*_CONTAINER, "image"))
