"""The effective singleuser pods of a z2jh release: one per profile and option choice.

:func:`build_pods` runs the hub's configuration (:mod:`.spawner`), each profile selection
(:mod:`.profiles`) and KubeSpawner's pod builder, and attaches a :class:`ValuesProvenance` that
sends every pod field to the values line that produced it — or, for a chart default, to the
nearest key the user wrote, with a note naming the default.
"""

from __future__ import annotations

import re

from nblint.dialects import openshift as scc
from nblint.dialects.apiserver import apply_api_defaults
from nblint.dialects.z2jh.chart_config import (
    PASSTHROUGH,
    release_chart_written,
    with_hub_config,
)
from nblint.dialects.z2jh.dropped_volumes import report_dropped_volumes
from nblint.dialects.z2jh.helm import key_text
from nblint.dialects.z2jh.placement import ValuesPlacement, set_by_code
from nblint.dialects.z2jh.platform import REFUSED
from nblint.dialects.z2jh.pod_builder import PodSources, make_pod
from nblint.dialects.z2jh.profile_keys import UNLISTED, keys_read
from nblint.dialects.z2jh.profiles import Selection, selections
from nblint.dialects.z2jh.sources import KEY_MARK, key_in_note, shown_note
from nblint.dialects.z2jh.traits import Source, SpawnerConfig, lookup
from nblint.dialects.z2jh.validate import KUBESPAWNER_CLASSES
from nblint.dialects.z2jh.values import (
    OLDER_PIN_DEFAULT,
    OPENSHIFT_HINTS,
    hub_authenticator_names,
    hub_classes,
    hub_image,
    kubespawner_version,
    volume_null_note,
)
from nblint.model.pod import (
    DEFAULTS_GUESSED,
    HINTS_FOR_ANOTHER_VERSION,
    HINTS_MAY_NOT_REACH,
    USER_NAMESPACE_FACT,
    CodeLine,
    EffectivePod,
    Origin,
    Path,
    format_path,
    get_path,
)
from nblint.model.quantity import is_zero_quantity
from nblint.model.unknowable import is_unknowable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from nblint.dialects.z2jh.values import Release

    #: ``(pod spec, namespace) -> (how the inputs let its ServiceAccount, or the hub's that
    #: creates it, use another SCC; the hub's ServiceAccount when it is the one granted)``
    #: (:func:`nblint.dialects.openshift.other_scc`), or None.
    OtherScc = Callable[[dict[str, Any], str | None], tuple[str, str | None] | None]

#: Stands for the Helm release name in names the chart derives from it.
#: The source of a pod field the pod builder traced to no values key (a gap in the port, which
#: tests/test_finding_lines.py looks for): the top of the singleuser section.
UNTRACED = Source(("singleuser",), extends=False)
HOME_MOUNT_PATH = ("singleuser", "storage", "homeMountPath")


class ValuesProvenance:
    """Pod path → the values line that set it (longest registered prefix wins)."""

    def __init__(self, release: Release, sources: PodSources) -> None:
        self.release = release
        self.entries = sources.entries
        self._located: dict[Path, Origin] = {}
        #: What :meth:`values_path` found: a finding's field is located, then its fix placed.
        self._values_paths: dict[Path, tuple[tuple[str | int, ...], str]] = {}
        #: Fields no values line writes (API-server defaulting), by pod path.
        self.injected: dict[Path, Origin] = {}

    def inject(self, path: Path, origin: Origin) -> None:
        self.injected[path] = origin
        self._located.clear()  # what was located below ``path`` now comes from ``origin``

    def source(self, path: Path) -> tuple[Source, Path]:
        for length in range(len(path), -1, -1):
            found = self.entries.get(path[:length])
            if found is not None:
                return found, path[length:]
        return UNTRACED, path

    def traced(self, path: Path) -> bool:
        """Whether pod ``path`` has a values key of its own (or an ancestor's) behind it."""
        return self.source(path)[0] is not UNTRACED

    def values_path(self, path: Path) -> tuple[tuple[str | int, ...], str]:
        """The values path behind pod ``path``, and the note to show with it."""
        found = self._values_paths.get(path)
        if found is None:
            source, rest = self.source(path)
            values_path = (*source.path, *rest) if source.extends and rest else source.path
            found = self._values_paths[path] = (values_path, source.note)
        return found

    def locate(self, path: Path) -> Origin:
        found = self._located.get(path)
        if found is None and self.injected:
            for length in range(len(path), 0, -1):
                found = self.injected.get(path[:length])
                if found is not None:
                    break
        if found is None:
            values_path, note = self.values_path(path)
            found = self.release.locate(values_path)
            if note:
                if KEY_MARK in note:
                    # Its values paths as the file holds them: under the keys the fix is.
                    layer = self.release.placing(values_path)
                    note = shown_note(note, layer.shown_under if layer is not None else ())
                # (A null that deletes the value is said too: it is what the finding is at.)
                deleted = found.note is not None and found.note.startswith("the null")
                said = f"{note}; {found.note}" if deleted else note
                if (self.release.unseen or self.release.older_pin) and self.release.is_default(
                    values_path
                ):
                    # (A note of its own on a chart default: `blockWithIptables: true`'s.)
                    said += self.release.unless_unseen()
                    if self.release.older_pin and OLDER_PIN_DEFAULT not in said:
                        said += OLDER_PIN_DEFAULT
                found = Origin(found.file, found.line, found.column, said)
            self._located[path] = found
        return found


#: The pod fact that names the hub's ServiceAccount when its grant of another SCC, not the pod's
#: own, is what lets the pod be admitted by it.
OTHER_SCC_CREATOR = "openshift_other_scc_creator"


