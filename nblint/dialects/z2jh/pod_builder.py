"""KubeSpawner traits → the singleuser pod: what KubeSpawner's ``get_pod_manifest`` and
``objects.make_pod`` build (facts: ``z2jh-kubespawner.md`` section 6).

Each field of the pod is mapped to the :class:`~.traits.Source` of the trait part it came from,
so that a finding on it points at the values line to edit. Templates such as ``{username}`` are
left unexpanded, except ``{pvc_name}``, which becomes the PVC name template: the pod is drawn for
a symbolic user.
"""

from __future__ import annotations

import re

# What ``string.Formatter().parse`` is: importing `string` compiles `string.Template`'s regex
# (~0.9 ms of a cold start) for nothing.
from _string import formatter_parser  # type: ignore[import-not-found]  # (no stub)
from functools import lru_cache

from nblint.dialects.z2jh.sources import key_in_note
from nblint.dialects.z2jh.traits import KUBESPAWNER, Source, SpawnerConfig

# Text a deployment tool fills in before Helm (`${var}`) or sops decrypts is not what
# KubeSpawner will see: nblint cannot know it (validate.unknowable says so).
from nblint.dialects.z2jh.validate import is_unknowable
from nblint.model.pod import Path
from nblint.model.shown import shown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The variable JupyterHub sets for a spawner with ``debug``.
DEBUG_ENV = "JUPYTERHUB_DEBUG"
#: snake_case fields whose Kubernetes name is not plain camelCase.
_IRREGULAR_CAMEL = {"host_ipc": "hostIPC", "host_pid": "hostPID"}


def camel(key: str) -> str:
    """``security_context`` → ``securityContext`` (KubeSpawner accepts both spellings)."""
    if key in _IRREGULAR_CAMEL:
        return _IRREGULAR_CAMEL[key]
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), key)


class PodSources:
    """Pod path → :class:`Source`, collected while the pod is built."""

    def __init__(self) -> None:
        self.entries: dict[Path, Source] = {}

    def lookup(self, pod_path: Path) -> Source | None:
        """The source of ``pod_path`` (the longest registered prefix), extended below it."""
        for length in range(len(pod_path), -1, -1):
            found = self.entries.get(pod_path[:length])
            if found is not None:
                rest = pod_path[length:]
                return Source((*found.path, *rest), found.note) if found.extends else found
        return None

    def add(self, pod_path: Path, source: Source | None) -> None:
        if source is not None:
            self.entries[pod_path] = source

    def copy_trait(self, pod_path: Path, config: SpawnerConfig, name: str, sub: Path = ()) -> None:
        """Map ``pod_path`` and everything under it to the sources of ``trait[sub]``."""
        trait = config.traits.get(name)
        if trait is None:
            return
        if len(trait.sources) == 1 and () in trait.sources:
            # Most traits: set whole from one values path (what the general case below gives).
            whole = trait.sources[()]
            if sub and whole.extends:
                whole = Source((*whole.path, *sub), whole.note)
            self.entries[pod_path] = whole
            return
        found = trait.source(sub)
        if found is not None:
            source, rest = found
            if rest and source.extends:
                source = Source((*source.path, *rest), source.note)
            self.entries[pod_path] = source
        for trait_path, source in trait.sources.items():
            if len(trait_path) > len(sub) and trait_path[: len(sub)] == sub:
                full: Path = (*pod_path, *trait_path[len(sub) :])
                self.entries[full] = source

    def copy_list(self, pod_path: Path, config: SpawnerConfig, name: str) -> None:
        """Map ``pod_path``, where list (or map) trait ``name`` is drawn, to the trait's own
        source; its items, drawn in another order, are mapped by :func:`_copy_items`."""
        trait = config.traits.get(name)
        found = trait.source(()) if trait is not None else None
        if found is not None:
            self.entries[pod_path] = found[0]


def _sorted_values(config: SpawnerConfig, name: str) -> tuple[list[Any], dict[Any, int]]:
    """Trait ``name`` as a list: a dict becomes its values sorted by key (KubeSpawner 7)."""
    value = config.get(name)
    if not value:  # unset, as most of these traits are: nothing to sort
        return [], {}
    if isinstance(value, dict):
        try:
            keys = sorted(value)
        except TypeError:  # keys of different types (a null volume name): KubeSpawner fails too
            keys = list(value)
            odd: Any = next((k for k in keys if not isinstance(k, str)), None)
            # Where the key that is not a name came from (sources are keyed as the values are).
            found = config.source(name, (odd,)) or config.source(name)
            kinds = " and ".join(sorted({"null" if k is None else type(k).__name__ for k in keys}))
            config.report(
                found[0].path if found else (*KUBESPAWNER, name),
                f"KubeSpawner sorts `{name}` by key and cannot compare its keys ({kinds}; a null "
                "key is an entry with no name): every spawn with it fails",
            )
        return [value[k] for k in keys], {k: i for i, k in enumerate(keys)}
    if isinstance(value, list):
        return list(value), {i: i for i in range(len(value))}
    return [], {}


