"""Can the notebook image honour the user the pod asks for? (``notebook-image-*`` rules)

Why Python: the answer joins the pod's effective security settings with the notebook-images
table (``rules/tables/notebook-images.yaml``), keyed by a glob on the normalised image name.

Aspects (``options: {aspect: …}``):

* ``root-image`` — ``runAsNonRoot: true``, no ``runAsUser``, and the image's user is root: the
  kubelet refuses to start it ("image will run as root"), after admission let it in.
* ``named-user`` — same, but the image names its user (``USER jovyan``): the kubelet cannot
  verify a name is non-root and refuses it too.
* ``needs-root`` — the image's start needs root (s6 init, user editing) but the pod runs it
  non-root; or it starts through a setuid-root helper and the container may not escalate.
* ``uid-mismatch`` — an explicit ``runAsUser`` other than the image's notebook user, on an image
  that only works for its own uid (or needs a group the pod does not add).
* ``unknown`` — the table does not know the image: nblint cannot tell, and says so.
* ``no-server`` — the container runs ``jupyterhub-singleuser`` and the table establishes the
  image has none, or it runs the image's own start, which the table says serves nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from nblint.check import images, podview
from nblint.check.targets import RawViolation, notebook_of
from nblint.model.names import invalid_reference
from nblint.model.pod import EffectivePod, Path
from nblint.model.unknowable import image_placeholder

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _security_path(spec: dict[str, Any], base: Path, container: dict[str, Any], key: str) -> Path:
    """Where ``key`` is set for the container: its own securityContext, else the pod's."""
    own = podview._dict(container.get("securityContext")).get(key)
    if own is not None or podview.security(spec, container, key) is None:
        return (*base, "securityContext", key)
    return ("spec", "securityContext", key)