def build_pods(release: Release, other_scc: OtherScc | None = None) -> list[EffectivePod]:
    """Every pod a user of ``release`` can get. ``other_scc`` (a release on OpenShift): whether
    the inputs let a pod's ServiceAccount use an SCC other than restricted-v2, which then does
    not judge that pod."""
    config = with_hub_config(
        release_chart_written(release).copy(), release.values, release.extra_config
    )
    unlisted = keys_read(kubespawner_version(release.chart_version), UNLISTED) is not None
    chosen = [(selection, selection.apply(config)) for selection in selections(config, unlisted)]
    for selection, applied in chosen:
        report_dropped_volumes(config, applied, selection)
    facts = deployment_facts(release, chosen, config)
    if not chosen:
        return [_pod(release, config, None, facts, other_scc)]
    return [_pod(release, applied, selection, facts, other_scc) for selection, applied in chosen]


def _pod(
    release: Release,
    config: SpawnerConfig,
    selection: Selection | None,
    facts: dict[str, Any],
    other_scc: OtherScc | None = None,
) -> EffectivePod:
    pod, sources = make_pod(config)
    # Fields nobody wrote still need a line: the notebook container's own fields go to the
    # image key, everything else to `singleuser`.
    sources.entries.setdefault(("spec", "containers", 0), _image_source(config))
    home = lookup(release.values, HOME_MOUNT_PATH)
    # The notebook's mounts as a whole come from the storage settings, homeMountPath first: a
    # finding about a mount that is missing (the home, a writable path) is placed there.
    # A profile's or a choice's `volume_mounts` replaces the chart's, home included: that
    # override is the line to edit.
    mounts_at: Path = ("spec", "containers", 0, "volumeMounts")
    written = sources.entries.get(mounts_at)
    overridden = written is not None and "kubespawner_override" in written.path
    # extra_container_config's volumeMounts replace the list KubeSpawner built, the home mount
    # with it: that key is the line to edit, and the note says what it dropped.
    replaced = (
        written is not None
        and "extra_container_config" in written.path
        and not _mounted_at(pod, home)
        and _mounted_in(config.get("volume_mounts"), home)
    )
    if replaced:
        assert written is not None
        sources.entries[mounts_at] = Source(
            written.path,
            f"`{key_in_note(written.path)}` replaces the volumeMounts KubeSpawner builds for "
            f"the notebook, without the home volume's mount at {home} that "
            f"`{key_in_note(('singleuser', 'storage'))}` sets",
            extends=False,
        )
    elif not overridden and (not _mounted_at(pod, home) or written is None):
        sources.entries[mounts_at] = Source(HOME_MOUNT_PATH, extends=False)
    _trace_static_claim(release, pod, sources)
    _place_deleted_fields(release, pod, sources)
    provenance = ValuesProvenance(release, sources)
    refused: list[tuple[Path, str]] = []
    namespace = _namespace(config) or release.namespace
    granted: str | None = None
    creator: str | None = None
    user_namespace = _user_namespace(config, release, namespace)
    if release.openshift is not None and other_scc is not None:
        # The inputs let the pod's ServiceAccount use another SCC: which one admits the pod is
        # the cluster's to decide, so restricted-v2 is not modelled (openshift-scc-other).
        found = other_scc(pod["spec"], namespace)
        if found is not None:
            granted, creator = found
    if release.openshift is not None and granted is None:
        # restricted-v2 refuses the pod, or fills in what it leaves unset (:mod:`.platform`).
        refused = scc.refusals(pod["spec"])
        if not refused:
            scc.admit(pod["spec"], provenance, release.openshift)
    # KubeSpawner creates a bare Pod: the API server defaults it before admission sees it.
    pod["spec"] = apply_api_defaults(pod["spec"], "Pod", provenance)
    pod_facts = {
        **facts,
        "home_pvc": _home_pvc(config),
        # Where the chart mounts the user's home volume (storage type static or dynamic), when
        # the pod still mounts it there: a hint about HOME must keep that volume, not replace it.
        "chart_home_mount": home if _chart_home_mounted(release, pod, home) else None,
        # The extra_container_config key whose volumeMounts dropped the home volume's mount.
        "home_mount_replaced_by": format_path(written.path) if replaced and written else None,
        "volumes_replaced_by": _volumes_replaced_by(sources),
        "unlisted_choices": [
            {
                "option": u.option,
                "values_path": u.path,
                "validation_regex": u.validation_regex,
                "traits": u.traits,
            }
            for u in (selection.unlisted if selection else [])
        ],
        "spawn_problems": list(config.problems),
        # The pod fields a profile's or an option choice's override sets: what a user picks by
        # that entry's label (a "4 GPUs" choice), which a fix must not silently change, and
        # which spawns a problem with them is about (``{"option": …, "choice": …}`` for a
        # choice, empty for the profile's own).
        "chosen_fields": {
            pod_path: _chosen_by(source.path)
            for pod_path, source in sources.entries.items()
            if "kubespawner_override" in source.path
        },
        # Who fills in the `{{ }}` of the values, when someone does: they are unknown, not text.
        "templates_are_placeholders": release.placeholders is not None,
        # The server's root directory JupyterHub asks for (JUPYTERHUB_ROOT_DIR, which the pod
        # drawn does not carry): where the notebooks are, for what is lost without a home volume.
        "notebook_dir": _notebook_dir(config),
    }
    if user_namespace is not None:
        pod_facts[USER_NAMESPACE_FACT] = user_namespace
    fix_keys = release.fix_keys
    if granted is not None:
        pod_facts[scc.OTHER_SCC_FACT] = granted
        if creator is not None:
            pod_facts[OTHER_SCC_CREATOR] = creator
        # Judged as written: the usual hints, not restricted-v2's.
        fix_keys = tuple(key for key in fix_keys if key != OPENSHIFT_HINTS)
    elif release.openshift is not None:
        # What a refusal by restricted-v2 does (openshift-scc-range says it), and what it
        # refuses in this pod, which is then never created (reported by the normaliser).
        pod_facts["openshift_scc"] = REFUSED
        # Which sign said OpenShift (``assumed: OpenShift, from …``): a finding that holds only
        # there says it.
        pod_facts["openshift_sign"] = release.openshift
        if refused:
            pod_facts["scc_refused"] = refused
    return EffectivePod(
        namespace=namespace,
        file=release.files[0] if release.files else "",
        object="values",
        dialect="z2jh",
        pod=pod,
        provenance=provenance,
        kind="Pod",
        profile=selection.profile if selection else None,
        options=selection.options or None if selection else None,
        fix_keys=fix_keys,
        # Rules over the values themselves (target `values`) read and locate through this.
        configuration=release,
        facts=pod_facts,
        placement=ValuesPlacement(
            release,
            provenance,
            selection.path if selection else None,
            set_by_code=set_by_code(config) if release.extra_config.assignments else None,
            overrides=selection.overrides if selection else (),
        ),
    )


