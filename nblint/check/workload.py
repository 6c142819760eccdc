"""Whether a raw workload is a notebook: the annotation, else the signs of the workloads table.

A pod of the manifest dialect carries ``facts["workload"]`` (its object's metadata): it is any
workload a bundle holds, the JupyterHub hub or a database as much as a notebook. The run asks
:func:`not_a_notebook` once per such pod; a workload that is not a notebook is checked with
the plan that leaves out the notebook checklist (``Runner.plan_for(..., notebook=False)``) and
gets one ``workload-not-a-notebook`` finding naming why. Decided in this order:

1. ``nblint.io/notebook: "true"`` / ``"false"`` on the pod template, else on the object;
2. the signs of ``tables/workloads.yaml`` in order, the first that matches deciding; a sign
   reads the first regular container, and one of ``containers: all`` then the others too
   unless one of them runs an image the notebook-images table knows (a database behind its
   exporter; a notebook with a Redis sidecar stays a notebook); a sign of ``otherwise: true``
   is decided by its conditions alone (the last: a DaemonSet no sign before it matched);
3. otherwise a notebook (what nblint did before it judged workloads at all).

A few dict lookups per pod: each sign is asked only about the keys it has, an image is matched
once per sign and run (memoised), globs are compiled once; the other containers are looked at
only for a sign of ``containers: all`` that the first did not match (the last signs).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import cache

from nblint.check import images, tables
from nblint.model.finding import Reported
from nblint.model.pod import EffectivePod, Origin, Path
from nblint.model.unknowable import PARAMETER_DEFAULTS_FACT

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The annotation that says, on the object or its pod template, whether it is a notebook.
ANNOTATION = "nblint.io/notebook"
#: The rule that says a workload is not a notebook.
RULE = "workload-not-a-notebook"
#: The table of signs, and its key.
TABLE, KEY = "workloads", "signs"

_repositories: dict[str, str] = {}
#: (sign number, image) → whether the sign's image globs match it.
_Answers = dict[tuple[int, str], bool]
#: What a sign matched, in words, and where; None: nothing.
_Hit = tuple[str, Origin] | None
_Matchers = list[tuple[Callable[..., _Hit], ...]]
#: id(the table's signs) → (the image answers, each sign's matchers, those of them that read a
#: container, the signs themselves, kept alive so that the id stays theirs), as
#: :func:`images.lookup` memoises.
_memo: dict[int, tuple[_Answers, _Matchers, _Matchers, list[Any]]] = {}


def _prepared(signs: list[dict[str, Any]]) -> tuple[_Answers, _Matchers, _Matchers]:
    found = _memo.get(id(signs))
    if found is None:
        _memo.clear()
        matchers = [tuple(f for key, f in _MATCHERS.items() if key in sign) for sign in signs]
        per_container = [
            tuple(f for key, f in _MATCHERS.items() if key in sign and key not in _POD_KEYS)
            for sign in signs
        ]
        found = _memo[id(signs)] = ({}, matchers, per_container, signs)
    return found[0], found[1], found[2]


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


def _matches_any(globs: list[Any], text: str) -> bool:
    """Whether one of a sign's globs (its text entries) matches the whole of ``text``."""
    return any(isinstance(g, str) and images.glob(g).match(text) for g in globs)


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