def _notebook_image(pod: EffectivePod) -> tuple[Any, ...] | None:
    """What every aspect asks about the notebook container, worked out once per pod:
    ``(path, container, variables, image, table entry, runAsUser, runAsNonRoot is true, info)``."""
    memo = pod.memo
    if "notebook_image" not in memo:
        found = notebook_of(pod)
        if found is None:
            memo["notebook_image"] = None
        else:
            base, container, variables = found
            spec = pod.spec
            image = container.get("image")
            entry = images.lookup(image)
            run_as_user = podview.security(spec, container, "runAsUser")
            non_root = podview.security(spec, container, "runAsNonRoot") is True
            info = {**variables, "image": image, "value": image}
            if entry is not None:
                info.update(
                    uid=entry.get("uid"),
                    gid=entry.get("gid"),
                    user=entry.get("user"),
                    family=entry.get("family"),
                    home=entry.get("home"),
                )
            memo["notebook_image"] = (
                base,
                container,
                variables,
                image,
                entry,
                run_as_user,
                non_root,
                info,
            )
    return memo["notebook_image"]


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:

    found = _notebook_image(pod)
    if found is None:
        return
    # ``info`` is shared by the aspects' findings, which only read it.
    base, container, variables, image, entry, run_as_user, non_root, info = found
    aspect = impl.builtin_options.get("aspect")
    if aspect == "unknown":
        # A placeholder (`${image}`, `{{ .Values.image }}`, a tag `${TAG}`) is no image to look
        # up: the unrendered-template finding already says its checks are skipped.
        # A blank image is no image (container-image-missing), nothing to look up either.
        if (
            entry is None
            and isinstance(image, str)
            and image.strip()
            and not image_placeholder(image)
            and not invalid_reference(image)  # (invalid-image-reference's finding)
        ):
            family = images.versioned_family(image)
            if family is None:
                yield RawViolation((*base, "image"), "", variables["container"], variables=info)
                return
            # The table knows these images, by release: the tag decides, and this one names none.
            tag = images.parse_image(image).tag
            yield RawViolation(
                (*base, "image"),
                _UNVERSIONED,
                variables["container"],
                variables={**info, "family": family, "tag": tag or "(none: latest)"},
                fix={"any": _UNVERSIONED_FIX.format(family=family)},
            )
        return
    if entry is None:
        return
    spec = pod.spec
    image_path = (*base, "image")
    numeric = entry.get("user_numeric")
    relies_on_image_user = non_root and run_as_user is None
    if aspect == "root-image" and relies_on_image_user and numeric is None:
        yield _replace_image(RawViolation(image_path, "", variables["container"], variables=info))
    elif aspect == "named-user" and relies_on_image_user and numeric is False:
        where = _security_path(spec, base, container, "runAsNonRoot")
        yield RawViolation(where, "", variables["container"], variables=info)
    elif aspect == "needs-root" and not images.start_runs(container, entry):
        return  # the container runs a command of its own, not the image's start
    elif aspect == "needs-root" and entry.get("starts_as_root"):
        if non_root or (isinstance(run_as_user, int) and run_as_user != 0):
            yield _replace_image(
                RawViolation(image_path, "", variables["container"], variables=info)
            )
    elif aspect == "needs-root" and entry.get("start_needs_escalation"):
        # It starts as its own user, through a setuid-root helper: only no_new_privs stops it.
        context = podview._dict(container.get("securityContext"))
        if context.get("allowPrivilegeEscalation") is False:
            yield _replace_image(
                RawViolation(image_path, SETUID_START, variables["container"], variables=info)
            )
    elif aspect == "needs-root" and entry.get("start_sudo_env"):
        raw = _sudo_start_refused(base, container, variables, info)
        if raw is not None:
            yield raw
    elif aspect == "no-server":
        found = _serves_nothing(pod, container, entry)
        if found is not None:
            message, fix = found
            raw = RawViolation(image_path, message, variables["container"], variables=info)
            raw.fix, raw.fix_safety = {"any": fix}, "display-only"
            yield raw
    elif aspect == "uid-mismatch" and isinstance(run_as_user, int) and run_as_user != 0:
        uid = entry.get("uid")
        if uid is None or run_as_user == uid or not _needs_own_uid(spec, container, entry):
            return
        # An image whose own user is root is `notebook-image-needs-root`'s: pointing the pod at
        # uid 0 would only trade this finding for `run-as-user`.
        if uid == 0 or entry.get("starts_as_root"):
            return
        where = _security_path(spec, base, container, "runAsUser")
        yield RawViolation(
            where,
            "",
            variables["container"],
            variables={**info, "value": run_as_user, "read_only": _read_only(spec, container)},
        )


#: An image of a family the table tells apart by release, whose tag names none.
_UNVERSIONED = (
    "nblint cannot tell which user image {image} runs as: the notebook-images table knows "
    "{family} images by the release their tag names, and tag {tag} names none"
)
_UNVERSIONED_FIX = (
    "Name the image by its release tag (vX.Y.Z), which the table tells {family} images apart "
    "by; a moving tag such as latest also changes under the pod."
)


#: The finding of an image whose start runs a setuid-root helper (Kubeflow's images up to v1.8,
#: s6-overlay's preinit) in a container that may not escalate.
SETUID_START = (
    "image {image} starts through a setuid-root helper ({family}: s6-overlay's preinit), which "
    "allowPrivilegeEscalation: false on container {container} disables: it cannot start"
)

#: The start renames the user through sudo (code-server's DOCKER_USER), which the container's
#: own securityContext refuses.
SUDO_START = (
    "container {container} sets {variable}, with which image {image}'s start renames the user "
    "through sudo, which {refusal} {refuses}: the start fails and the container exits "
    "(CrashLoopBackOff)"
)
SUDO_START_FIX = (
    "Remove {variable} from container {container}'s env: {family} then runs as its own user "
    "{user}, which the restricted settings allow. Keeping {variable} needs privilege escalation "
    "and root's capabilities, which Pod Security Admission's restricted level refuses."
)