def _chosen_by(values_path: Path) -> dict[str, str]:
    """The option choice a ``kubespawner_override`` path belongs to (``{"option": "size",
    "choice": "small"}``; an ``unlisted_choice``'s is the value the user types), or ``{}`` for
    the profile's own override."""
    for at, part in enumerate(values_path):
        if part == "choices" and at + 1 < len(values_path):
            return {"option": str(values_path[at - 1]), "choice": str(values_path[at + 1])}
        if part == "unlisted_choice":
            return {"option": str(values_path[at - 1]), "choice": "(the value typed)"}
    return {}


#: Values keys whose value becomes one pod field, where no other key writes it (values key, pod
#: path): a user `null` deletes the chart default or an earlier file's value (Helm drops it), and
#: the field is then missing from the pod.
DELETABLE_FIELDS: tuple[tuple[Path, Path], ...] = (
    (("singleuser", "uid"), ("spec", "containers", 0, "securityContext", "runAsUser")),
    (("singleuser", "fsGid"), ("spec", "securityContext", "fsGroup")),
)


def _place_deleted_fields(release: Release, pod: dict[str, Any], sources: PodSources) -> None:
    """A pod field that is missing because a user's ``null`` deleted the value behind it
    (``singleuser.uid:`` left empty) is placed at that null: that is the line that made it
    missing and the line a fix edits, not "not set" somewhere else. Over an earlier file's value,
    the release's own note names what it deletes (:meth:`Release.locate`); over the chart
    default, the note here names the default."""
    for values_key, pod_path in DELETABLE_FIELDS:
        found, _ = get_path(pod, pod_path)
        if found or pod_path in sources.entries:
            continue  # set after all (a profile, hub.config), or placed by its own writer
        if release.deleted_by_null(values_key) is not None:
            sources.entries[pod_path] = Source(values_key, extends=False)
            continue
        nulled = release.deleting_null(values_key)
        if nulled is None:
            continue
        _, default = get_path(release.defaults, values_key)
        sources.entries[pod_path] = Source(
            nulled,
            f"`{key_in_note(nulled)}: null` deletes the chart default "
            f"`{format_path(values_key)}: {default}`: the pod gets no {pod_path[-1]}",
            extends=False,
        )


def _namespace(config: SpawnerConfig) -> str | None:
    """The namespace the spawner puts the pod in when the values name one (``namespace``, per
    profile too); with ``enable_user_namespaces`` each user's own, which no input describes."""
    if config.get("enable_user_namespaces") is True:
        template = config.get("user_namespace_template")
        return template if isinstance(template, str) and template else "{hubnamespace}-{username}"
    namespace = config.get("namespace")
    return namespace if isinstance(namespace, str) and namespace else None


#: The PodSecurity labels' prefix (as :data:`nblint.model.namespace.LABEL_PREFIX`, which a run
#: without such labels does not import).
_PSA_LABEL = "pod-security.kubernetes.io/"
_PSA_LEVEL_LABELS = tuple(f"{_PSA_LABEL}{mode}" for mode in ("enforce", "audit", "warn"))


def _user_namespace(config: SpawnerConfig, release: Release, namespace: str | None) -> Any:
    """The Namespace KubeSpawner creates for each user (``enable_user_namespaces``) when
    ``user_namespace_labels`` give it a PodSecurity level: KubeSpawner's ``_ensure_namespace``
    creates it with those labels (and ``user_namespace_annotations``), so they are its PSA
    labels, each placed at the values line that sets it. None otherwise (the namespace is then
    unknown, as before), and when a PodSecurity label's value is filled in per user (``{``)."""
    if config.get("enable_user_namespaces") is not True or not namespace:
        return None
    written = config.get("user_namespace_labels")
    if not isinstance(written, dict) or not any(key in written for key in _PSA_LEVEL_LABELS):
        return None
    from nblint.model.namespace import ClusterObject, Located, NamespaceManifest

    def origin(key: str) -> Origin:
        found = config.source("user_namespace_labels", (key,) if key else ())
        if found is None:
            return release.locate(("hub", "config", "KubeSpawner", "user_namespace_labels"))
        source, rest = found
        return release.locate((*source.path, *rest))

    labels: dict[str, Located] = {}
    for key, value in written.items():
        if not isinstance(key, str):
            continue
        if key.startswith(_PSA_LABEL) and (not isinstance(value, str) or "{" in value):
            return None  # expanded per user, or not text: its level is not known
        labels[key] = Located(value, origin(key))
    at = origin("")
    ref = ClusterObject("Namespace", namespace, None, at)
    source = config.source("user_namespace_labels")
    where = format_path(source[0].path) if source else "user_namespace_labels"
    return NamespaceManifest(ref, labels, described_as=f"{where} (KubeSpawner user namespace)")


#: The KubeSpawner trait that holds the pod's volumes, as ``hub.config`` writes it.
_HUB_CONFIG_VOLUMES = ("hub", "config", "KubeSpawner", "volumes")