def _filled(text: str, defaults: dict[str, str]) -> str | None:
    """``text`` with each ``${NAME}`` (or ``${{NAME}}``) parameter replaced by its default;
    None when one has none."""
    import re

    missing = False

    def value(match: re.Match[str]) -> str:
        nonlocal missing
        found = defaults.get(match.group(1))
        if found is None:
            missing = True
            return match.group(0)
        return found

    filled = re.sub(r"\$\{\{?([A-Za-z_][A-Za-z0-9_]*)\}?\}", value, text)
    return None if missing else filled


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
    listed: list[Any] = containers if isinstance(containers, list) else []
    container = listed[0] if listed and isinstance(listed[0], dict) else {}
    defaults = pod.facts.get(PARAMETER_DEFAULTS_FACT)
    if defaults and isinstance(container.get("image"), str) and "${" in container["image"]:
        # An OpenShift Template's `${DATABASE_IMAGE}`: what it runs unless `oc process -p`
        # says otherwise is its parameter's default, which tells what the workload is (field
        # test 21b D1: the hub's PostgreSQL).
        filled = _filled(container["image"], defaults)
        if filled is not None:
            container = {**container, "image": filled}
    signs = tables.entries(TABLE, KEY)
    answers, matchers, per_container = _prepared(signs)
    notebook_beside: bool | None = None  # whether a regular container runs a notebook image
    for number, sign in enumerate(signs):
        kinds = sign.get("kinds")
        # Conditions, not evidence: the sign is only about workloads of these kinds, with one
        # of these restart policies, or only about a container that declares no port.
        if isinstance(kinds, list) and pod.kind not in kinds:
            continue
        policies = sign.get("restart-policies")
        policy = spec.get("restartPolicy")
        if isinstance(policies, list) and policy not in policies:
            continue
        portless = sign.get("no-ports") is True
        hit = None
        if not (portless and _declares_a_port(container)):
            for matcher in matchers[number]:
                hit = matcher(sign, number, answers, pod, container, _CONTAINER, metadata, own)
                if hit is not None:
                    break
        if hit is None and len(listed) > 1 and sign.get("containers") == "all":
            # The pod's other regular containers, but only where none of them runs a notebook
            # image: a notebook with a database sidecar stays a notebook.
            if notebook_beside is None:
                notebook_beside = any(
                    isinstance(c, dict)
                    and isinstance(c.get("image"), str)
                    and images.lookup(c["image"])
                    for c in listed
                )
            if not notebook_beside:
                hit = _beside(
                    sign, number, answers, pod, listed, per_container[number], metadata, own
                )
        if hit is None:
            continue
        if sign.get("notebook") is not False:
            return None
        evidence, where = hit
        if isinstance(policies, list):
            evidence = f"it is a {pod.kind} with restartPolicy: {policy} and {evidence}"
        elif isinstance(kinds, list):
            evidence = f"it is a {pod.kind} and {evidence}"
        if portless:
            evidence = f"{evidence} and declares no port"
        what = sign.get("what")
        return _reported(pod, f"{evidence}, {what}" if what else evidence, where)
    return None


def _beside(
    sign: dict[str, Any],
    number: int,
    answers: _Answers,
    pod: EffectivePod,
    listed: list[Any],
    matchers: tuple[Callable[..., _Hit], ...],
    metadata: dict[str, Any],
    own: dict[str, Any],
) -> _Hit:
    """What a sign of ``containers: all`` matches in a regular container after the first."""
    portless = sign.get("no-ports") is True
    for index in range(1, len(listed)):
        other = listed[index]
        if not isinstance(other, dict) or (portless and _declares_a_port(other)):
            continue
        at: Path = ("spec", "containers", index)
        for matcher in matchers:
            hit = matcher(sign, number, answers, pod, other, at, metadata, own)
            if hit is not None:
                evidence, where = hit
                return f"{evidence} (and no container runs a notebook image)", where
    return None


def _declares_a_port(container: dict[str, Any]) -> bool:
    ports = container.get("ports")
    return isinstance(ports, list) and any(
        isinstance(port, dict) and port.get("containerPort") is not None for port in ports
    )


def _reported(pod: EffectivePod, evidence: str, where: Origin) -> Reported:
    return Reported(
        RULE,
        f"{pod.object} is not a notebook: {evidence}; the notebook checklist is left out (Pod "
        f'Security Admission is checked); annotate it {ANNOTATION}: "true" to check it as one',
        where,
        object=pod.object,
    )


_CONTAINER: Path = ("spec", "containers", 0)


def _images(
    sign: dict[str, Any],
    number: int,
    answers: _Answers,
    pod: EffectivePod,
    container: dict[str, Any],
    at: Path,
    metadata: dict[str, Any],
    own: dict[str, Any],
) -> _Hit:
    globs, image = sign["images"], _image(pod, container)
    if not isinstance(globs, list) or not isinstance(image, str) or not image:
        return None
    # Every pod of a bundle asks about the same few images: each sign answers each once.
    key = (number, image)
    known = answers.get(key)
    if known is None:
        if len(answers) > 4096:
            answers.clear()
        repository = _repository(image)
        known = answers[key] = _matches_any(globs, repository)
    return _image_hit(pod, container.get("name"), image, at) if known else None


def _image_names(
    sign: dict[str, Any],
    number: int,
    answers: _Answers,
    pod: EffectivePod,
    container: dict[str, Any],
    at: Path,
    metadata: dict[str, Any],
    own: dict[str, Any],
) -> _Hit:
    """The repository's own name (its last path element), in any registry: as written, or
    without a version suffix (Red Hat's and the Software Collections' ``mariadb-103``,
    ``postgresql-96-rhel7``, ``redis-6-c9s``)."""
    globs, image = sign["image-names"], _image(pod, container)
    if not isinstance(globs, list) or not isinstance(image, str) or not image:
        return None
    key = (-1 - number, image)  # beside the sign's `images` answers
    known = answers.get(key)
    if known is None:
        if len(answers) > 4096:
            answers.clear()
        name = _repository(image).rsplit("/", 1)[-1]
        versioned = _version_suffix().match(name)
        known = answers[key] = _matches_any(globs, name) or (
            versioned is not None and _matches_any(globs, versioned[1])
        )
    return _image_hit(pod, container.get("name"), image, at) if known else None