def _sudo_start_refused(
    base: Path, container: dict[str, Any], variables: dict[str, Any], info: dict[str, Any]
) -> Any:
    """The container sets the variable that makes its image's start run sudo (the table's
    ``start_sudo_env``) and refuses what sudo needs: ``allowPrivilegeEscalation: false``
    (no_new_privs: setuid sudo gets no root) or ``drop: [ALL]`` (no CAP_SETUID/CAP_SETGID to
    switch users with). At the variable, the line to edit; None otherwise."""
    found = podview.start_sudo_env(container)
    if found is None:
        return None
    variable = found[0]
    context = podview._dict(container.get("securityContext"))
    drops = podview.items(podview._dict(context.get("capabilities")).get("drop"))
    refusals = []
    if context.get("allowPrivilegeEscalation") is False:
        refusals.append("allowPrivilegeEscalation: false")
    if any(isinstance(cap, str) and cap.upper() == "ALL" for cap in drops):
        refusals.append("capabilities drop: [ALL]")
    if not refusals:
        return None
    index = next(
        i
        for i, item in enumerate(podview.items(container.get("env")))
        if isinstance(item, dict) and item.get("name") == variable
    )
    kept = {
        **info,
        "variable": variable,
        "refusal": " and ".join(refusals),
        "refuses": "refuse" if len(refusals) > 1 else "refuses",
    }
    raw = RawViolation(
        (*base, "env", index, "name"), SUDO_START, variables["container"], variables=kept
    )
    raw.fix = {
        "any": podview.comment(
            SUDO_START_FIX.format(
                variable=variable,
                container=variables["container"],
                family=info.get("family") or "the image",
                user=info.get("user") or "",
            )
        )
    }
    raw.fix_safety = "display-only"
    return raw


#: The container runs ``jupyterhub-singleuser`` (z2jh's ``singleuser.cmd``), which the table
#: establishes the image does not have.
NO_SINGLEUSER = (
    "image {image} ({family}) has no `jupyterhub-singleuser`, the command container {container} "
    "runs: the container exits at start and no notebook server comes up"
)
#: The container runs the image's own start, which the table says serves nothing.
NO_SERVER = (
    "image {image} ({family}) serves nothing when started as built (a shell, no server) and "
    "container {container} gives it no command: no notebook server comes up"
)


def _serves_nothing(
    pod: EffectivePod, container: dict[str, Any], entry: dict[str, Any]
) -> tuple[str, str] | None:
    """Why the notebook container of ``pod`` starts no notebook server, by its image's row:
    the command it runs (the first of its command, else of its args, which the image's
    entrypoint execs) is ``jupyterhub-singleuser`` and the row says the image lacks it; or it
    runs the image's own start and the row says that serves nothing, in a pod that a hub or a
    controller waits on to serve (z2jh's per-user pods, Kubeflow Notebooks). None when nblint
    cannot tell: a command of the container's own, a row that does not say."""
    command = container.get("command")
    args = container.get("args")
    first = command[0] if isinstance(command, list) and command else None
    if first is None and not command and isinstance(args, list) and args:
        first = args[0]

    def such_as() -> str:
        suggested = images.replacement(container.get("image"), entry)
        return f" (such as {suggested})" if suggested else ""

    if (
        isinstance(first, str)
        and first.rsplit("/", 1)[-1] == "jupyterhub-singleuser"
        and entry.get("jupyterhub_singleuser") is False
    ):
        return NO_SINGLEUSER, (
            f"Use a notebook image that has `jupyterhub-singleuser`{such_as()}, or build one "
            "FROM this image with `pip install jupyterhub jupyterlab`."
        )
    waited_on = pod.facts.get("per_user") or pod.facts.get("notebook_server")
    if not command and not args and entry.get("server") == "none" and waited_on:
        return NO_SERVER, (
            f"Use a notebook image that serves Jupyter{such_as()}, or give the container the "
            "command that starts the server."
        )
    return None


#: What an image that needs root gets when the table has nothing to suggest instead.
NO_REPLACEMENT = (
    "# nblint knows no notebook image that does the same job as its own user: build one that\n"
    "# starts as a non-root user (USER 1000), or pick one from rules/tables/notebook-images.yaml"
)