def _volumes_replaced_by(sources: PodSources) -> str | None:
    """The values key that replaces the pod's volumes whole (a profile's or a choice's
    ``kubespawner_override.volumes``, ``hub.config.KubeSpawner.volumes``), as text: the chart's
    home volume and ``singleuser.storage.extraVolumes`` are in the list it replaces, so a volume
    the pod lacks goes there. None when the chart builds the list."""
    written = sources.entries.get(("spec", "volumes"))
    if written is None:
        return None
    path = tuple(written.path)
    if "kubespawner_override" in path or path == _HUB_CONFIG_VOLUMES:
        return format_path(path)
    return None


def _mounted_in(mounts: Any, home: Any) -> bool:
    """Whether ``volume_mounts`` (a list, or KubeSpawner 7's map) mounts something at ``home``."""
    items = (
        mounts.values() if isinstance(mounts, dict) else mounts if isinstance(mounts, list) else []
    )
    return any(isinstance(m, dict) and m.get("mountPath") == home for m in items)


def _chart_home_mounted(release: Release, pod: dict[str, Any], home: Any) -> bool:
    storage_type = lookup(release.values, ("singleuser", "storage", "type"))
    return storage_type in ("static", "dynamic") and _mounted_at(pod, home)


#: The claim z2jh's static storage mounts as every user's home, and the key that picks it.
STATIC_CLAIM: Path = ("singleuser", "storage", "static", "pvcName")
STORAGE_TYPE: Path = ("singleuser", "storage", "type")


def _trace_static_claim(release: Release, pod: dict[str, Any], sources: PodSources) -> None:
    """The home volume of static storage traces to `type: static`; its claim's name, when a
    user file writes `pvcName` (empty, or a later layer's null), to that key: the line to edit."""
    if not release.written(STATIC_CLAIM):
        return
    volumes = pod.get("spec", {}).get("volumes")
    for index, volume in enumerate(volumes if isinstance(volumes, list) else []):
        at = ("spec", "volumes", index)
        source = sources.entries.get(at)
        if source is not None and source.path == STORAGE_TYPE and isinstance(volume, dict):
            # (The claim source holds nothing but its name: a claim volume that names none is
            # said at the claim itself.)
            claim = (*at, "persistentVolumeClaim")
            sources.entries[claim] = Source(STATIC_CLAIM, extends=False)


def _mounted_at(pod: dict[str, Any], path: Any) -> bool:
    """Whether the notebook container mounts a volume at ``path``."""
    containers = pod["spec"].get("containers") or [{}]
    mounts = containers[0].get("volumeMounts") if isinstance(containers[0], dict) else None
    return isinstance(mounts, list) and any(
        isinstance(mount, dict) and mount.get("mountPath") == path for mount in mounts
    )


def _notebook_dir(config: SpawnerConfig) -> str | None:
    notebook_dir = config.get("notebook_dir")
    return notebook_dir if isinstance(notebook_dir, str) and notebook_dir else None


def _image_source(config: SpawnerConfig) -> Source:
    found = config.source("image")
    path = found[0].path if found else ("singleuser", "image")
    return Source(path, extends=False)


def _home_pvc(config: SpawnerConfig) -> dict[str, Any] | None:
    if not config.get("storage_pvc_ensure"):
        return None
    found = config.source("storage_capacity")
    return {
        "name_template": config.get("pvc_name_template"),
        "capacity": config.get("storage_capacity"),
        "capacity_path": found[0].path if found else ("singleuser", "storage", "capacity"),
        "storage_class": config.get("storage_class"),
        "access_modes": config.get("storage_access_modes"),
    }


def _extended_resources(config: SpawnerConfig) -> list[str]:
    """The extended resources (GPUs and the like) a spawn asks for, by name: one asked for 0
    times (a "no GPU" choice's ``nvidia.com/gpu: 0``) is not asked for."""
    names: set[str] = set()
    for trait in ("extra_resource_limits", "extra_resource_guarantees"):
        bucket = config.get(trait)
        if isinstance(bucket, dict):
            names.update(str(name) for name, n in bucket.items() if not is_zero_quantity(n))
    return sorted(names)