@cache
def _version_suffix() -> re.Pattern[str]:
    """A name, then a dash and a version (``-103``, ``-7.2``), then perhaps the platform it is
    built on (``-rhel7``, ``-centos7``, ``-c9s``, ``-el8``, ``-ubi9``, ``-alpine``)."""
    return re.compile(r"(.+?)-\d+(?:\.\d+)*(?:-(?:rhel|centos|c|el|ubi|fedora|alpine)\d*s?)?\Z")


def _notebook_images(
    sign: dict[str, Any],
    number: int,
    answers: _Answers,
    pod: EffectivePod,
    container: dict[str, Any],
    at: Path,
    metadata: dict[str, Any],
    own: dict[str, Any],
) -> _Hit:
    image = container.get("image")
    if sign["notebook-images"] is True and isinstance(image, str) and images.lookup(image):
        return _image_hit(pod, container.get("name"), image, at)
    return None


def _commands(
    sign: dict[str, Any],
    number: int,
    answers: _Answers,
    pod: EffectivePod,
    container: dict[str, Any],
    at: Path,
    metadata: dict[str, Any],
    own: dict[str, Any],
) -> _Hit:
    globs = sign["commands"]
    if not isinstance(globs, list):
        return None
    for field in ("command", "args"):
        words = container.get(field)
        for position, word in enumerate(words if isinstance(words, list) else ()):
            for part in word.split() if isinstance(word, str) else ():
                base = os.path.basename(part)
                if _matches_any(globs, base):
                    where = pod.provenance.locate((*at, field, position))
                    # As written: /manager says more than manager.
                    return f"its container {container.get('name')} runs {part}", where
    return None


def _entrypoints(
    sign: dict[str, Any],
    number: int,
    answers: _Answers,
    pod: EffectivePod,
    container: dict[str, Any],
    at: Path,
    metadata: dict[str, Any],
    own: dict[str, Any],
) -> _Hit:
    """What the container starts: the first word of its command, else of its args (the image's
    ENTRYPOINT runs them, which nblint cannot see), as its base name."""
    globs = sign["entrypoints"]
    if not isinstance(globs, list):
        return None
    for field in ("command", "args"):
        words = container.get(field)
        if not isinstance(words, list) or not words:
            continue
        first = words[0].split() if isinstance(words[0], str) else []
        if first and _matches_any(globs, os.path.basename(first[0])):
            where = pod.provenance.locate((*at, field, 0))
            return f"its container {container.get('name')} runs {first[0]}", where
        return None
    return None


def _env(
    sign: dict[str, Any],
    number: int,
    answers: _Answers,
    pod: EffectivePod,
    container: dict[str, Any],
    at: Path,
    metadata: dict[str, Any],
    own: dict[str, Any],
) -> _Hit:
    globs, env = sign["env"], container.get("env")
    if not isinstance(globs, list):
        return None
    for position, entry in enumerate(env if isinstance(env, list) else ()):
        variable = entry.get("name") if isinstance(entry, dict) else None
        if isinstance(variable, str) and _matches_any(globs, variable):
            where = pod.provenance.locate((*at, "env", position, "name"))
            return f"its container {container.get('name')} sets {variable}", where
    return None


def _mounts(
    sign: dict[str, Any],
    number: int,
    answers: _Answers,
    pod: EffectivePod,
    container: dict[str, Any],
    at: Path,
    metadata: dict[str, Any],
    own: dict[str, Any],
) -> _Hit:
    globs, mounts = sign["mounts"], container.get("volumeMounts")
    if not isinstance(globs, list):
        return None
    for position, mount in enumerate(mounts if isinstance(mounts, list) else ()):
        if not isinstance(mount, dict):
            continue
        mount_path = mount.get("mountPath")
        # A file mounted from a ConfigMap key: at its own path, or as the subPath of one.
        for field in ("mountPath", "subPath"):
            written = mount.get(field)
            if not isinstance(written, str):
                continue
            base = os.path.basename(written.rstrip("/"))
            if _matches_any(globs, base):
                where = pod.provenance.locate((*at, "volumeMounts", position, field))
                shown = mount_path if isinstance(mount_path, str) else written
                return f"its container {container.get('name')} mounts {shown}", where
    return None