def _drop_nulls(value: Any) -> Any:
    """Kubernetes client models drop unset (None) fields when serialised."""
    # Leaves are most of a pod: they are taken as they are, without a call each.
    if isinstance(value, dict):
        return {
            k: _drop_nulls(v) if isinstance(v, (dict, list)) else v
            for k, v in value.items()
            if v is not None
        }
    if isinstance(value, list):
        return [_drop_nulls(v) if isinstance(v, (dict, list)) else v for v in value]
    return value


def _expand_pvc_name(value: Any, pvc_name: str) -> Any:
    """A copy of ``value`` with ``{pvc_name}`` expanded in its text."""
    if isinstance(value, str):
        return value.replace("{pvc_name}", pvc_name)
    if isinstance(value, dict):
        return {k: _expand_pvc_name(v, pvc_name) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand_pvc_name(v, pvc_name) for v in value]
    return value


def _pod_copy(value: Any, pvc_name: str) -> Any:
    """A copy of a trait's list item as it lands in the pod: ``{pvc_name}`` expanded in its
    text, unset (None) fields dropped (the two steps of :func:`_expand_pvc_name` and
    :func:`_drop_nulls` in one walk)."""
    if isinstance(value, str):
        return value.replace("{pvc_name}", pvc_name)
    # Leaves other than text are most of a pod: taken as they are, without a call each.
    if isinstance(value, dict):
        return {
            k: _pod_copy(v, pvc_name) if isinstance(v, (str, dict, list)) else v
            for k, v in value.items()
            if v is not None
        }
    if isinstance(value, list):
        return [_pod_copy(v, pvc_name) if isinstance(v, (str, dict, list)) else v for v in value]
    return value


def _camel_keys(value: Any) -> dict[str, Any]:
    return {camel(str(k)): v for k, v in value.items()} if isinstance(value, dict) else {}


def _list_field(
    spec: dict[str, Any],
    field_name: str,
    config: SpawnerConfig,
    trait_name: str,
    sources: PodSources,
    pvc_name: str,
    base: Path = ("spec",),
) -> None:
    items, positions = _sorted_values(config, trait_name)
    items = [_pod_copy(item, pvc_name) for item in items]
    if not items:
        return
    spec[field_name] = items
    sources.copy_list((*base, field_name), config, trait_name)
    _copy_items(sources, (*base, field_name), config, trait_name, positions)


def _copy_items(
    sources: PodSources,
    pod_base: Path,
    config: SpawnerConfig,
    name: str,
    positions: dict[Any, int],
    offset: int = 0,
) -> None:
    """Map each item of list (or map) trait ``name``, drawn at ``pod_base[index + offset]``, to
    the values path of that very item: a trait set whole from one key has no source per item,
    and a map's items sit in the pod in key order, not at their key."""
    trait = config.traits.get(name)
    if trait is None:
        return
    for key, index in positions.items():
        found = trait.source((key,))
        if found is None:
            continue
        source, rest = found
        if rest and source.extends:
            source = Source((*source.path, *rest), source.note)
        sources.add((*pod_base, index + offset), source)
    for trait_path, source in trait.sources.items():
        if len(trait_path) > 1 and trait_path[0] in positions:
            item = positions[trait_path[0]] + offset
            sources.add((*pod_base, item, *trait_path[1:]), source)