def hub_authentication(release: Release) -> dict[str, Any]:
    """How the hub authenticates, as its configuration says: ``hub.config`` sections, then what
    nblint read of ``hub.extraConfig`` (which runs later).

    ``authenticator_class``: the configured value, or None when nothing sets it (JupyterHub's
    default then applies); ``at``: the values path that set it (or where it would be set);
    ``known``: False when a ``hub.extraConfig`` statement nblint did not read assigns it;
    ``settings``: ``{section: {trait: [value, values path]}}`` of every ``*Authenticator``
    section (``allow_all``, ``password``…)."""
    config_path = ("hub", "config")
    sections = lookup(release.values, config_path)
    settings: dict[str, dict[str, Any]] = {}
    if isinstance(sections, dict):
        for section, traits in sections.items():
            if isinstance(section, str) and isinstance(traits, dict):
                settings[section] = {
                    str(name): [value, (*config_path, section, name)]
                    for name, value in traits.items()
                }
    extra = release.extra_config
    for assignment in extra.assignments:
        settings.setdefault(assignment.section, {})[assignment.trait] = [
            assignment.value,
            assignment.path,
        ]
    found = settings.get("JupyterHub", {}).get("authenticator_class")
    authenticator, at = (
        found if found else [None, (*config_path, "JupyterHub", "authenticator_class")]
    )
    known = ("JupyterHub", "authenticator_class") not in extra.unread_targets
    # Unset because a user's `hub.config:` left empty (null) deleted the chart's `hub.config`
    # (Helm deletes a default where a user's value is null): said, since it looks like nothing.
    unset: Path = (*config_path, "JupyterHub", "authenticator_class")
    nulled = release.deleting_null(unset) if authenticator is None else None
    deleted_by = format_path(nulled) if nulled else None
    deleted_from: list[str] = []
    below = None
    if nulled:
        layer = release.placing(nulled)
        if layer is not None:
            deleted_from = release.from_earlier_layers(layer, nulled)
            below = release.beneath(layer, unset)
    sections = {k: v for k, v in settings.items() if k.endswith("Authenticator")}
    # Which sections the authenticator reads matters only for an `allow_all: true` outside the
    # base section (the rest of a section's settings is not judged): the hub's class table, a
    # cold start's largest file, is read only then.
    if any(
        name != "Authenticator" and traits.get("allow_all", (None,))[0] is True
        for name, traits in sections.items()
    ):
        reads = _authenticator_sections(release.chart_version, authenticator if known else ...)
        sections = {k: v for k, v in sections.items() if k in reads}
    # A password DummyAuthenticator is given by code nblint did not run (from a Secret, the
    # environment): where, said as a path. It checks that password (when non-empty).
    coded = extra.unread_at.get(("DummyAuthenticator", "password"))
    return {
        "authenticator_class": authenticator,
        # DummyAuthenticator or TmpAuthenticator when it names one, else None.
        "lets_anyone_in": _lets_anyone_in(authenticator),
        "password_code": (
            format_path(("hub", "extraConfig", coded[0], CodeLine(coded[1])))
            if coded is not None
            else None
        ),
        # The pre-0.11 `auth` section names the authenticator the user meant (`auth.type`), and
        # nothing else sets one: the `auth` finding (z2jh-unknown-key) is the problem.
        "legacy_auth": (
            _legacy_auth(release)
            if known
            and not release.written(unset)
            and extra.last("JupyterHub", "authenticator_class") is None
            else None
        ),
        "at": at,
        "known": known,
        "deleted_by": deleted_by,
        "deleted_from": deleted_from,
        "deleted_authenticator": below,
        "settings": sections,
        "jupyterhub": hub_image(release.chart_version)["jupyterhub"],
    }


def _legacy_auth(release: Release) -> str | None:
    """The authenticator the pre-0.11 ``auth`` section names (``auth.type``, or a custom
    ``auth.custom.className``), when it names one that checks who logs in; else None (no
    ``auth``, or ``type: dummy``/``tmp``, which would let anyone in as the chart's default
    does)."""
    # (Read from the user's files: the release's values keep only the keys it knows.)
    auth = next(
        (
            layer["auth"]
            for layer in reversed(release.user_values())
            if isinstance(layer, dict) and isinstance(layer.get("auth"), dict)
        ),
        None,
    )
    if not isinstance(auth, dict):
        return None
    kind = auth.get("type")
    custom = auth.get("custom")
    if kind == "custom" and isinstance(custom, dict):
        kind = custom.get("className")
    if not isinstance(kind, str) or not kind or _lets_anyone_in(kind) is not None:
        return None
    return kind


def _authenticator_sections(chart_version: str, authenticator: Any) -> frozenset[str]:
    """The ``hub.config`` sections the hub's authenticator reads: its class's own and its base
    classes' (traitlets configures a class from the sections of its class and its bases).

    ``authenticator``: the configured ``authenticator_class`` (an entry-point name such as
    ``github``, or a dotted import path), None when unset (JupyterHub's default, PAM), or ``...``
    when code nblint did not read sets it. A class the hub image does not ship is known by its own
    name, beside ``Authenticator`` (every authenticator is one) and, for a name ending in
    ``OAuthenticator`` (``canvasoauthenticator.CanvasOAuthenticator``), ``OAuthenticator``, whose
    subclasses the oauthenticator package names so; any other section is left out, not guessed."""
    if authenticator is ...:
        return frozenset({"Authenticator"})
    if authenticator is None:
        authenticator = "default"
    if not isinstance(authenticator, str):
        return frozenset({"Authenticator"})
    name = _class_name(chart_version, authenticator)
    cls = hub_classes(chart_version).get(name)
    if cls is None:
        oauth = ("OAuthenticator",) if name.endswith("OAuthenticator") else ()
        return frozenset({name, "Authenticator", *oauth})
    return frozenset({name, *cls["bases"]})


#: The hub image's names for the authenticators that let anyone in (the same in every release;
#: a test holds this to the image's table), read without loading that table: ``dummy`` is the
#: chart's default, asked of nearly every values file.
LETS_ANYONE_IN = {"dummy": "DummyAuthenticator", "tmp": "TmpAuthenticator"}


def _lets_anyone_in(authenticator: Any) -> str | None:
    """DummyAuthenticator or TmpAuthenticator, when ``authenticator`` names one of them (by its
    entry-point name or its import path), else None."""
    if not isinstance(authenticator, str):
        return None
    name = LETS_ANYONE_IN.get(authenticator, authenticator.replace(":", ".").rsplit(".", 1)[-1])
    return name if name in LETS_ANYONE_IN.values() else None


def _class_name(chart_version: str, authenticator: str) -> str:
    """The class an ``authenticator_class`` names: an entry-point name of the release's hub
    image (``github``) resolved, or the last part of an import path (``module:Class``)."""
    target = hub_authenticator_names(chart_version).get(authenticator, authenticator)
    return target.replace(":", ".").rsplit(".", 1)[-1]


