"""Where the user's work lives (``notebook-home-*`` rules).

Why Python: the home directory comes from the image table or the container's env, and the
answer joins the mount at that path with its volume and the pod's groups.

Aspects (``options: {aspect: …}``):

* ``persistent`` — no volume, or an emptyDir, at HOME: work is lost at every restart; a hostPath
  of a pod not pinned to one node: work stays on whichever node wrote it.
* ``writable`` — a PersistentVolumeClaim at HOME without ``fsGroup``: a fresh volume is owned
  by root and the user gets "permission denied" in their own home.
* ``shared`` — the claim (and sub-path) at HOME is the same for every user: users read and
  overwrite each other's files. Only z2jh pods say who "every user" is (name templates).
* ``replicas`` — a workload runs several replicas of the pod and the claim at HOME is one the
  inputs write ReadWriteOnce (or ReadWriteOncePod): one node attaches it, and the replicas that
  start share one home. Said at ``replicas``; a claim the inputs do not write (or of another
  mode) is not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from nblint.check import images, podview
from nblint.check.targets import RawViolation, notebook_of
from nblint.model.pod import EffectivePod, Origin

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _home_mount(pod: EffectivePod) -> tuple[Any, ...] | None:
    """What every aspect asks, worked out once per pod: the notebook container, its HOME and the
    mount serving it, ``(path, container, variables, home, (mount index, mount, volume) | None,
    volume index | None)``; None when there is no notebook or its HOME is unknown."""
    memo = pod.memo
    if "home_mount" not in memo:
        found = notebook_of(pod)
        home = podview.notebook_home(pod)
        if found is None or home is None:
            memo["home_mount"] = None
        else:
            base, container, variables = found
            volumes = podview.volumes_by_name(pod.spec)
            mount = podview.mount_at(pod.spec, container, home, volumes)
            volume_index = None if mount is None else volumes[mount[1]["name"]][0]
            memo["home_mount"] = (base, container, variables, home, mount, volume_index)
    return memo["home_mount"]


_NODE_LOCAL = (
    "{home} of container {container} is hostPath {host_path}, a directory of one node: work "
    "outlives a restart on that node, but a server started on another node does not find it"
)
#: Node labels that name one node.
_HOSTNAME_LABELS = ("kubernetes.io/hostname",)


def _free_name(spec: dict[str, Any]) -> str:
    """A name for a new home volume that no volume of ``spec`` has."""
    taken = set(podview.volumes_by_name(spec))
    return next(
        name
        for name in ("home", "workspace", *(f"home-{n}" for n in range(2, len(taken) + 3)))
        if name not in taken
    )


def _one_node(spec: dict[str, Any]) -> bool:
    """Whether the pod can only run on one node (``nodeName``, a hostname ``nodeSelector``)."""
    if spec.get("nodeName"):
        return True
    selector = podview._dict(spec.get("nodeSelector"))
    return any(isinstance(selector.get(label), str) for label in _HOSTNAME_LABELS)


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:

    found = _home_mount(pod)
    if found is None:
        if impl.builtin_options.get("aspect") == "writable":
            yield from _claims_of_unknown_home(pod)
        return
    base, _container, variables, home, mount, volume_index = found
    aspect = impl.builtin_options.get("aspect")
    if aspect == "writable":
        yield from _unwritable(pod, found)
        return
    # Each aspect is asked of every pod and finds little: its variables are made when it does.
    if mount is None:
        if aspect == "persistent":
            # The hint adds a volume: under a name no volume of the pod has (merged into one
            # that exists, it would re-point that volume, and every mount of it, at the claim).
            info = {**variables, "home": home, "value": home, "home_volume": _free_name(pod.spec)}
            message, kept = _what_is_lost(pod, _container, home)
            in_image = pod.facts.get("home_in_image")
            chart_home = pod.facts.get("chart_home_mount")
            # The rule's hint (a volume at HOME), unless one of these is the only true advice:
            fix = safety = severity = None
            if in_image:
                # HOME holds what the image brings (BinderHub's repository): a volume there would
                # hide it, so the hint is advice, never applied. Such servers are ephemeral by
                # the chart's design: a note, not a warning (field test 11a, D8).
                fix, safety = {"any": home_in_image_advice(in_image, home)}, "display-only"
                severity = "info"
            elif pod.facts.get("home_mount_replaced_by"):
                # z2jh mounts its home volume, but extra_container_config's volumeMounts replace
                # the list that held that mount: the chart's storage settings are not what to
                # change (the rule's hint would change nothing).
                fix = {"any": _replaced_mounts_advice(pod.facts["home_mount_replaced_by"])}
                safety = "display-only"
            elif chart_home:
                # z2jh's home volume is mounted, only elsewhere: the one hint that keeps the
                # user's files moves that mount (``move-home-volume``), and it moves those files
                # too (what was in ~/work is then in ~), so it is advice, never applied.
                fix, safety = impl.builtin_options.get("move-home-volume"), "display-only"
                kept = {**kept, "chart_home": chart_home}
            yield RawViolation(
                (*base, "volumeMounts"),
                message,
                variables["container"],
                variables={**info, **kept},
                fix=fix,
                fix_safety=safety,
                severity=severity,
            )
        return
    index, volume_mount, volume = mount
    source = podview.source_of(volume)
    # A fix of the persistent aspect is the rule's hint for a volume at HOME that needs another
    # source (``replace-source``, see its rule file).
    if aspect == "persistent" and source == "hostPath":
        # A directory of the node: it outlives restarts, but only on that node.
        if not _one_node(pod.spec):
            path = podview._dict(volume.get("hostPath")).get("path")
            yield RawViolation(
                ("spec", "volumes", volume_index),
                _NODE_LOCAL,
                variables["container"],
                fix=impl.builtin_options.get("replace-source"),
                # The node's directory holds the users' files: a claim in its place starts
                # empty, so moving them is the user's to do first; the hint is advice.
                fix_safety="display-only",
                variables={
                    **_info(variables, home, volume_mount, source),
                    "host_path": path if isinstance(path, str) else "(unset)",
                },
            )
    elif aspect == "persistent" and source not in podview.PERSISTENT_SOURCES:
        message, kept = _what_is_lost(pod, _container, home)
        yield RawViolation(
            ("spec", "volumes", volume_index),
            message,
            variables["container"],
            fix=impl.builtin_options.get("replace-source"),
            variables={**_info(variables, home, volume_mount, source), **kept},
        )
    elif aspect == "replicas" and source == "persistentVolumeClaim":
        yield from _replicas_share(pod, variables, home, volume_mount, volume, source)
    elif aspect == "shared" and source == "persistentVolumeClaim" and pod.facts.get("per_user"):
        claim = podview._dict(volume.get("persistentVolumeClaim")).get("claimName")
        if not podview.per_user(claim) and not podview.per_user(volume_mount.get("subPath")):
            yield RawViolation(
                (*base, "volumeMounts", index),
                "",
                variables["container"],
                variables={**_info(variables, home, volume_mount, source), "claim": claim},
            )


#: Access modes that attach a volume to one node (ReadWriteOncePod: to one pod).
_ONE_NODE_MODES = frozenset({"ReadWriteOnce", "ReadWriteOncePod"})
_REPLICAS_HINT = (
    "spec:\n  replicas: 1   # one server per home claim; a server each: a StatefulSet whose "
    "volumeClaimTemplates gives every replica its own home"
)


def _replicas_share(
    pod: EffectivePod,
    variables: dict[str, str],
    home: str,
    volume_mount: dict[str, Any],
    volume: dict[str, Any],
    source: str,
) -> Iterator[Any]:
    """The ``replicas`` aspect: more than one replica mounts one ReadWriteOnce claim at HOME."""
    replicas, where = pod.facts.get("replicas"), pod.facts.get("replicas_origin")
    if not isinstance(replicas, int) or replicas < 2 or not isinstance(where, (list, tuple)):
        return
    claim = podview._dict(volume.get("persistentVolumeClaim")).get("claimName")
    if not isinstance(claim, str):
        return
    written = pod.claims.written.get(claim) if pod.claims is not None else None
    if written is None or written.access_modes is None or written.modes_at is None:
        return  # a claim the inputs do not write: its mode is not known here
    if not set(written.access_modes) <= _ONE_NODE_MODES:
        return
    yield RawViolation(
        ("spec", "volumes"),
        "",
        variables["container"],
        variables={
            **_info(variables, home, volume_mount, source),
            "claim": claim,
            "replicas": replicas,
            "modes": ", ".join(written.access_modes),
            "modes_at": f"{written.modes_at[0]}:{written.modes_at[1]}",
        },
        origin=Origin(*where),
        fix={"any": _REPLICAS_HINT},
        fix_safety="display-only",
        object_hint=True,
    )


def _replaced_mounts_advice(key: str) -> str:
    """The hint when ``key`` (``…extra_container_config.volumeMounts``) replaced the mounts
    KubeSpawner builds, the home volume's with them."""
    return (
        f"# `{key}`\n"
        "# replaces the notebook's volumeMounts, the home volume's mount with them: drop it (and\n"
        "# any `volumes` of extra_pod_config, which replace the home volume) and list those\n"
        "# mounts and volumes where KubeSpawner adds them beside the home volume\n"
        "singleuser:\n"
        "  storage:\n"
        "    extraVolumeMounts: []   # the mounts from extra_container_config\n"
        "    extraVolumes: []        # their volumes"
    )