def make_pod(config: SpawnerConfig) -> tuple[dict[str, Any], PodSources]:
    """The pod KubeSpawner builds from ``config``, and where each field came from."""
    sources = PodSources()
    # KubeSpawner 7 fills `{pvc_name}` in; 6 knows no such placeholder (see _check_templates).
    seven = not config.kubespawner.startswith("6.")
    pvc_name = str(config.get("pvc_name_template")) if seven else "{pvc_name}"
    spec: dict[str, Any] = {"restartPolicy": "OnFailure"}
    nb: Path = ("spec", "containers", 0)

    pull_secrets = config.get("image_pull_secrets") or []
    if isinstance(pull_secrets, list):
        spec["imagePullSecrets"] = [{"name": s} if isinstance(s, str) else s for s in pull_secrets]
        sources.copy_trait(("spec", "imagePullSecrets"), config, "image_pull_secrets")

    node_selector = config.get("node_selector")
    if node_selector:
        spec["nodeSelector"] = node_selector
        sources.copy_trait(("spec", "nodeSelector"), config, "node_selector")

    # Pod securityContext: fsGroup, supplementalGroups, then pod_security_context on top.
    psc: dict[str, Any] = {}
    fs_gid = config.get("fs_gid")
    if fs_gid is not None:
        psc["fsGroup"] = int(fs_gid)
        sources.copy_trait(("spec", "securityContext", "fsGroup"), config, "fs_gid")
    supplemental_gids = config.get("supplemental_gids")
    if supplemental_gids:
        psc["supplementalGroups"] = [int(g) for g in supplemental_gids]
        sources.copy_trait(
            ("spec", "securityContext", "supplementalGroups"), config, "supplemental_gids"
        )
    sources.add(("spec", "securityContext"), _unset(config, "pod_security_context"))
    pod_sc = config.get("pod_security_context")
    if isinstance(pod_sc, dict) and pod_sc:
        psc.update(pod_sc)
        for key in pod_sc:
            sources.copy_trait(
                ("spec", "securityContext", key), config, "pod_security_context", (key,)
            )
    if psc:
        spec["securityContext"] = psc

    # Notebook container securityContext: uid, gid, privileged, allowPrivilegeEscalation, then
    # container_security_context on top.
    csc: dict[str, Any] = {}
    sc_path = (*nb, "securityContext")
    sources.add(sc_path, _unset(config, "container_security_context"))
    for trait, key, value in (
        ("uid", "runAsUser", config.get("uid")),
        ("gid", "runAsGroup", config.get("gid")),
    ):
        if value is not None:
            # A placeholder (`${UID}`, filled in before Helm reads the values) stays as written:
            # nblint cannot know it, and a fix's guard judges it by its riskiest value.
            csc[key] = value if is_unknowable(value) else int(value)
            sources.copy_trait((*sc_path, key), config, trait)
    if config.get("privileged"):
        csc["privileged"] = True
        sources.copy_trait((*sc_path, "privileged"), config, "privileged")
    allow_escalation = config.get("allow_privilege_escalation")
    if allow_escalation is not None:
        csc["allowPrivilegeEscalation"] = allow_escalation
        sources.copy_trait(
            (*sc_path, "allowPrivilegeEscalation"), config, "allow_privilege_escalation"
        )
    container_sc = config.get("container_security_context")
    if isinstance(container_sc, dict) and container_sc:
        csc.update(container_sc)
        for key in container_sc:
            sources.copy_trait((*sc_path, key), config, "container_security_context", (key,))

    notebook: dict[str, Any] = {
        "name": "notebook",
        "image": config.get("image"),
        "ports": [{"name": "notebook-port", "containerPort": config.get("port") or 8888}],
    }
    sources.copy_trait((*nb, "image"), config, "image")
    environment = config.get("environment")
    hub_environment = _hub_environment(config)
    # JupyterHub's deprecated `env` (set by a profile's override): get_env starts from it, then
    # its own variables and `environment` replace what they name.
    deprecated_env = config.get("env")
    from_env: set[str] = set()
    if isinstance(deprecated_env, dict) and isinstance(environment, dict):
        from_env = {
            str(name)
            for name in deprecated_env
            if str(name) not in hub_environment and name not in environment
        }
        environment = {
            **{name: value for name, value in deprecated_env.items() if str(name) in from_env},
            **environment,
        }
    added_debug = bool(config.get("debug")) and isinstance(environment, dict)
    if added_debug and DEBUG_ENV not in environment:
        # JupyterHub (2.0 on) tells a server to debug in its env (the user's own env wins).
        environment = {**environment, DEBUG_ENV: "1"}
    else:
        added_debug = False
    env = _environment(environment, hub_environment)
    if env:
        notebook["env"] = env
        for index, item in enumerate(env):
            if item["name"] == DEBUG_ENV and added_debug:
                found = config.source("debug")
                sources.add((*nb, "env", index), found[0] if found else None)
                continue
            trait = "env" if item["name"] in from_env else "environment"
            sources.copy_trait((*nb, "env", index), config, trait, (item["name"],))
    args = _args(config)
    if args:
        notebook["args"] = args
        sources.copy_trait((*nb, "args"), config, "cmd")
    working_dir = config.get("working_dir")
    if working_dir:
        notebook["workingDir"] = working_dir
    pull_policy = config.get("image_pull_policy")
    if pull_policy:
        notebook["imagePullPolicy"] = pull_policy
        sources.copy_trait((*nb, "imagePullPolicy"), config, "image_pull_policy")
    lifecycle = config.get("lifecycle_hooks")
    if lifecycle:
        notebook["lifecycle"] = lifecycle
        sources.copy_trait((*nb, "lifecycle"), config, "lifecycle_hooks")
    notebook["resources"] = _resources(config, sources, (*nb, "resources"))
    mounts, positions = _sorted_values(config, "volume_mounts")
    if mounts:
        notebook["volumeMounts"] = [_pod_copy(mount, pvc_name) for mount in mounts]
        sources.copy_list((*nb, "volumeMounts"), config, "volume_mounts")
        _copy_items(sources, (*nb, "volumeMounts"), config, "volume_mounts", positions)
    if csc:
        notebook["securityContext"] = csc

    service_account = config.get("service_account")
    if service_account is not None:
        spec["serviceAccountName"] = service_account
        sources.copy_trait(("spec", "serviceAccountName"), config, "service_account")
    automount = config.get("automount_service_account_token")
    if automount is None:
        if service_account is None:
            spec["automountServiceAccountToken"] = False
            sources.add(
                ("spec", "automountServiceAccountToken"),
                Source(
                    ("singleuser", "serviceAccountName"),
                    "KubeSpawner sets automountServiceAccountToken: false while no service "
                    "account is set",
                    extends=False,
                ),
            )
        else:
            sources.copy_trait(("spec", "automountServiceAccountToken"), config, "service_account")
    else:
        spec["automountServiceAccountToken"] = automount
        sources.copy_trait(
            ("spec", "automountServiceAccountToken"), config, "automount_service_account_token"
        )

    extra_container = _camel_keys(config.get("extra_container_config"))
    for key, value in extra_container.items():
        built = notebook.get(key)
        lost = _lost_sources(sources, (*nb, key), built, value)
        notebook[key] = value
        # The key replaces what the traits wrote there (a securityContext whole): so do its
        # sources (`uid` no longer writes runAsUser).
        below = (*nb, key)
        for known in [p for p in sources.entries if p[: len(below)] == below]:
            del sources.entries[known]
        original = _original_key(config.get("extra_container_config"), key)
        sources.copy_trait((*nb, key), config, "extra_container_config", (original,))
        _say_lost(sources, (*nb, key), lost, f"`{key}` KubeSpawner builds for the notebook")
    spec["containers"] = [_drop_nulls(notebook)]
    extra, positions = _sorted_values(config, "extra_containers")
    for item in extra:
        spec["containers"].append(_pod_copy(item, pvc_name))
    _copy_items(sources, ("spec", "containers"), config, "extra_containers", positions, offset=1)

    _list_field(spec, "tolerations", config, "tolerations", sources, pvc_name)
    _list_field(spec, "initContainers", config, "init_containers", sources, pvc_name)
    volumes, positions = _sorted_values(config, "volumes")
    spec["volumes"] = [_pod_copy(volume, pvc_name) for volume in volumes]
    sources.copy_list(("spec", "volumes"), config, "volumes")
    _copy_items(sources, ("spec", "volumes"), config, "volumes", positions)
    scheduler_name = config.get("scheduler_name")
    if scheduler_name:
        spec["schedulerName"] = scheduler_name
        sources.copy_trait(("spec", "schedulerName"), config, "scheduler_name")
    affinity = _affinity(config, sources)
    if affinity:
        spec["affinity"] = affinity
    priority_class_name = config.get("priority_class_name")
    if priority_class_name:
        spec["priorityClassName"] = priority_class_name
        sources.copy_trait(("spec", "priorityClassName"), config, "priority_class_name")

    extra_pod = _camel_keys(config.get("extra_pod_config"))
    for key, value in extra_pod.items():
        lost = _lost_sources(sources, ("spec", key), spec.get(key), value)
        spec[key] = _expand_pvc_name(value, pvc_name)
        for known in [p for p in sources.entries if p[:2] == ("spec", key)]:
            del sources.entries[known]
        original = _original_key(config.get("extra_pod_config"), key)
        sources.copy_trait(("spec", key), config, "extra_pod_config", (original,))
        _say_lost(sources, ("spec", key), lost, f"pod `{key}` KubeSpawner builds")
        if key == "securityContext":
            _pod_level_for_notebook(sources, spec, lost)

    metadata = _metadata(config, sources)
    _check_templates(config, sources, metadata, spec, list(extra_pod))
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec}
    return pod, sources