def deployment_facts(
    release: Release,
    chosen: list[tuple[Selection, SpawnerConfig]],
    config: SpawnerConfig | None = None,
) -> dict[str, Any]:
    """Facts about the whole release that rules may need beside the pod.

    ``chosen``: each profile selection with the config it spawns with; ``config``: the spawner's
    config before any profile, the one every pod spawns with when there are no profiles.
    """
    values = release.values
    extra_config = lookup(values, ("hub", "extraConfig"))
    # Which of them are GPUs is the check's to say (its GPU table).
    # Every pod's resources as built: each profile's (the base config's merged in), else the
    # base config's (`singleuser.extraResource`, `hub.config.KubeSpawner`, extraConfig).
    spawns = [applied for _, applied in chosen] or ([config] if config is not None else [])
    extended = sorted({name for applied in spawns for name in _extended_resources(applied)})
    return {
        "chart_version": release.chart_version,
        # One pod stands for every user's: a volume without a per-user placeholder is shared.
        "per_user": True,
        "cull": lookup(values, ("cull",), {}),
        "authenticator_class": lookup(
            values, ("hub", "config", "JupyterHub", "authenticator_class")
        ),
        "hub_authentication": hub_authentication(release),
        "hub_extra_config_present": bool(extra_config),
        "extended_resources": extended,
        # Whether the pods are the profiles' (messages: "GPU profiles") or the one default pod.
        "profiles": bool(chosen),
        "cloud_metadata_blocked": lookup(
            values, ("singleuser", "cloudMetadata", "blockWithIptables")
        )
        is True,
        "network_policy_enabled": bool(lookup(values, ("singleuser", "networkPolicy", "enabled"))),
        "egress_to_metadata": egress_to_metadata(values),
        # Where the values switch the user pods' NetworkPolicy off themselves (`file:line`).
        "network_policy_off": _network_policy_off(release),
        "named_servers": _named_servers(values),
        "chart_pods": chart_pods(values),
        "hub_db_pvc": _hub_db_pvc(values),
        "volumes_unseen": _volumes_unseen(release),
        "volumes_deleted": _volumes_deleted(release),
        # A hook that changes the pod KubeSpawner built (basehub's adds admins' mounts).
        "pod_hooks": [hook for hook, _, _ in release.extra_config.pod_hooks],
        # Code nblint did not read that sets a user to uid 0 (a hook's run_as_user=0).
        "uid_0_code": _uid_0_code(release),
        # The values keys whose trait such code sets or changes (under a condition, in a function):
        # a fix that writes one may be undone by it.
        "code_traits": _code_traits(release),
        # The values layers nblint did not read, named: they may set a root user or sudo, on
        # which a fix that drops capabilities or requires non-root is then unsafe.
        "unread_values": release.unread,
        # The inputs pin a z2jh older than any nblint knows: the hints are in the keys of the
        # release linted, which theirs may lack (`hub.config` came with 0.10): advice only.
        **(
            {
                HINTS_FOR_ANOTHER_VERSION: _older_pin_hint(release),
                DEFAULTS_GUESSED: OLDER_PIN_DEFAULT,
            }
            if release.older_pin
            else {}
        ),
        # The hub spawns with a class nblint does not know to be KubeSpawner: a hint into
        # KubeSpawner's settings reaches the pods only if it is one (advice only).
        **(
            {HINTS_MAY_NOT_REACH: (_spawner_hint(spawner), KUBESPAWNER_SETTINGS)}
            if (spawner := other_spawner(release)) is not None
            else {}
        ),
        # What the chart that installs z2jh (binderhub) says of its pods: `home_in_image`.
        **(release.wrapper.facts if release.wrapper is not None else {}),
    }


#: Where the values give KubeSpawner its settings: ``singleuser`` (the chart's
#: ``jupyterhub_config.py`` turns it into ``c.KubeSpawner`` traits, profiles' overrides included)
#: and the ``KubeSpawner`` section of ``hub.config``.
KUBESPAWNER_SETTINGS = (("singleuser",), ("hub", "config", "KubeSpawner"))


def other_spawner(release: Release) -> str | None:
    """The hub's spawner class when it is not KubeSpawner, as the values (``hub.config``, then
    ``hub.extraConfig``, which runs later) name it: the name, or "a class set by code" for a
    statement nblint did not read that gives it a class object other than ``KubeSpawner``.
    None when KubeSpawner (the chart's own) spawns, or a value nblint cannot know names it."""
    values = release.values
    extra = release.extra_config
    spawner = lookup(values, ("hub", "config", "JupyterHub", "spawner_class"))
    for assignment in extra.assignments:
        if (assignment.section, assignment.trait) == ("JupyterHub", "spawner_class"):
            spawner = assignment.value
    if any(hook.endswith("JupyterHub.spawner_class") for hook, _, _ in extra.pod_hooks):
        return "a class `hub.extraConfig` code sets"
    if ("JupyterHub", "spawner_class") in extra.unread_targets:
        return None  # code that names KubeSpawner itself
    if not isinstance(spawner, str) or not spawner or is_unknowable(spawner):
        return None
    if spawner.replace(":", ".") in KUBESPAWNER_CLASSES:
        return None
    return f"`{spawner}`"


def _spawner_hint(spawner: str) -> str:
    return (
        f"advice: the hub spawns with {spawner}, which reads these KubeSpawner settings only if "
        "it is a KubeSpawner (a subclass of it); nblint cannot see which"
    )


def _older_pin_hint(release: Release) -> str:
    return (
        f"advice: written in the keys of z2jh {release.chart_version}, which nblint linted; the "
        "inputs pin an older release nblint does not know, whose keys may differ"
    )


#: The key that switches the chart's NetworkPolicy of the user pods on or off.
_NETWORK_POLICY_ENABLED = ("singleuser", "networkPolicy", "enabled")


def _network_policy_off(release: Release) -> str | None:
    """``file:line`` where a user file sets ``singleuser.networkPolicy.enabled: false`` (the
    value in force), else None: a hint that turns it back on says so (field test 14a)."""
    if lookup(release.values, _NETWORK_POLICY_ENABLED) is not False:
        return None
    if not release.written(_NETWORK_POLICY_ENABLED):
        return None
    origin = release.locate(_NETWORK_POLICY_ENABLED)
    return f"{origin.file.replace(chr(92), '/').rsplit('/', 1)[-1]}:{origin.line}"