def _replace_image(raw: Any) -> Any:
    """``raw`` with the image to suggest instead, chosen by what the image is (its table row's
    ``replacement``), as ``{replacement}``, ``{replacement_name}`` and ``{replacement_tag}``;
    without one, or when the one nblint knows is another kind of image (another server, port or
    HOME: JupyterLab for RStudio Server), advice that ``nblint fix`` does not apply."""
    image = raw.variables.get("image")
    entry = images.lookup(image)
    suggested = images.replacement(image, entry) if entry is not None else None
    if suggested is None or entry is None:
        raw.fix = {"any": NO_REPLACEMENT}
        raw.fix_safety = "display-only"
        return raw
    if images.swap(image, entry) is None:
        vouched = images.lookup(suggested) or {}
        raw.fix = {"any": _other_kind_advice(suggested, entry, vouched)}
        raw.fix_safety = "display-only"
        return raw
    name, _, tag = suggested.rpartition(":")
    raw.variables = {
        **raw.variables,
        "replacement": suggested,
        "replacement_name": name,
        "replacement_tag": tag,
    }
    return raw


def _other_kind_advice(suggested: str, entry: dict[str, Any], vouched: dict[str, Any]) -> str:
    """The advice for an image whose only known replacement is another kind of image: swapping
    it in would leave the workload's ports, probes, Service and volumes on what no longer
    serves them (a liveness probe on 8787 kills a JupyterLab on 8888 forever)."""
    return podview.comment(
        f"{suggested} starts as its own user, but it is another kind of image: this one serves "
        f"{images.kind(entry)}, that one {images.kind(vouched)}. Switching to it means changing "
        "the container's ports, probes, the Service and the volumes too, so nblint does not "
        "apply it; or build an image of the same kind that starts as a non-root user "
        "(USER 1000)."
    )


#: Volume sources whose files the kubelet gives the pod's ``fsGroup`` (group-writable), where the
#: storage supports it: not NFS, hostPath or the shares that take ownership from mount options.
_FS_GROUP_SOURCES = frozenset(
    {
        *("persistentVolumeClaim", "ephemeral", "csi", "awsElasticBlockStore", "azureDisk"),
        *("gcePersistentDisk", "cinder", "iscsi", "rbd", "fc", "vsphereVolume"),
    }
)


def _read_only(spec: dict[str, Any], container: dict[str, Any]) -> str:
    """What another uid cannot write, for ``notebook-uid-mismatch``'s message: HOME too, unless
    HOME is a volume that uid can write (an emptyDir; one the pod's fsGroup makes
    group-writable, as OpenShift's restricted-v2 SCC assigns one)."""
    both = "HOME and package directories will be read-only"
    home = podview.home_directory(spec, container)
    found = podview.mount_at(spec, container, home) if isinstance(home, str) else None
    if found is None or found[1].get("readOnly") is True:
        return both
    volume = found[2]
    source = podview.source_of(volume)
    if source == "emptyDir":
        return f"package directories will be read-only (HOME, {home}, is an emptyDir: writable)"
    fs_group = podview._dict(spec.get("securityContext")).get("fsGroup")
    if source in _FS_GROUP_SOURCES and type(fs_group) is int:
        return (
            f"package directories will be read-only (HOME, {home}, is a volume that fsGroup "
            f"{fs_group} makes writable, where its storage honours fsGroup)"
        )
    return both


def _needs_own_uid(spec: dict[str, Any], container: dict[str, Any], entry: dict[str, Any]) -> bool:
    """Whether a uid other than the image's own leaves HOME and the package dirs read-only."""
    any_uid = str(entry.get("any_uid", "no"))
    if any_uid == "gid0":
        return podview.security(spec, container, "runAsGroup") not in (None, 0)
    if any_uid.startswith("group:"):
        group = int(any_uid.split(":", 1)[1])
        pod_security = podview._dict(spec.get("securityContext"))
        groups = [pod_security.get("fsGroup"), *(pod_security.get("supplementalGroups") or [])]
        return group not in groups and podview.security(spec, container, "runAsGroup") != group
    return any_uid == "no"