def _metadata(config: SpawnerConfig, sources: PodSources) -> dict[str, Any]:
    """Name, labels and annotations as KubeSpawner writes them: its user labels, then
    ``extra_labels``, then ``common_labels`` (which win), then its component labels; its user
    annotations (and, from 7.0, its own and JupyterHub's versions), then ``extra_annotations``.
    The user is symbolic (``{username}``)."""
    metadata: dict[str, Any] = {"name": config.get("pod_name_template")}
    sources.copy_trait(("metadata", "name"), config, "pod_name_template")
    seven = not config.kubespawner.startswith("6.")
    labels: dict[str, Any] = {"hub.jupyter.org/username": "{username}"}
    for trait in ("extra_labels", "common_labels"):
        extra = config.get(trait)
        if isinstance(extra, dict):
            labels.update(extra)
            for key in extra:
                sources.copy_trait(("metadata", "labels", key), config, trait, (key,))
    component = config.get("component_label") or "singleuser-server"
    if seven:
        labels["app.kubernetes.io/component"] = component
    labels["component"] = component
    labels["hub.jupyter.org/servername"] = "{servername}"
    annotations: dict[str, Any] = {"hub.jupyter.org/username": "{unescaped_username}"}
    if seven:
        annotations["hub.jupyter.org/kubespawner-version"] = config.kubespawner
        annotations["hub.jupyter.org/jupyterhub-version"] = config.jupyterhub
    extra = config.get("extra_annotations")
    if isinstance(extra, dict):
        annotations.update(extra)
        for key in extra:
            sources.copy_trait(
                ("metadata", "annotations", key), config, "extra_annotations", (key,)
            )
    metadata["labels"] = labels
    metadata["annotations"] = annotations
    return metadata