def _ports(
    sign: dict[str, Any],
    number: int,
    answers: _Answers,
    pod: EffectivePod,
    container: dict[str, Any],
    at: Path,
    metadata: dict[str, Any],
    own: dict[str, Any],
) -> _Hit:
    wanted, ports = sign["ports"], container.get("ports")
    if not isinstance(wanted, list):
        return None
    for position, port in enumerate(ports if isinstance(ports, list) else ()):
        port_number = port.get("containerPort") if isinstance(port, dict) else None
        if (
            isinstance(port_number, int)
            and not isinstance(port_number, bool)
            and port_number in wanted
        ):
            where = pod.provenance.locate((*at, "ports", position, "containerPort"))
            return f"its container {container.get('name')} listens on port {port_number}", where
    return None


def _labels(
    sign: dict[str, Any],
    number: int,
    answers: _Answers,
    pod: EffectivePod,
    container: dict[str, Any],
    at: Path,
    metadata: dict[str, Any],
    own: dict[str, Any],
) -> _Hit:
    labels = sign["labels"]
    if not isinstance(labels, dict):
        return None
    for source in (metadata, own):
        written = _mapping(source.get("labels"))
        for key, values in labels.items():
            value = written.get(key)
            if not isinstance(value, str) or not isinstance(values, list):
                continue
            if _matches_any(values, value):
                if source is metadata:
                    where = pod.provenance.locate(("metadata", "labels", key))
                else:
                    where = _object_origin(pod, own, ("labels", key))
                return f"it is labelled {key}: {value}", where
    return None


def _names(
    sign: dict[str, Any],
    number: int,
    answers: _Answers,
    pod: EffectivePod,
    container: dict[str, Any],
    at: Path,
    metadata: dict[str, Any],
    own: dict[str, Any],
) -> _Hit:
    globs, name = sign["names"], own.get("name")
    if not isinstance(globs, list) or not isinstance(name, str):
        return None
    if _matches_any(globs, name):
        return f"it is named {name}", _object_origin(pod, own, ("name",))
    return None


def _service_accounts(
    sign: dict[str, Any],
    number: int,
    answers: _Answers,
    pod: EffectivePod,
    container: dict[str, Any],
    at: Path,
    metadata: dict[str, Any],
    own: dict[str, Any],
) -> _Hit:
    globs = sign["service-accounts"]
    spec = _mapping(pod.pod.get("spec"))
    for field in ("serviceAccountName", "serviceAccount"):
        name = spec.get(field)
        if isinstance(globs, list) and isinstance(name, str) and _matches_any(globs, name):
            where = pod.provenance.locate(("spec", field))
            return f"it runs as the service account {name}", where
    return None


def _otherwise(
    sign: dict[str, Any],
    number: int,
    answers: _Answers,
    pod: EffectivePod,
    container: dict[str, Any],
    at: Path,
    metadata: dict[str, Any],
    own: dict[str, Any],
) -> _Hit:
    """A sign whose conditions (its ``kinds``) alone decide, asked only once every sign before it
    failed: nothing in the pod showed a notebook (placed at the object's name)."""
    if sign["otherwise"] is not True:
        return None
    return "shows no sign of a notebook", _object_origin(pod, own, ("name",))


#: What a sign may match on (its keys), and how: a sign is asked only about the keys it has.
_MATCHERS: dict[str, Callable[..., _Hit]] = {
    "images": _images,
    "image-names": _image_names,
    "notebook-images": _notebook_images,
    "commands": _commands,
    "entrypoints": _entrypoints,
    "env": _env,
    "mounts": _mounts,
    "ports": _ports,
    "labels": _labels,
    "names": _names,
    "service-accounts": _service_accounts,
    "otherwise": _otherwise,
}


#: The keys that read the pod or its object, not a container: asked once per pod.
_POD_KEYS = frozenset({"labels", "names", "service-accounts", "otherwise"})


def _image(pod: EffectivePod, container: dict[str, Any]) -> Any:
    """The image a sign judges: the container's, or, where an OpenShift image trigger fills it
    in (``facts["image_streams"]``, by container name), the image stream tag it names."""
    streams = pod.facts.get("image_streams")
    name = container.get("name")
    if streams and isinstance(name, str) and name in streams:
        return streams[name]
    return container.get("image")


def _image_hit(pod: EffectivePod, name: Any, image: str, at: Path) -> tuple[str, Origin]:
    streams = pod.facts.get("image_streams")
    if streams and isinstance(name, str) and streams.get(name) == image:
        return (
            f"its container {name} runs the image of image stream tag {image} (an image "
            "trigger sets it)",
            pod.provenance.locate((*at, "image")),
        )
    return f"its container {name} runs {image}", pod.provenance.locate((*at, "image"))