def _uid_0_code(release: Release) -> str | None:
    """Where ``hub.extraConfig`` code nblint did not read sets a user to uid 0 (the first
    place), as ``file:line (hub.extraConfig.NAME: `text`)``; None (most releases: no code)."""
    found = release.extra_config.root_user
    if not found:
        return None
    snippet, line, text = found[0]
    origin = release.locate(("hub", "extraConfig", snippet, CodeLine(line)))
    return f"{origin.file}:{origin.line} (hub.extraConfig.{key_text(snippet)}: `{text}`)"


def _code_traits(release: Release) -> list[list[Any]]:
    """``[values path, where]`` of each values key whose trait ``hub.extraConfig`` code nblint
    did not apply sets or changes (``c.KubeSpawner.uid = 0`` under an ``if``): the code runs after
    the values, so when it runs it replaces what a fix writes there. ``where`` is the first such
    place, as ``file:line (hub.extraConfig.NAME: `text`)``. Empty for most releases."""
    found: dict[tuple[Any, ...], str] = {}
    for write in release.extra_config.unapplied:
        keys: list[tuple[Any, ...]] = [("hub", "config", write.section, write.trait)]
        if write.section == "KubeSpawner":
            # The chart sets `c.KubeSpawner` from these; the code's `c.KubeSpawner` beats a
            # `c.Spawner` of hub.config whatever the order.
            keys.append(("hub", "config", "Spawner", write.trait))
            keys.extend(("singleuser", *key) for trait, key in PASSTHROUGH if trait == write.trait)
        origin = release.locate(write.path)
        snippet = key_text(write.snippet)
        where = f"{origin.file}:{origin.line} (hub.extraConfig.{snippet}: `{write.text}`)"
        for key in keys:
            found.setdefault(key, where)
    return [[list(key), where] for key, where in found.items()]


def egress_to_metadata(values: Any) -> int | None:
    """The index of the first ``singleuser.networkPolicy.egress`` rule that lets a notebook reach
    the cloud metadata server's HTTP port (``singleuser.cloudMetadata.ip``, port 80), if any.

    The chart appends these rules to the singleuser NetworkPolicy's own
    (``_helpers-netpol.tpl``), and NetworkPolicy rules add up: one to ``0.0.0.0/0`` without the
    metadata IP in its ``except`` opens what ``egressAllowRules.cloudMetadataServer: false``
    keeps closed. Only what surely allows it counts: a rule with no ``to`` (every destination)
    or an ``ipBlock`` holding the IP, on every port or TCP 80 (a named port names a pod's)."""
    rules = lookup(values, ("singleuser", "networkPolicy", "egress"))
    ip = lookup(values, ("singleuser", "cloudMetadata", "ip"), "169.254.169.254")
    if not isinstance(rules, list) or not rules or not isinstance(ip, str):
        return None
    import ipaddress

    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    for index, rule in enumerate(rules):
        if isinstance(rule, dict) and _reaches_http(rule.get("ports")):
            peers = rule.get("to")
            if (
                peers is None
                or peers == []
                or (isinstance(peers, list) and any(_holds(peer, address) for peer in peers))
            ):
                return index
    return None


def _reaches_http(ports: Any) -> bool:
    """Whether an egress rule's ``ports`` let TCP port 80 through."""
    if ports is None or ports == []:
        return True
    if not isinstance(ports, list):
        return False
    for entry in ports:
        if not isinstance(entry, dict) or entry.get("protocol", "TCP") != "TCP":
            continue
        port, end = entry.get("port"), entry.get("endPort")
        if port is None:
            return True
        numbered = isinstance(port, int) and not isinstance(port, bool)
        if numbered and (port == 80 or (isinstance(end, int) and port <= 80 <= end)):
            return True
    return False


def _holds(peer: Any, address: Any) -> bool:
    """Whether an egress peer's ``ipBlock`` holds ``address`` (and no ``except`` of it does)."""
    import ipaddress

    block = peer.get("ipBlock") if isinstance(peer, dict) else None
    if not isinstance(block, dict) or not isinstance(block.get("cidr"), str):
        return False
    try:
        if address not in ipaddress.ip_network(block["cidr"], strict=False):
            return False
        excepted = block.get("except") or []
        if not isinstance(excepted, list):
            return False
        return not any(
            isinstance(cidr, str) and address in ipaddress.ip_network(cidr, strict=False)
            for cidr in excepted
        )
    except (ValueError, TypeError):
        return False


#: KubeSpawner traits through which code nblint does not read may give the pod volumes (code
#: that adds mounts or containers adds what nblint does not see, and so never judges).
_VOLUME_TRAITS = frozenset({"volumes", "extra_pod_config"})


def _volumes_unseen(release: Release) -> str | None:
    """What may give the user pod volumes nblint does not see, if anything: values below the
    user's that nblint did not read (an umbrella chart's own values.yaml), or ``hub.extraConfig``
    code it did not read that sets the pod's volumes (a hook that changes the pod is the fact
    ``pod_hooks``)."""
    if release.unseen:
        return release.unseen.rstrip(",")
    code = release.extra_config
    for section, trait in sorted(code.unread_targets):
        if trait in _VOLUME_TRAITS:
            return f"hub.extraConfig code that sets c.{section}.{trait}"
    # A statement nblint does not read may change a trait without assigning it
    # (`c.KubeSpawner.volumes.append(...)`): a snippet that names one is taken to.
    snippets = lookup(release.values, ("hub", "extraConfig"))
    for snippet in dict.fromkeys(name for name, _ in code.unread):
        text = snippets.get(snippet) if isinstance(snippets, dict) else None
        if isinstance(text, str) and any(re.search(rf"\b{t}\b", text) for t in _VOLUME_TRAITS):
            return f"hub.extraConfig snippet {snippet}"
    return None