#: The placeholders each KubeSpawner fills in where it expands templates.
PLACEHOLDERS_6 = frozenset(
    [
        "userid",
        "username",
        "unescaped_username",
        "legacy_escape_username",
        "servername",
        "unescaped_servername",
        "hubnamespace",
    ]
)
PLACEHOLDERS_7 = frozenset(
    [
        "userid",
        "unescaped_username",
        "unescaped_servername",
        "hubnamespace",
        "username",
        "servername",
        "user_server",
        "safe_username",
        "safe_servername",
        "safe_user_server",
        "escaped_username",
        "escaped_servername",
        "escaped_user_server",
        "pod_name",
        "pvc_name",
        "namespace",
    ]
)


def _check_templates(
    config: SpawnerConfig,
    sources: PodSources,
    metadata: dict[str, Any],
    spec: dict[str, Any],
    extra_pod_keys: list[str],
) -> None:
    """Texts KubeSpawner formats as templates (``str.format``) for each user, and cannot: an
    unknown ``{name}``, a positional ``{}``, an unmatched brace. The spawn then fails."""
    known = PLACEHOLDERS_6 if config.kubespawner.startswith("6.") else PLACEHOLDERS_7
    parts: list[tuple[Path, Any]] = [(("metadata", "name"), metadata.get("name"))]
    for key in ("labels", "annotations"):
        trait = "extra_labels" if key == "labels" else "extra_annotations"
        extra = config.get(trait)
        for name in extra if isinstance(extra, dict) else ():
            parts.append((("metadata", key, name), metadata[key].get(name)))
    for key in ("volumes", "initContainers", "serviceAccountName", *extra_pod_keys):
        if key in spec:
            parts.append((("spec", key), spec[key]))
    containers = spec.get("containers") or []
    for index, container in enumerate(containers):
        if index:
            parts.append((("spec", "containers", index), container))
        elif isinstance(container, dict):
            for key in ("env", "volumeMounts"):
                if key in container:
                    parts.append((("spec", "containers", 0, key), container[key]))
    texts: list[tuple[Path, str]] = []
    for path, value in parts:
        _texts(path, value, texts)
    for where, text in texts:
        if is_unknowable(text):
            continue
        problem = _template_problem(text, known)
        if problem is None:
            continue
        source = sources.lookup(where)
        config.report(
            source.path if source else ("singleuser",),
            f"{problem} in {shown(text)}: KubeSpawner {config.kubespawner} formats this text "
            "for each user and fails, so every spawn with it fails "
            f"(it fills in {', '.join('{' + k + '}' for k in sorted(known))}; "
            "write {{ and }} for literal braces)",
            _literal_braces_fix(config, where, source, text, known),
        )


def _literal_braces_fix(
    config: SpawnerConfig, where: Path, source: Source | None, text: str, known: frozenset[str]
) -> str | None:
    """The text with the braces KubeSpawner cannot fill in doubled (``{JUPYTER_IMAGE_SPEC}`` →
    ``{{JUPYTER_IMAGE_SPEC}}``, which it formats to the literal braces), at the key that wrote
    it: the profile's override when that is where it is. None when the text is not the one
    written there (the chart drew it, or filled in a ``{pvc_name}``)."""
    escaped = _escaped_braces(text, known)
    if escaped is None or source is None or not source.extends or not source.path:
        return None
    if not config.kubespawner.startswith("6.") and str(config.get("pvc_name_template")) in text:
        return None  # perhaps a `{pvc_name}` expanded: not the text as written
    key = source.path[-1]
    if key == "value" and where[-1] == "value" and len(source.path) > 1:
        # An env entry written as `NAME: text` is drawn as `{name: NAME, value: text}`.
        environment = config.get("environment")
        name = source.path[-2]
        if isinstance(environment, dict) and isinstance(environment.get(name), str):
            key = name
    written = shown(escaped, limit=len(escaped) * 2 + 3)
    entry = f"- {written}" if isinstance(key, int) else f"{shown(key, plain_text=True)}: {written}"
    return f"# braces doubled: literal text, which KubeSpawner does not fill in\n{entry}"