def _claims_to_regroup(pod: EffectivePod, container: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """``(volume, mount path)`` of each claim ``container`` mounts read-write that the kubelet
    would give to an ``fsGroup`` and nothing makes the user's first (an init container's
    chown): where a user who is not root cannot write without one."""
    volumes = podview.volumes_by_name(pod.spec)
    for _, mount in podview.mounts(container):
        name = mount.get("name")
        if mount.get("readOnly") is True or not isinstance(name, str) or name not in volumes:
            continue
        volume = volumes[name][1]
        if podview.source_of(volume) != "persistentVolumeClaim":
            continue
        claim = podview._dict(volume.get("persistentVolumeClaim")).get("claimName")
        stored = pod.claims.volume_of(claim) if pod.claims else None
        if stored is not None and _fs_group_ignored(stored.source_key):
            continue  # fsGroup changes nothing there; its owner on the node or server decides
        if _owner_changed_first(pod.spec, name):
            continue
        yield name, podview.normal_path(mount["mountPath"])


def _unwritable(pod: EffectivePod, found: tuple[Any, ...]) -> Iterator[Any]:
    """The ``writable`` aspect: a claim at HOME, else claims below it where the user works
    (docker-stacks' ~/work), that the pod gives to no group (no ``fsGroup``): a fresh volume's
    root directory is root's, and the user gets "permission denied" there. One finding: one
    ``fsGroup`` fixes them all."""
    fs_group = podview._dict(pod.spec.get("securityContext")).get("fsGroup")
    _base, container, variables, home, mount, volume_index = found
    if mount is not None and podview.source_of(mount[2]) == "persistentVolumeClaim":
        _index, volume_mount, volume = mount
        if fs_group is None and _owner_changed_first(pod.spec, volume.get("name")):
            return  # an init container makes it the user's before the notebook starts
        if fs_group is None and _home_chowned_at_start(pod.spec, container, home):
            return  # the image's root start makes it the user's (linuxserver's init, CHOWN_HOME)
        if (
            fs_group is None
            and podview.runs_as_root(pod.spec, container)
            and not podview.works_as_non_root(pod.spec, container)
        ):
            # Root itself works there (its own command replaces the start that would hand over
            # to the image's user): root writes a root-owned claim (run-as-user says it is root).
            return
        claim = podview._dict(volume.get("persistentVolumeClaim")).get("claimName")
        stored = pod.claims.volume_of(claim) if pod.claims else None
        if stored is not None and _fs_group_ignored(stored.source_key):
            # The kubelet never regroups this kind of volume: fsGroup cannot be the fix (nor
            # is one the pod sets, as every Kubeflow Notebook does, doing anything there), and
            # who may write there is up to the node or the server, which nblint cannot see.
            # Said as a note; the advice is never applied.
            yield _unmanaged_home(
                variables, home, volume_mount, volume_index, claim, stored, fs_group
            )
            return
        if fs_group is None:
            yield RawViolation(
                # The missing field itself: where a dialect knows what removed it (a values
                # `fsGid: null` deleting the chart default), that is the line.
                ("spec", "securityContext", "fsGroup"),
                "",
                variables["container"],
                variables=_info(variables, home, volume_mount, "persistentVolumeClaim"),
            )
        return
    if fs_group is not None:
        return
    # Below HOME, only where nblint knows the user who works is not root (root writes a
    # root-owned directory): a claim the kubelet would give to fsGroup, written to by the user.
    if not podview.works_as_non_root(pod.spec, container):
        return
    below = podview.normal_path(home).rstrip("/") + "/"
    unwritable = []
    for name, path in _claims_to_regroup(pod, container):
        if not path.startswith(below):
            continue
        if _home_chowned_at_start(pod.spec, container, path):
            continue
        unwritable.append((name, path))
    if unwritable:
        yield RawViolation(
            ("spec", "securityContext"),
            _BELOW_UNWRITABLE,
            variables["container"],
            variables={
                **variables,
                "home": home,
                "value": home,
                "volume": unwritable[0][0],
                "mounts": " and ".join(f"volume {name} at {path}" for name, path in unwritable),
                "are": "is a claim" if len(unwritable) == 1 else "are claims",
            },
        )


#: A claim at the working directory of a non-root container whose image nblint does not know.
_WORKDIR_UNWRITABLE = (
    "volume {volume} is mounted at {work_dir}, the working directory of container {container}, but "
    "the pod sets no fsGroup: a fresh claim's directory is root's, and the user, who is not "
    'root, gets "permission denied" there'
)
#: Claims of a non-root container whose image (and so HOME) nblint does not know.
_UNKNOWN_HOME = (
    "nblint does not know the HOME of image {image}: if the user works in {mounts}, a fresh "
    "claim's directory is root's and the user, who is not root, gets \"permission denied\" "
    "there without the pod's fsGroup"
)


def _claims_of_unknown_home(pod: EffectivePod) -> Iterator[Any]:
    """The ``writable`` aspect where the notebook's HOME is unknown (an image the table does not
    know, no HOME in its env; field test 19b D4): who owns a fresh claim's directory is the
    volume's doing, not the image's, so a container known to run as a non-root uid cannot
    write one the pod gives to no group. At its working directory that is where the user works:
    the rule's finding. Elsewhere nblint cannot tell whether the user works there: a note."""
    spec = pod.spec
    if podview._dict(spec.get("securityContext")).get("fsGroup") is not None:
        return
    found = notebook_of(pod)
    if found is None:
        return
    _base, container, variables = found
    if images.lookup(container.get("image")) is not None:
        return  # a known image without a user's HOME (an app server): nothing to judge
    if not podview.works_as_non_root(spec, container):
        return
    working = container.get("workingDir")
    working = podview.normal_path(working) if isinstance(working, str) and working else None
    at_work, elsewhere = None, []
    for name, path in _claims_to_regroup(pod, container):
        if path == working:
            at_work = (name, path)
        else:
            elsewhere.append((name, path))
    where = ("spec", "securityContext", "fsGroup")
    if at_work is not None:
        yield RawViolation(
            where,
            _WORKDIR_UNWRITABLE,
            variables["container"],
            variables={
                **variables,
                "volume": at_work[0],
                "work_dir": at_work[1],
                "value": at_work[1],
            },
        )
    elif elsewhere:
        yield RawViolation(
            where,
            _UNKNOWN_HOME,
            variables["container"],
            variables={
                **variables,
                "image": str(container.get("image")),
                "volume": elsewhere[0][0],
                "value": elsewhere[0][1],
                "mounts": " or ".join(f"volume {name} at {path}" for name, path in elsewhere),
            },
            severity="info",
            fix_safety="display-only",
        )


#: A claim below HOME that the pod gives to no group (docker-stacks' ~/work).
_BELOW_UNWRITABLE = (
    "{mounts} {are} mounted in the home {home} of container {container}, but the pod "
    "sets no fsGroup: a fresh claim's directory is root's, and the user, who is not root, gets "
    '"permission denied" there'
)

#: The table of volume sources the kubelet never gives to the pod's fsGroup.
_OWNERSHIP_TABLE = ("volume-ownership", "sources")

_UNMANAGED_HOME = (
    "volume {volume} at {home} is claim {claim}, bound to PersistentVolume {persistent_volume} "
    "({pv_source}{pv_where}): the kubelet applies the pod's fsGroup to no {pv_source} volume, so "
    "{fs_group_effect}; whether the user can write there depends on who owns "
    "that directory, which nblint cannot see"
)
_UNMANAGED_ADVICE = (
    "fsGroup does not help on a {pv_source} volume. Make the directory{pv_where} writable for "
    "the notebook user (uid 1000, gid 100 in the Jupyter images) where it lives: chown it on "
    "the {place}; or, for a docker-stacks image started as root, set CHOWN_HOME=yes (start.sh "
    "then chowns HOME before it drops to the user)."
)


def _home_chowned_at_start(spec: dict[str, Any], container: dict[str, Any], path: str) -> bool:
    """Whether the container starts its image as root and the image's start gives the directory
    ``path`` (a mount's) to its user before it drops to them (the table's
    ``home_chowned_at_start``): a fresh claim there is the user's without fsGroup. linuxserver's
    init chowns /config (HOME) always; docker-stacks' start.sh, HOME when ``CHOWN_HOME`` is 1 or
    yes (every directory below it too with ``CHOWN_HOME_OPTS=-R``: chown -R crosses mounts) and
    the paths ``CHOWN_EXTRA`` lists. Never where the container drops CAP_CHOWN: root's chown of
    root's directory then fails."""
    entry = images.lookup(container.get("image"))
    chowned = podview._dict(entry.get("home_chowned_at_start")) if entry else {}
    if (
        entry is None
        or not chowned
        or not podview.runs_as_root(spec, container)
        or _chown_dropped(container)
    ):
        return False
    home = podview.home_directory(spec, container)
    if not isinstance(home, str):
        return False
    path, home = podview.normal_path(path), podview.normal_path(home)
    variable = chowned.get("when_env")
    if not isinstance(variable, str):
        return images.start_runs(container, entry) and path == home
    if not podview.nb_user_start_runs(container, entry):
        return False

    def env(container: dict[str, Any], name: Any) -> Any:
        return podview.env_value(container, name) if isinstance(name, str) else None

    values = podview.items(chowned.get("values"))
    if env(container, variable) in values and (
        path == home
        or (_recursive(env(container, chowned.get("options_env"))) and _inside(path, home))
    ):
        return True
    extra = env(container, chowned.get("extra_env"))
    if not isinstance(extra, str):
        return False
    recursive = _recursive(env(container, chowned.get("extra_options_env")))
    for word in extra.replace(",", " ").split():
        named = podview.normal_path(word) if word.startswith("/") else None
        if named is not None and (path == named or (recursive and _inside(path, named))):
            return True
    return False


def _recursive(options: Any) -> bool:
    """Whether chown options (``CHOWN_HOME_OPTS``) make it recursive (``-R``)."""
    if not isinstance(options, str):
        return False
    return any(
        word == "--recursive"
        or (word.startswith("-") and not word.startswith("--") and "R" in word)
        for word in options.split()
    )


def _chown_dropped(container: dict[str, Any]) -> bool:
    """Whether the container drops CAP_CHOWN (``drop: [ALL]`` or it, not added back)."""
    capabilities = podview._dict(
        podview._dict(container.get("securityContext")).get("capabilities")
    )
    chown = {"CHOWN", "CAP_CHOWN"}
    drop = {str(name) for name in podview.items(capabilities.get("drop"))}
    add = {str(name) for name in podview.items(capabilities.get("add"))}
    return bool(("ALL" in drop or drop & chown) and not add & chown)


def _owner_changed_first(spec: dict[str, Any], volume_name: Any) -> bool:
    """Whether an init container that mounts volume ``volume_name`` changes who owns or may
    write its files as root first (``chown -R 1000:100 /home/jovyan``, field test 8): the home
    is writable for the user before the notebook starts."""
    for init in podview.items(spec.get("initContainers")):
        if not isinstance(init, dict):
            continue
        mounts = podview.items(init.get("volumeMounts"))
        mounted = any(isinstance(m, dict) and m.get("name") == volume_name for m in mounts)
        if mounted and podview.root_work(spec, init):
            return True
    return False


def _fs_group_ignored(source_key: str) -> bool:
    from nblint.check import tables

    return any(entry.get("source") == source_key for entry in tables.entries(*_OWNERSHIP_TABLE))


def _unmanaged_home(
    variables: dict[str, str],
    home: str,
    volume_mount: dict[str, Any],
    volume_index: int,
    claim: Any,
    stored: Any,
    fs_group: Any = None,
) -> RawViolation:
    where = stored.source.get("path")
    server = stored.source.get("server")
    if isinstance(where, str) and isinstance(server, str) and server:
        where = f"{server}:{where}"  # an nfs export
    pv_where = f" {where}" if isinstance(where, str) and where else ""
    place = "node" if stored.source_key == "hostPath" else "server"
    info = {
        **_info(variables, home, volume_mount, "persistentVolumeClaim"),
        "claim": claim,
        "persistent_volume": stored.name,
        "pv_source": stored.source_key,
        "pv_where": pv_where,
        "fs_group_effect": _fs_group_effect(fs_group),
    }
    return RawViolation(
        ("spec", "volumes", volume_index),
        _UNMANAGED_HOME,
        variables["container"],
        variables=info,
        severity="info",
        fix={
            "any": podview.comment(
                _UNMANAGED_ADVICE.format(
                    pv_source=stored.source_key, pv_where=pv_where, place=place
                )
            )
        },
        fix_safety="display-only",
    )


def _fs_group_effect(fs_group: Any) -> str:
    """What the pod's fsGroup (None: unset) does on a volume the kubelet never regroups."""
    if fs_group is None:
        return "fsGroup cannot make it writable"
    if type(fs_group) is int:
        return f"the pod's fsGroup: {fs_group} has no effect on it"
    return "the pod's fsGroup has no effect on it"


#: With the server's root directory on a persistent volume: the notebooks are kept, HOME is not.
_ROOT_KEPT = (
    "nothing persistent is mounted at {home}: the notebooks persist in {root_dir} (the server's "
    "root directory, on volume {root_volume}), but the rest of {home} — dotfiles, `pip install "
    "--user` packages, Jupyter settings — is lost at every restart of container {container}"
)
#: With persistent volumes below HOME only (docker-stacks' /home/jovyan/work): what is saved in
#: them is kept, the rest of HOME is not.
_BELOW_KEPT = (
    "nothing persistent is mounted at {home}, only at {kept}: what is saved there persists, but "
    "notebooks saved elsewhere in {home}, dotfiles, `pip install --user` packages and Jupyter "
    "settings are lost at every restart of container {container}"
)
#: With persistent volumes below the server's root directory, outside HOME (TensorFlow's
#: /tf/work under /tf): what is saved there is kept; the rest of the root directory and HOME
#: are not.
_BELOW_ROOT_KEPT = (
    "nothing persistent is mounted at {home} or at {root_dir} (the server's root directory), "
    "only at {kept}: notebooks saved there persist, but those saved elsewhere in {root_dir}, "
    "and HOME's dotfiles, `pip install --user` packages and Jupyter settings, are lost at every "
    "restart of container {container}"
)
#: The command-line settings of the Jupyter server's root directory (jupyter_server's and the
#: classic notebook's names, and their common alias).
_ROOT_FLAGS = (
    "--ServerApp.root_dir",
    "--ServerApp.notebook_dir",
    "--NotebookApp.notebook_dir",
    "--notebook-dir",
)


def _what_is_lost(pod: EffectivePod, container: Any, home: str) -> tuple[str, dict[str, Any]]:
    """The message of a HOME that nothing persistent is mounted at ("" : the rule's own, all of
    the user's work is lost), and its variables. The notebooks are kept when the server's root
    directory is on a persistent volume, and what is saved below HOME on one."""
    root = _server_root(pod, container, home)
    if root is not None:
        served = podview.mount_at(pod.spec, container, root)
        if served is not None and podview.source_of(served[2]) in podview.PERSISTENT_SOURCES:
            return _ROOT_KEPT, {"root_dir": root, "root_volume": served[1]["name"]}
    kept = _persistent_below(pod, container, home)
    if kept:
        return _BELOW_KEPT, {"kept": ", ".join(kept)}
    if root is not None and not _inside(root, home):
        # The server serves a directory outside HOME (TensorFlow's /tf): what is saved in a
        # persistent volume below it is kept too.
        kept = _persistent_below(pod, container, root)
        if kept:
            return _BELOW_ROOT_KEPT, {"kept": ", ".join(kept), "root_dir": root}
    return "", {}


def _inside(path: str, directory: str) -> bool:
    path, directory = podview.normal_path(path), podview.normal_path(directory).rstrip("/")
    return path == directory or path.startswith(directory + "/")


def _persistent_below(pod: EffectivePod, container: Any, directory: str) -> list[str]:
    """The mount paths below ``directory`` of the container's persistent volumes."""
    below = podview.normal_path(directory).rstrip("/") + "/"
    volumes = podview.volumes_by_name(pod.spec)
    return [
        podview.normal_path(mount["mountPath"])
        for _, mount in podview.mounts(container)
        if podview.normal_path(mount["mountPath"]).startswith(below)
        and isinstance(mount.get("name"), str)
        and mount["name"] in volumes
        and podview.source_of(volumes[mount["name"]][1]) in podview.PERSISTENT_SOURCES
    ]


def _server_root(pod: EffectivePod, container: Any, home: str) -> str | None:
    """The Jupyter server's root directory, where the container says it: a root-directory flag
    in its command, its args or docker-stacks' ``NOTEBOOK_ARGS`` (the last one wins, as on a
    command line; docker-stacks puts ``NOTEBOOK_ARGS`` first), else JupyterHub's
    ``JUPYTERHUB_ROOT_DIR`` (z2jh's ``notebook_dir``), else the working directory the server
    starts in; None when none says it."""
    words: list[str] = []
    for text in (
        podview.env_value(container, "NOTEBOOK_ARGS"),
        *podview.items(container.get("command")),
        *podview.items(container.get("args")),
    ):
        if isinstance(text, str):
            words += _split(text)
    found: str | None = None
    for index, word in enumerate(words):
        flag, equals, value = word.partition("=")
        if flag not in _ROOT_FLAGS:
            continue
        if not equals:
            value = words[index + 1] if index + 1 < len(words) else ""
        found = value
    if found is None and not container.get("command") and not container.get("args"):
        # The image's own start runs, with the root directory its table row says it gives.
        entry = images.lookup(container.get("image"))
        root_dir = (entry or {}).get("root_dir")
        if isinstance(root_dir, str) and root_dir:
            found = root_dir
    if found is None:
        for candidate in (
            podview.env_value(container, "JUPYTERHUB_ROOT_DIR"),
            pod.facts.get("notebook_dir"),
            container.get("workingDir"),
        ):
            if isinstance(candidate, str) and candidate:
                found = candidate
                break
    if found is None:
        return None
    # traitlets takes a value in matching quotes without them, and expands ``~``.
    if len(found) >= 2 and found[0] == found[-1] and found[0] in "'\"":
        found = found[1:-1]
    if found == "~" or found.startswith("~/"):
        found = home + found[1:]
    return podview.normal_path(found) if found.startswith("/") else None


def _split(text: str) -> list[str]:
    """The words of ``text`` as a shell reads them (a ``sh -c`` script, ``NOTEBOOK_ARGS``); one
    word when it has no space or the shell could not read it."""
    if " " not in text and "\t" not in text:
        return [text]
    import shlex

    try:
        return shlex.split(text)
    except ValueError:
        return [text]


def home_in_image_advice(why: str, home: str) -> str:
    """The hint for a pod whose image keeps the user's content in HOME (``home_in_image``)."""
    return podview.comment(
        f"{why}: a volume mounted at {home} would hide it. Keep what must outlive the server in "
        f"a volume mounted below {home} (singleuser.storage.extraVolumeMounts), or take these "
        "servers as ephemeral."
    )


def _info(
    variables: dict[str, str], home: str, volume_mount: dict[str, Any], source: str | None
) -> dict[str, Any]:
    """The variables of a finding about the volume mounted at HOME (``source``: its type)."""
    return {
        **variables,
        "home": home,
        "value": home,
        "volume": volume_mount["name"],
        "source": source or "",
        # A source-less volume is an emptyDir (API defaulting): deleting that changes nothing.
        "old_source": source or "emptyDir",
    }