#: Values keys whose entries become the user pod's volumes (each entry names its volume).
_VOLUME_KEYS: tuple[Path, ...] = (
    ("singleuser", "storage", "extraVolumes"),
    ("hub", "config", "KubeSpawner", "volumes"),
)


def _volumes_deleted(release: Release) -> dict[str, dict[str, Any]]:
    """``{volume name: where}`` of the volumes an earlier ``-f`` file writes that a later
    file's ``null`` deletes (``extraVolumes:`` left empty, ``hub.config:``): ``where`` is the
    null's place (``file``, ``line``, ``column``) and a ``note`` that says what it deletes, for
    a finding about the missing volume to be where the user edits."""
    deleted: dict[str, dict[str, Any]] = {}
    for key in _VOLUME_KEYS:
        found = release.deleted_by_null(key)
        if found is None:
            continue
        null, owner, files = found
        origin = release.locate(null)
        for layer_values in release.user_values()[:owner]:
            entries = lookup(layer_values, key)
            # (A map of named entries, z2jh 4.3+, names each volume in the entry all the same.)
            items = list(entries.values()) if isinstance(entries, dict) else entries
            for item in items if isinstance(items, list) else []:
                name = item.get("name") if isinstance(item, dict) else None
                if isinstance(name, str) and name:
                    deleted[name] = {
                        "file": origin.file,
                        "line": origin.line,
                        "column": origin.column,
                        "note": volume_null_note(null, key, name, files),
                        "key": format_path(key),
                    }
    return deleted


def _named_servers(values: Any) -> dict[str, Any]:
    """How many servers one user may have: the default one plus ``namedServerLimitPerUser``
    named ones (0 or null: unlimited) when ``allowNamedServers`` is on."""
    allowed = lookup(values, ("hub", "allowNamedServers")) is True
    limit = lookup(values, ("hub", "namedServerLimitPerUser"))
    limit = limit if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0 else 0
    path = ("hub", "namedServerLimitPerUser") if allowed and limit else ("hub", "allowNamedServers")
    return {"allowed": allowed, "limit": limit, "path": path}


def _hub_db_pvc(values: Any) -> dict[str, Any] | None:
    """The hub's own PVC (``hub-db-dir``) with the default sqlite-pvc database."""
    if lookup(values, ("hub", "db", "type")) != "sqlite-pvc":
        return None
    return {
        "name": "hub-db-dir",
        "storage": lookup(values, ("hub", "db", "pvc", "storage")),
        "storage_class": lookup(values, ("hub", "db", "pvc", "storageClassName")),
        "path": ("hub", "db", "pvc", "storage"),
    }


def _container(name: str, values: Any, path: tuple[str, ...]) -> dict[str, Any]:
    resources = lookup(values, path)
    return {
        "name": name,
        "resources": resources if isinstance(resources, dict) else {},
        "path": path,
    }


def chart_pods(values: Any) -> list[dict[str, Any]]:
    """The pods the chart itself runs in the release namespace, with what their containers
    ask for (each from its values key; the chart sets none by default): ``counted`` ones run
    beside the user servers all the time, the others come and go (one per node, or only while
    Helm installs)."""
    pods = [
        {
            "name": "hub",
            "replicas": 1,
            "counted": True,
            "containers": [_container("hub", values, ("hub", "resources"))],
        },
        {
            "name": "proxy",
            "replicas": 1,
            "counted": True,
            "containers": [_container("chp", values, ("proxy", "chp", "resources"))],
        },
    ]
    https = lookup(values, ("proxy", "https")) or {}
    if (
        isinstance(https, dict)
        and https.get("enabled") is True
        and https.get("type", "letsencrypt") == "letsencrypt"
        and https.get("hosts")
    ):
        pods.append(
            {
                "name": "autohttps",
                "replicas": 1,
                "counted": True,
                "containers": [
                    _container("traefik", values, ("proxy", "traefik", "resources")),
                    _container("secret-sync", values, ("proxy", "secretSync", "resources")),
                    {"name": "load-acme", "resources": {}, "path": ("proxy", "https")},
                ],
            }
        )
    if lookup(values, ("scheduling", "userScheduler", "enabled")) is True:
        replicas = lookup(values, ("scheduling", "userScheduler", "replicas"))
        pods.append(
            {
                "name": "user-scheduler",
                "replicas": replicas if isinstance(replicas, int) and replicas >= 0 else 1,
                "counted": True,
                "containers": [
                    _container(
                        "kube-scheduler", values, ("scheduling", "userScheduler", "resources")
                    )
                ],
            }
        )
    placeholders = lookup(values, ("scheduling", "userPlaceholder", "replicas"))
    if (
        lookup(values, ("scheduling", "userPlaceholder", "enabled")) is True
        and isinstance(placeholders, int)
        and placeholders > 0
    ):
        own = lookup(values, ("scheduling", "userPlaceholder", "resources"))
        pods.append(
            {
                "name": "user-placeholder",
                "replicas": placeholders,
                "counted": True,
                # Without resources of its own, a placeholder asks what a user server asks.
                "like_user_server": not own,
                "containers": [
                    _container("pause", values, ("scheduling", "userPlaceholder", "resources"))
                ],
            }
        )
    if lookup(values, ("prePuller", "continuous", "enabled")) is True:
        pods.append(
            {
                "name": "continuous-image-puller",
                "replicas": None,
                "counted": False,
                "containers": [_container("pause", values, ("prePuller", "resources"))],
            }
        )
    if lookup(values, ("prePuller", "hook", "enabled")) is True:
        pods.append(
            {
                "name": "hook-image-puller",
                "replicas": None,
                "counted": False,
                "containers": [_container("pause", values, ("prePuller", "resources"))],
            }
        )
        pods.append(
            {
                "name": "hook-image-awaiter",
                "replicas": 1,
                "counted": False,
                "containers": [
                    _container("hook-image-awaiter", values, ("prePuller", "hook", "resources"))
                ],
            }
        )
    return pods