@lru_cache(maxsize=1)
def _brace_parts() -> re.Pattern[str]:
    return re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def _escaped_braces(text: str, known: frozenset[str]) -> str | None:
    """``text`` with every brace that is not a known placeholder's doubled; None when that
    still leaves something KubeSpawner cannot format."""

    def escape(part: re.Match[str]) -> str:
        whole, field = part[0], part[1]
        if whole in ("{{", "}}"):
            return whole
        if field is not None and re.split(r"[.\[!:]", field, maxsplit=1)[0] in known:
            return whole
        return whole.replace("{", "{{").replace("}", "}}")

    escaped = _brace_parts().sub(escape, text)
    return escaped if _template_problem(escaped, known) is None else None


def _texts(path: Path, value: Any, found: list[tuple[Path, str]]) -> None:
    """Each text in ``value`` that has a brace, with its path, added to ``found``."""
    if isinstance(value, str):
        if "{" in value or "}" in value:
            found.append((path, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            # Leaves are most of a pod: a text is looked at here, without a call each.
            if isinstance(item, str):
                if "{" in item or "}" in item:
                    found.append(((*path, key), item))
            elif isinstance(item, (dict, list)):
                _texts((*path, key), item, found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                if "{" in item or "}" in item:
                    found.append(((*path, index), item))
            elif isinstance(item, (dict, list)):
                _texts((*path, index), item, found)


# The same texts (the chart's own templates: `claim-{username}{servername}`, `{username}`) come
# back in every pod of every release: each is judged once.
@lru_cache(maxsize=4096)
def _template_problem(text: str, known: frozenset[str]) -> str | None:
    try:
        fields = [field for _, field, _, _ in formatter_parser(text) if field is not None]
    except ValueError:
        return "an unmatched brace"
    for field in fields:
        name = re.split(r"[.\[]", field, maxsplit=1)[0]
        if name not in known:
            return f"`{{{field}}}` is no placeholder it knows" if name else "a `{}` placeholder"
    return None


#: The securityContext fields a pod and a container both have (the container's wins).
POD_AND_CONTAINER_FIELDS = frozenset(
    {
        "runAsNonRoot",
        "runAsUser",
        "runAsGroup",
        "seccompProfile",
        "seLinuxOptions",
        "appArmorProfile",
        "windowsOptions",
    }
)


def _lost_sources(sources: PodSources, at: Path, built: Any, replacing: Any) -> dict[str, Source]:
    """The fields of the mapping KubeSpawner built at ``at`` that ``extra_pod_config`` (or
    ``extra_container_config``) replaces with ``replacing`` and does not set again, with the
    values keys that had set them: ``{"runAsNonRoot": <pod_security_context's>}``."""
    if not isinstance(built, dict) or not isinstance(replacing, dict):
        return {}
    kept = {camel(str(key)) for key in replacing}
    lost: dict[str, Source] = {}
    for field in built:
        if field in kept:
            continue
        source = sources.lookup((*at, field))
        if source is not None and source.path:
            lost[field] = source
    return lost


def _say_lost(sources: PodSources, at: Path, lost: dict[str, Source], what: str) -> None:
    """Place each field in ``lost`` at the key that replaced it (``at``'s source), saying so:
    the user set it, and a finding about it missing must not say "not set" elsewhere."""
    replacing = sources.entries.get(at)
    if replacing is None or not replacing.path:
        return
    for field, source in lost.items():
        note = (
            f"`{key_in_note(replacing.path)}` replaces the {what}, without the {field} that "
            f"`{key_in_note(source.path)}` sets"
        )
        # Not extended below the key: nothing there sets the field (and a fix that reads the
        # path behind a field must not take it for a key of its own).
        field_path: Path = (*at, field)
        sources.entries[field_path] = Source(replacing.path, note, extends=False)


def _pod_level_for_notebook(
    sources: PodSources, spec: dict[str, Any], lost: dict[str, Source]
) -> None:
    """A field the pod and the notebook container both have, that the container lacks and the
    securityContext ``extra_pod_config`` replaces does not set: a finding about the container
    (``runAsNonRoot`` on the pod or the container) sits at that securityContext, where its fix
    goes, and says that it replaces the one KubeSpawner builds (and what it lost)."""
    at: Path = ("spec", "securityContext")
    replacing = sources.entries.get(at)
    pod_level = spec.get("securityContext")
    own = spec["containers"][0].get("securityContext")
    if replacing is None or not replacing.path or not isinstance(pod_level, dict):
        return
    for field in sorted(POD_AND_CONTAINER_FIELDS):
        if field in pod_level or (isinstance(own, dict) and field in own):
            continue
        container_field: Path = ("spec", "containers", 0, "securityContext", field)
        if container_field in sources.entries:
            # The notebook's own securityContext is replaced too, without this field that a
            # trait gave it (`singleuser.uid`'s runAsUser): the finding is at that key, where
            # the trait's fix goes (field test 11a, D9).
            continue
        source = sources.entries.get((*at, field)) if field in lost else None
        if source is None:
            source = Source(
                replacing.path,
                f"not set: add it under `{key_in_note(replacing.path)}`, which replaces the pod "
                "`securityContext` KubeSpawner builds",
                extends=False,
            )
        sources.entries[container_field] = source


def _unset(config: SpawnerConfig, trait: str) -> Source:
    """Where a field nobody set should be added: the trait's own values key."""
    found = config.source(trait)
    if found is not None:
        return found[0]
    path: Path = (*KUBESPAWNER, trait)
    return Source(path, f"not set: add it under {key_in_note(path)}")


def _original_key(mapping: Any, camel_key: str) -> str:
    if isinstance(mapping, dict):
        for key in mapping:
            if camel(str(key)) == camel_key:
                return str(key)
    return camel_key


#: What every user server's environment holds before ``environment`` (JupyterHub 4 and later,
#: then KubeSpawner's image variables): ``$(VAR)`` references to them resolve.
_HUB_ENVIRONMENT = frozenset(
    [
        *("JUPYTERHUB_API_TOKEN", "JPY_API_TOKEN", "JUPYTERHUB_CLIENT_ID", "JUPYTERHUB_HOST"),
        *("JUPYTERHUB_OAUTH_CALLBACK_URL", "JUPYTERHUB_OAUTH_SCOPES"),
        *("JUPYTERHUB_OAUTH_ACCESS_SCOPES", "JUPYTERHUB_OAUTH_CLIENT_ALLOWED_SCOPES"),
        *("JUPYTERHUB_USER", "JUPYTERHUB_SERVER_NAME", "JUPYTERHUB_API_URL"),
        *("JUPYTERHUB_ACTIVITY_URL", "JUPYTERHUB_BASE_URL", "JUPYTERHUB_SERVICE_PREFIX"),
        *("JUPYTERHUB_SERVICE_URL", "JUPYTER_IMAGE_SPEC", "JUPYTER_IMAGE"),
    ]
)
#: What JupyterHub adds when a trait is set.
_HUB_ENVIRONMENT_WHEN = (
    ("mem_limit", "MEM_LIMIT"),
    ("mem_guarantee", "MEM_GUARANTEE"),
    ("cpu_limit", "CPU_LIMIT"),
    ("cpu_guarantee", "CPU_GUARANTEE"),
    ("notebook_dir", "JUPYTERHUB_ROOT_DIR"),
    ("default_url", "JUPYTERHUB_DEFAULT_URL"),
    ("debug", "JUPYTERHUB_DEBUG"),
    ("disable_user_config", "JUPYTERHUB_DISABLE_USER_CONFIG"),
)


def _hub_environment(config: SpawnerConfig) -> set[str]:
    """The names the hub puts in a user server's environment before ``environment``.

    Of the hub process's own variables that ``env_keep`` passes on, only PATH is surely there
    (JupyterHub 4 keeps it by default, 5 no longer does); the others depend on the hub image,
    which no values file shows, and are taken as unset."""
    names = set(_HUB_ENVIRONMENT)
    names.update(name for trait, name in _HUB_ENVIRONMENT_WHEN if config.get(trait))
    keep = config.get("env_keep")
    if keep is None:
        keep = ["PATH"] if config.jupyterhub.split(".")[0] == "4" else []
    if isinstance(keep, list) and "PATH" in keep:
        names.add("PATH")
    return names


def _environment(environment: Any, hub: set[str]) -> list[dict[str, Any]]:
    """KubeSpawner's env ordering: by key, those whose ``$(VAR)`` references resolve first
    (to the ``hub``'s own variables, then to the ones placed before them), the rest last."""
    if not isinstance(environment, dict):
        return []
    entries = {}
    for key, value in environment.items():
        item = {"name": key, **value} if isinstance(value, dict) else {"name": key, "value": value}
        text = item["value"] if isinstance(item.get("value"), str) else ""
        deps = set(re.findall(r"\$\(([^\)]+)\)", text)) - {item["name"]}
        entries[item["name"]] = (key, deps, item)
    # The hub's own variables reference nothing: they are placed in the first round, with the
    # user's that reference nothing (and are not drawn).
    hub_pending = hub - set(entries)
    done: set[str] = set()
    ordered: list[dict[str, Any]] = []
    while entries:
        ready = [k for k, (_, deps, _) in entries.items() if deps <= done]
        if not ready and not hub_pending:
            ready = list(entries)  # what never resolves goes last
        ordered.extend(entries[k][2] for k in sorted(ready, key=lambda k: str(entries[k][0])))
        for k in ready:
            del entries[k]
        done.update(ready, hub_pending)
        hub_pending = set()
    return ordered


def _args(config: SpawnerConfig) -> list[Any]:
    cmd = config.get("cmd")
    if not isinstance(cmd, list) or not cmd:  # a cmd of another type is `z2jh-wrong-type`'s
        return []
    args = config.get("args")
    args = list(args) if isinstance(args, list) else []
    # `debug` (the chart's `debug.enabled`) adds no argument: every hub of a 3.x or 4.x chart
    # runs JupyterHub 4 or later, which passes it in the environment (JUPYTERHUB_DEBUG).
    return [*cmd, *args]


#: The values key behind each CPU and memory trait.
RESOURCE_KEYS: dict[str, tuple[str, ...]] = {
    "cpu_guarantee": ("singleuser", "cpu", "guarantee"),
    "mem_guarantee": ("singleuser", "memory", "guarantee"),
    "cpu_limit": ("singleuser", "cpu", "limit"),
    "mem_limit": ("singleuser", "memory", "limit"),
}


def _resources(config: SpawnerConfig, sources: PodSources, at: Path) -> dict[str, Any]:
    requests: dict[str, Any] = {}
    limits: dict[str, Any] = {}
    for bucket, name, key, trait in (
        (requests, "requests", "cpu", "cpu_guarantee"),
        (requests, "requests", "memory", "mem_guarantee"),
        (limits, "limits", "cpu", "cpu_limit"),
        (limits, "limits", "memory", "mem_limit"),
    ):
        value = config.get(trait)
        if value:
            bucket[key] = value
            sources.copy_trait((*at, name, key), config, trait)
        else:
            # Unset: the key that would set it, which the user may have written as null.
            found = config.source(trait)
            sources.add(
                (*at, name, key),
                found[0] if found else Source(RESOURCE_KEYS[trait], extends=False),
            )
    for bucket, name, trait in (
        (requests, "requests", "extra_resource_guarantees"),
        (limits, "limits", "extra_resource_limits"),
    ):
        extra = config.get(trait)
        if isinstance(extra, dict) and extra:
            bucket.update(extra)
            for key in extra:
                sources.copy_trait((*at, name, key), config, trait, (key,))
    return {"limits": limits, "requests": requests}


def _affinity(config: SpawnerConfig, sources: PodSources) -> dict[str, Any]:
    affinity: dict[str, Any] = {}
    for kind, prefix in (
        ("nodeAffinity", "node_affinity"),
        ("podAffinity", "pod_affinity"),
        ("podAntiAffinity", "pod_anti_affinity"),
    ):
        required, req_pos = _sorted_values(config, f"{prefix}_required")
        preferred, pref_pos = _sorted_values(config, f"{prefix}_preferred")
        if not (required or preferred):
            continue
        block: dict[str, Any] = {}
        base: Path = ("spec", "affinity", kind)
        if preferred:
            block["preferredDuringSchedulingIgnoredDuringExecution"] = preferred
            sources.copy_list(
                (*base, "preferredDuringSchedulingIgnoredDuringExecution"),
                config,
                f"{prefix}_preferred",
            )
            _copy_items(
                sources,
                (*base, "preferredDuringSchedulingIgnoredDuringExecution"),
                config,
                f"{prefix}_preferred",
                pref_pos,
            )
        if required:
            req_path: Path = (*base, "requiredDuringSchedulingIgnoredDuringExecution")
            if kind == "nodeAffinity":
                block["requiredDuringSchedulingIgnoredDuringExecution"] = {
                    "nodeSelectorTerms": required
                }
                req_path = (*req_path, "nodeSelectorTerms")
            else:
                block["requiredDuringSchedulingIgnoredDuringExecution"] = required
            sources.copy_list(req_path, config, f"{prefix}_required")
            _copy_items(sources, req_path, config, f"{prefix}_required", req_pos)
        affinity[kind] = _drop_nulls(block)
    return affinity
