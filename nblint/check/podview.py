"""Questions rules ask about an effective pod that plain field lookups cannot answer.

The effective security settings of a container (its own, else the pod's), where its home is,
and which of its paths are writable through a volume mount.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache

from nblint.check import images, tables
from nblint.check.targets import notebook_of
from nblint.model.edit import Edit, parsed_hint
from nblint.model.pod import EffectivePod
from nblint.model.unknowable import pod_unknowable, unknowable_value
from nblint.model.wrap import wrap

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any

#: Volume sources the kubelet always mounts read-only.
READ_ONLY_SOURCES = ("configMap", "secret", "downwardAPI", "projected", "image")
#: Volume sources whose data survives a pod restart.
PERSISTENT_SOURCES = (
    *("persistentVolumeClaim", "nfs", "csi", "cephfs", "glusterfs", "iscsi", "rbd"),
    # In-tree disks and shares a volume may name directly (deprecated, still read).
    *("awsElasticBlockStore", "gcePersistentDisk", "azureDisk", "azureFile", "cinder", "fc"),
    *("vsphereVolume", "portworxVolume", "photonPersistentDisk", "quobyte", "scaleIO"),
    *("storageos", "flocker"),
)
#: Placeholders KubeSpawner expands per user in claim names and sub-paths.
PER_USER_PLACEHOLDERS = (
    "{username}",
    "{escaped_username}",
    "{unescaped_username}",
    "{user_server}",
    "{userid}",
)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def items(value: Any) -> list[Any]:
    """``value`` when it is a list, else nothing: a field of the wrong type (`env: 5`) is the
    `wrong-field-type` rule's finding, and every other check reads it as absent."""
    return value if isinstance(value, list) else []


def security(spec: dict[str, Any], container: dict[str, Any], key: str) -> Any:
    """The container's ``securityContext.<key>``, else the pod's (the kubelet's precedence)."""
    # Asked several times of every container of every pod: no helper calls.
    context = container.get("securityContext")
    if isinstance(context, dict):
        own = context.get(key)
        if own is not None:
            return own
    context = spec.get("securityContext")
    return context.get(key) if isinstance(context, dict) else None


def env_value(container: dict[str, Any], name: str) -> str | None:
    """The text the container's env gives ``name``; None when unset or not text (an unquoted
    `yes` or 8888 is wrong-field-type's: the API server refuses the object)."""
    for item in items(container.get("env")):
        if isinstance(item, dict) and item.get("name") == name:
            value = item.get("value")
            return value if isinstance(value, str) else None
    return None


#: Image families whose start script, started as root with ``NB_USER``, moves the user's home
#: to /home/$NB_USER (docker-stacks' start.sh, and b-data's, which follows it).
_NB_USER_HOMES = ("jupyter-docker-stacks", "b-data")


def home_directory(spec: dict[str, Any], container: dict[str, Any]) -> str | None:
    """HOME of the container: its env, else what the image table knows, else None. Where the
    platform mounts a home volume (z2jh's ``homeMountPath``) does not move HOME: a volume below
    or beside it leaves HOME on the image's filesystem. An image whose HOME comes from its
    /etc/passwd gives another uid that uid's entry (often none, so HOME is /): its table HOME
    holds only for its own uid."""
    home = env_value(container, "HOME")
    if isinstance(home, str) and home.startswith("/"):
        return home
    entry = images.lookup(container.get("image"))
    if not entry or not isinstance(entry.get("home"), str):
        return None
    user = env_value(container, "NB_USER")
    if (
        entry.get("family") in _NB_USER_HOMES
        and isinstance(user, str)
        and user
        and "/" not in user
        and security(spec, container, "runAsUser") == 0
    ):
        # Started as root, start.sh renames the user and gives it /home/$NB_USER as HOME.
        return f"/home/{user}"
    if entry.get("home_from") == "passwd":
        run_as_user = security(spec, container, "runAsUser")
        if type(run_as_user) is int and run_as_user != entry.get("uid"):
            return None
    return str(entry["home"])


def notebook_home(pod: EffectivePod) -> str | None:
    """:func:`home_directory` of the pod's notebook container, worked out once per pod."""
    memo = pod.memo
    if "notebook_home" not in memo:
        found = notebook_of(pod)
        memo["notebook_home"] = None if found is None else home_directory(pod.spec, found[1])
    home: str | None = memo["notebook_home"]
    return home


#: What a fix hint takes for the notebook user, group and HOME of an image the notebook-images
#: table does not vouch for: the jupyter docker-stacks' numbers (1000:100, /home/jovyan), said in
#: the hint as an assumption (see :func:`user_identity`), never as the image's. The uid and gid
#: are said to be any non-root uid and any group, for the notebook as for a sidecar or init
#: container: nblint knows nothing of the image that makes them the docker-stacks' (field test 11b
#: D4: one pod securityContext said "any non-root uid" beside "the jupyter docker-stacks group");
#: every hint that writes them into one securityContext explains them alike.
ASSUMED_UID = 1000
ASSUMED_GID = 100
ASSUMED_HOME = "/home/jovyan"
ASSUMED_USER_NOTE = "assumed: any non-root uid; check that this container's image runs as it"
ASSUMED_GROUP_NOTE = "assumed: any group; check that this container's image runs as it"
#: Where no group is known for a volume: fsGroup is added to every container's groups, so any
#: group serves (no image need run as it).
ASSUMED_FS_GROUP_NOTE = "any group: the kubelet adds it to every container's groups"
ASSUMED_HOME_NOTE = "   # assumed: the jupyter docker-stacks HOME; check your image"
#: The uid note of an image whose start needs root and that no image of the same kind can
#: replace (rocker/rstudio): no uid makes it start, so a hint that sets one is advice.
ROOT_START_NOTE = (
    "this image starts as root and fails as any other uid: use an image that starts as its user"
)
#: The uid note of an image that runs as root for want of a USER (pytorch/pytorch): another uid
#: starts it, but nothing of the image is that uid's, HOME included — advice, not an edit.
ROOT_IMAGE_NOTE = (
    "this image names no user and runs as root: another uid starts it but cannot write its HOME;"
    " give the pod a writable HOME first"
)
#: What a hint says of the non-root uid the container already runs as, which it keeps.
KEPT_USER_NOTE = "the non-root uid it runs as already, kept"
SCC_USER_NOTE = "OpenShift's restricted-v2 SCC assigns one from the namespace's range"


def user_identity(pod: EffectivePod, path: tuple[Any, ...] = ()) -> dict[str, str]:
    """The uid and gid a fix hint sets for the user of the container at ``path`` (a pod path;
    else the notebook container), each with the comment that says where it comes from: the
    image's own, from the notebook-images table, or assumed, as any non-root uid and any group
    (an image the table does not know, or knows as root or as a uid chosen at build time)."""
    container: Any = None
    base: tuple[Any, ...] = ()
    if len(path) > 2 and path[0] == "spec" and type(path[2]) is int:
        listed = pod.spec.get(path[1])
        if path[1] in CONTAINER_LISTS and isinstance(listed, list) and path[2] < len(listed):
            container, base = listed[path[2]], path[:3]
    notebook = notebook_of(pod)
    if not isinstance(container, dict):
        container, base = (notebook[1], notebook[0]) if notebook is not None else ({}, ())
    entry = images.lookup(container.get("image"))
    uid = entry.get("uid") if entry else None
    gid = entry.get("gid") if entry else None
    user = entry.get("user") if entry else None
    known_uid = type(uid) is int and uid > 0
    known_gid = known_uid and type(gid) is int
    gid_from_family = ""
    # An image of the same kind that replaces a root one takes the uid fix with it.
    root_start = bool(entry and entry.get("starts_as_root") and images.start_runs(container, entry))
    unswapped = (
        entry is not None
        and (root_start or uid == 0)
        and images.swap(container.get("image"), entry) is None
    )
    if unswapped and root_start:
        uid_note = ROOT_START_NOTE
    elif unswapped:
        uid_note = ROOT_IMAGE_NOTE
    elif not known_uid:
        uid_note = ASSUMED_USER_NOTE
        releases = images.release_rows(container.get("image")) if entry is None else []
        if releases:
            # A Kubeflow image by `latest`: the table knows its family, not its release; what
            # every release agrees on is the image's whatever release it is.
            uid, gid, uid_note, gid_from_family = _family_identity(releases)
            known_uid = uid is not None
            known_gid = gid is not None
    elif isinstance(user, str) and user:
        uid_note = f"{user}, the image's notebook user"
    else:
        uid_note = "the image's notebook user"
    # A non-root uid the container already runs as was chosen (it owns the users' home volumes,
    # an NFS export's files): a hint keeps it. Only an unset uid, or root, gets the image's or
    # the assumed one — a hint never puts a guess over a choice.
    kept = _chosen_uid(pod, base, container)
    if kept is not None:
        uid, known_uid, uid_note = kept, True, KEPT_USER_NOTE
    if known_gid:
        gid_note = "the image's notebook group"
    elif gid_from_family:
        gid_note = gid_from_family
    else:
        gid_note = ASSUMED_GROUP_NOTE
    # The group a volume is given (fsGroup): the image's notebook group, never root's (gid 0
    # of Kubeflow's and OpenShift's images: the users group serves them as well).
    chowned = _home_group(container, entry)
    if chowned is not None:
        # The group the image's root start gives HOME to (linuxserver's PGID): the files a
        # root start left there are that group's.
        fs_gid, fs_gid_note = chowned
    elif known_gid and type(gid) is int and gid > 0:
        fs_gid, fs_gid_note = gid, "the image's notebook group"
    elif known_gid or gid_from_family:
        fs_gid, fs_gid_note = ASSUMED_GID, "the users group of the Jupyter images"
    else:
        # Any group serves (the kubelet gives the volume to it and adds it to every container's
        # groups): the pod's own runAsGroup where it names one (field test 20b D5).
        group = security(pod.spec, container, "runAsGroup")
        if type(group) is int and group > 0:
            fs_gid, fs_gid_note = group, "the group the pod runs as (runAsGroup)"
        else:
            fs_gid, fs_gid_note = ASSUMED_GID, ASSUMED_FS_GROUP_NOTE
    return {
        "notebook_uid": str(uid if known_uid else ASSUMED_UID),
        "notebook_gid": str(gid if known_gid else ASSUMED_GID),
        "uid_note": uid_note,
        "gid_note": gid_note,
        "fs_gid": str(fs_gid),
        "fs_gid_note": fs_gid_note,
        # OpenShift's restricted-v2 SCC assigns a uid only where none is set.
        "scc_uid": "null" if kept is None else str(kept),
        "scc_uid_note": SCC_USER_NOTE if kept is None else KEPT_USER_NOTE,
    }


def _home_group(container: dict[str, Any], entry: dict[str, Any] | None) -> tuple[int, str] | None:
    """``(gid, note)`` of the group the image's root start gives HOME to (the table's
    ``home_chowned_at_start``): the variable's value the container sets, else the image's."""
    chowned = _dict(entry.get("home_chowned_at_start")) if entry else {}
    if not chowned:
        return None
    variable = chowned.get("group_env")
    value = env_value(container, variable) if isinstance(variable, str) else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value), f"{variable}, the group the image's start gives HOME to"
    gid = chowned.get("gid")
    if type(gid) is int:
        return gid, "the group the image's start gives HOME to"
    return None


def _family_identity(releases: list[dict[str, Any]]) -> tuple[Any, Any, str, str]:
    """``(uid, gid, uid note, gid note)`` of an image whose family the table knows by release
    (``releases``: every release's row) and whose tag names none: a uid or gid every release
    agrees on (else None, the note saying the releases differ)."""
    family = releases[0].get("family") or "its family's"
    uids = {row.get("uid") for row in releases}
    users = {row.get("user") for row in releases}
    gids = {row.get("gid") for row in releases}
    uid = next(iter(uids)) if len(uids) == 1 else None
    if type(uid) is not int or uid <= 0:
        uid = None
    user = next(iter(users)) if len(users) == 1 else None
    if uid is not None:
        who = f"{user}, " if isinstance(user, str) and user else ""
        uid_note = f"{who}the user of every {family} release nblint knows"
    else:
        uid_note = f"assumed: {family} releases differ in their user; pin a release tag"
    gid = next(iter(gids)) if len(gids) == 1 and uid is not None else None
    if type(gid) is not int:
        gid = None
    gid_note = (
        ""
        if gid is not None
        else (
            f"assumed: {family} releases differ in their group (100 serves them all); pin a "
            "release tag"
        )
    )
    return uid, gid, uid_note, gid_note


def _chosen_uid(pod: EffectivePod, base: tuple[Any, ...], container: dict[str, Any]) -> int | None:
    """The non-root uid the input sets for the container at pod path ``base``: its own
    securityContext's, else (its own unset or root) the pod's; None when neither is. A uid a
    chart defaults to or a platform assigns is not one (its place carries a note saying so)."""
    own = _dict(container.get("securityContext")).get("runAsUser")
    places = (
        (own, (*base, "securityContext", "runAsUser")),
        (
            _dict(pod.spec.get("securityContext")).get("runAsUser"),
            ("spec", "securityContext", "runAsUser"),
        ),
    )
    for uid, where in places:
        if type(uid) is int and uid > 0 and base:
            return None if pod.provenance.locate(where).note else uid
    return None


#: The capability ``ValidateSecurityContext`` refuses beside ``allowPrivilegeEscalation: false``,
#: matched exactly as it matches it (``SYS_ADMIN`` is another string to it, and passes).
SYS_ADMIN = "CAP_SYS_ADMIN"
#: The keys that set ``allowPrivilegeEscalation``: the pod's, and KubeSpawner's trait.
_ESCALATION_KEYS = ("allowPrivilegeEscalation", "allow_privilege_escalation")


def escalating(context: Any) -> tuple[Any, ...] | None:
    """Where securityContext ``context`` holds what always lets a process escalate (the path
    below it): ``privileged: true``, else ``CAP_SYS_ADMIN`` among the added capabilities."""
    if not isinstance(context, dict):
        return None
    if context.get("privileged") is True:
        return ("privileged",)
    for index, name in enumerate(items(_dict(context.get("capabilities")).get("add"))):
        if name == SYS_ADMIN:
            return ("capabilities", "add", index)
    return None


def privilege_kept(pod: EffectivePod, path: tuple[Any, ...], hint: str) -> str | None:
    """What keeps the container at pod path ``path`` escalating (``privileged: true``,
    ``CAP_SYS_ADMIN``) when fix ``hint`` sets its ``allowPrivilegeEscalation`` to false and
    leaves that in place — the API server refuses the pair — else None. Asked of every hint
    of an escalating container whose escalation is not false yet (few): parsed only then."""
    if "scalation" not in hint:  # (most hints: in both of _ESCALATION_KEYS)
        return None
    container = _container_at(pod, path)
    context = _dict(container.get("securityContext"))
    if context.get("allowPrivilegeEscalation") is False or escalating(context) is None:
        return None
    found = _hint_values(hint)
    if False not in found.get("escalation", ()):
        return None
    if context.get("privileged") is True and not any(
        value is None or value is False for value in found.get("privileged", ())
    ):
        return "privileged: true"
    added = items(_dict(context.get("capabilities")).get("add"))
    if SYS_ADMIN in added and not any(
        value is None or (isinstance(value, list) and SYS_ADMIN not in value)
        for value in found.get("add", ())
    ):
        return f"capabilities.add {SYS_ADMIN}"
    return None


#: Why a workload may rely on a value its input writes, by the field's name: said in the hint
#: of a fix that would turn that value over.
_RELIED_ON = {
    "allowPrivilegeEscalation": (
        "with false, sudo and other setuid programs stop working (a postStart hook that uses "
        "sudo fails, and with it the spawn; GRANT_SUDO users lose sudo)"
    ),
    "automountServiceAccountToken": (
        "with false, code in the pod that calls the Kubernetes API with its token stops working"
    ),
}
#: What root does in a container that ``drop: [ALL]`` takes away.
ROOT_WORK = (
    "drop ALL takes what root work needs (chown: CAP_CHOWN; chmod of files it does not own: "
    "CAP_FOWNER; switching users, as sudo, su, gosu and docker-stacks' start.sh do: CAP_SETUID "
    "and CAP_SETGID)"
)


def relied_on(pod: EffectivePod, path: tuple[Any, ...], hint: str, shown: Any) -> str | None:
    """Why fix ``hint`` for the violation at pod path ``path`` (its value shown as ``shown``)
    may break what the workload relies on, although its rule calls it safe (README: *safe*
    changes nothing a compliant workload relies on); else None. Such a hint:

    * turns a boolean the input writes over (``allowPrivilegeEscalation: true`` to false): no
      default is the non-compliant value, so the input asked for it, for a reason;
    * drops capabilities of a container that runs as root (``runAsUser: 0``, or an image whose
      user is root with nothing that says non-root), or may (an image the table does not know,
      with no user set: its entrypoint may chown or switch users), or that the input lets
      escalate (``allowPrivilegeEscalation: true``: to become root through sudo): for root work.

    Asked of every safe hint: the text tells the few that need a look at the pod."""
    sudo = start_sudo_kept(pod, path, hint)
    if sudo is not None:
        return sudo
    if shown == "true" or shown == "false":
        opposite = "false" if shown == "true" else "true"
        if opposite in hint and type(_value_at(pod.pod, path)) is bool:
            field = path[-1]
            why = _RELIED_ON.get(field)
            said = f"the input sets {field}: {shown}, which the workload may rely on"
            return f"{said}: {why}" if why else said
    if "scalation" in hint and "false" in hint:
        container = _container_at(pod, path)
        variable = _grants_sudo(pod.spec, container) if container else None
        if variable and container and False in _hint_values(hint).get("escalation", ()):
            if variable == "GRANT_SUDO":
                return (
                    f"{container.get('name')} sets GRANT_SUDO and starts as root: with "
                    f"allowPrivilegeEscalation: false, {_RELIED_ON['allowPrivilegeEscalation']}"
                )
            return (
                f"{container.get('name')} sets {variable}, with which its image's start gives "
                "the user sudo: with allowPrivilegeEscalation: false, sudo through "
                f"{variable} stops working (setuid programs are refused)"
            )
        sudo_start = _may_start_with_sudo(pod.spec, container) if container else None
        if sudo_start and False in _hint_values(hint).get("escalation", ()):
            return (
                f"{container.get('name')} {sudo_start}: with allowPrivilegeEscalation: false, "
                "sudo is refused (setuid programs are), and a start that runs it fails"
            )
    if "drop" in hint:
        container = _container_at(pod, path)
        if not container:
            return None
        name = container.get("name")
        entry = images.lookup(container.get("image"))
        if runs_as_root(pod.spec, container):
            who = f"{name} runs as root"
        elif _dict(container.get("securityContext")).get("allowPrivilegeEscalation") is True:
            who = f"{name} may escalate to root (allowPrivilegeEscalation: true)"
        elif entry and entry.get("start_needs_escalation") and images.start_runs(container, entry):
            who = f"{name} starts through a setuid-root helper (its image's s6 preinit)"
        elif root_work(pod.spec, container):
            who = f"{name} runs {root_work(pod.spec, container)}, as root unless its image says"
        elif entry is None and starts_as_root(pod.spec, container):
            # An image the table does not know, with no user set, may be root's (busybox,
            # alpine, linuxserver's s6 images), and its entrypoint, which nblint cannot see, may
            # do root work.
            who = (
                f"{name} may run as root (nblint does not know its image's user, and nothing "
                "sets a non-root one)"
            )
        elif sudo_start := _may_start_with_sudo(pod.spec, container):
            # sudo switches users with root's capabilities: dropped, it fails.
            who = f"{name} {sudo_start}"
        else:
            return None
        if _drops_capabilities(hint):
            return f"{who}, and {ROOT_WORK}"
    return None


#: Image names of development environments (code-server's and VS Code's servers, Theia, cloud
#: shells, dev containers): built on them, an image nblint does not know commonly gives its user
#: passwordless sudo and runs it at its start (field test 15b D6: a code-server-based image whose
#: start scripts run `sudo chown`).
_DEV_ENVIRONMENT = (
    "codeserver",
    "code-server",
    "vscode",
    "theia",
    "cloudshell",
    "devcontainer",
    "devbox",
    "workspace",
)


@lru_cache(maxsize=1)
def _sudo_word() -> re.Pattern[str]:
    """A ``sudo`` run by a command line (compiled on first use: few command lines say sudo)."""
    return re.compile(r"(?:^|[\s;&|(`])sudo\s")


def _may_start_with_sudo(spec: dict[str, Any], container: dict[str, Any]) -> str | None:
    """Why the container's start may run sudo as a non-root user, which
    ``allowPrivilegeEscalation: false`` refuses: its own command line runs ``sudo``, or its image
    is one nblint does not know whose name says it is a development environment. None when it
    starts as root (sudo needs no escalation there) or neither holds."""
    if _as_uid_0(spec, container, unknown_image=False):
        return None
    words = " ".join(
        str(word) for word in (*items(container.get("command")), *items(container.get("args")))
    )
    if "sudo" in words and _sudo_word().search(f" {words} "):
        return "runs sudo in its command line"
    image = container.get("image")
    if not isinstance(image, str) or images.lookup(image) is not None:
        return None
    if any(word in image.lower() for word in _DEV_ENVIRONMENT):
        return (
            f"runs {image}, an image nblint does not know that is named like a development "
            "environment (built on them, images commonly run sudo at their start)"
        )
    return None


#: Whom a capabilities drop may break (the containers :func:`relied_on` names), said without a pod.
_ROOT_CONTAINERS = (
    "runs as root, may escalate to root (allowPrivilegeEscalation: true), starts through a "
    "setuid-root helper (an image's s6 preinit) or runs chown or chmod as root"
)


def relied_on_cases(hint: str, fields: Iterable[str]) -> list[str]:
    """The findings for which fix ``hint`` (a rule's, its holes not filled), safe by its rule, is
    unsafe because the workload may rely on what it changes (the cases of :func:`relied_on`),
    said without a pod: for ``nblint explain``. ``fields``: the names of the fields the rule
    checks (a hint turns one of them over)."""
    import yaml

    try:
        patch = parsed_hint(hint)
    except yaml.YAMLError:
        return []
    cases = []
    written = {_camel(key): value for key, value in _booleans(patch)}
    for field in sorted(set(fields) & set(written)):
        said = (
            f"where the input itself writes {field}: {str(not written[field]).lower()}, which "
            "the workload may rely on"
        )
        why = _RELIED_ON.get(field)
        cases.append(f"{said}: {why}" if why else said)
    if False in _hint_values(hint).get("escalation", ()):
        cases.append(
            "where a container sets GRANT_SUDO (or its image's own sudo switch: rocker's ROOT, "
            "linuxserver's SUDO_PASSWORD) and starts as root (whatever the input writes): "
            + _RELIED_ON["allowPrivilegeEscalation"]
        )
    if _drops_capabilities(hint):
        cases.append(f"where a container {_ROOT_CONTAINERS}: {ROOT_WORK}")
    return cases


#: What the hints :func:`placeholder_risk` looks at say (drop, allowPrivilegeEscalation, runAs…).
_GUARDED_WORDS = ("drop", "scalation", "runAs", "uid:")


def placeholder_risk(pod: EffectivePod, path: tuple[Any, ...], hint: str) -> str | None:
    """Why fix ``hint`` for the violation at pod path ``path``, safe by its rule and by the guards
    (:func:`relied_on`, :func:`privilege_kept`, :func:`root_work_kept`), is unsafe after all: one
    of the values those guards read is a placeholder (an OpenShift Template's ``${{UID}}``, a
    Flux ``${var}``, a template nblint reads as unknown), which the guards would take for unset.
    A value nblint cannot know never makes a fix safer than its riskiest value: a user that may
    be root, an escalation or a privilege that may be granted, a command that may do root work.
    None when no such value is read (the text tells the few hints that need a look at the
    pod)."""
    if not any(word in hint for word in _GUARDED_WORDS):
        return None  # (most hints)
    literal, parameters = pod_unknowable(pod.facts)
    if not _holds_placeholder(pod, literal, parameters):
        return None  # (most pods)
    found = _hint_values(hint)
    drops = "drop" in hint and _drops_capabilities(hint)
    escalation = False in found.get("escalation", ())
    non_root = True in found.get("non_root", ()) or any(
        type(uid) is int and uid > 0 for uid in found.get("user", ())
    )
    if not (drops or escalation or non_root):
        return None

    def unknown(value: Any) -> bool:
        return unknowable_value(value, literal, parameters)

    container = _container_at(pod, path)
    spec = pod.spec
    containers = [container] if container else []
    if not containers and non_root and _pod_wide_non_root(hint):
        containers = [
            each
            for listed in CONTAINER_LISTS
            for each in items(spec.get(listed))
            if isinstance(each, dict)
        ]
    for each in containers:
        name = each.get("name")
        user = _unknown_user(spec, each, unknown)
        own = each.get("securityContext")
        context = _dict(own)
        if drops:
            if user is not None:
                return f"{user}: it may be root, and {ROOT_WORK}"
            if unknown(context.get("allowPrivilegeEscalation")):
                return (
                    f"{name}'s allowPrivilegeEscalation is the placeholder "
                    f"{context['allowPrivilegeEscalation']}, which nblint cannot know: it may "
                    f"let it escalate to root, and {ROOT_WORK}"
                )
        if escalation:
            said = _unknown_privilege(context, unknown)
            if said is not None:
                return (
                    f"{name}'s {said}: the API server refuses allowPrivilegeEscalation: false "
                    "beside privileged: true or CAP_SYS_ADMIN"
                )
            sudo = grant_sudo_at(each)
            granted = [
                item.get("value")
                for item in items(each.get("env"))
                if isinstance(item, dict) and item.get("name") == "GRANT_SUDO"
            ]
            if user is not None and sudo is not None:
                return (
                    f"{user}: it may be root, and {name} sets GRANT_SUDO: with "
                    f"allowPrivilegeEscalation: false, {_RELIED_ON['allowPrivilegeEscalation']}"
                )
            if any(unknown(value) for value in granted) and (
                user is not None or starts_as_root(spec, each)
            ):
                return (
                    f"{name} sets GRANT_SUDO to a placeholder, which nblint cannot know: with "
                    f"allowPrivilegeEscalation: false, {_RELIED_ON['allowPrivilegeEscalation']}"
                )
        if non_root:
            words = [*items(each.get("command")), *items(each.get("args"))]
            work = _root_command(" ".join(str(word) for word in words))
            if user is not None and work is not None:
                return (
                    f"{user}: it may be root, and {name} runs {work}, which fails as another user"
                )
            hidden = next((word for word in words if unknown(word)), None)
            if hidden is not None and (user is not None or starts_as_root(spec, each)):
                return (
                    f"{name} may start as root and its command holds the placeholder {hidden}, "
                    "which nblint cannot know: it may do root work (chown), which fails as "
                    "another user"
                )
    return None


def _unknown_user(spec: dict[str, Any], container: dict[str, Any], unknown: Any) -> str | None:
    """What makes the user of ``container`` a placeholder (``the user of nb is the placeholder
    ${{UID}} (the pod's runAsUser), which nblint cannot know``), unless ``runAsNonRoot: true``
    says it is not root; else None. ``unknown``: whether a value is a placeholder."""
    if security(spec, container, "runAsNonRoot") is True:
        return None
    name = container.get("name")
    for owner, context in (
        (f"{name}'s", container.get("securityContext")),
        ("the pod's", spec.get("securityContext")),
    ):
        if unknown(context):
            return (
                f"the user of {name} is {owner} securityContext, the placeholder {context}, "
                "which nblint cannot know"
            )
        if isinstance(context, dict) and context.get("runAsUser") is not None:
            uid = context["runAsUser"]
            if unknown(uid):
                return (
                    f"the user of {name} is the placeholder {uid} ({owner} runAsUser), which "
                    "nblint cannot know"
                )
            return None
    return None


def _unknown_privilege(context: dict[str, Any], unknown: Any) -> str | None:
    """``privileged``, or an added capability, of securityContext ``context`` that is a
    placeholder, said; else None."""
    privileged = context.get("privileged")
    if unknown(privileged):
        return f"privileged is the placeholder {privileged}, which nblint cannot know"
    capabilities = context.get("capabilities")
    added = capabilities.get("add") if isinstance(capabilities, dict) else None
    if unknown(capabilities) or unknown(added):
        return "capabilities are a placeholder, which nblint cannot know"
    for name in items(added):
        if unknown(name):
            return f"capabilities.add holds the placeholder {name}, which nblint cannot know"
    return None


def _booleans(tree: Any) -> Iterator[tuple[str, bool]]:
    """Every ``key: true|false`` of a parsed hint."""
    if isinstance(tree, list):
        for item in tree:
            yield from _booleans(item)
    elif isinstance(tree, dict):
        for key, value in tree.items():
            if isinstance(value, bool) and isinstance(key, str):
                yield key, value
            yield from _booleans(value)


def _camel(name: str) -> str:
    """A KubeSpawner trait's name as the pod field's (``allow_privilege_escalation``)."""
    first, *rest = name.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def start_sudo_kept(pod: EffectivePod, path: tuple[Any, ...], hint: str) -> str | None:
    """Why fix ``hint`` stops the start of the container at pod path ``path``: the container
    sets the variable that makes its image's start run sudo (:func:`start_sudo_env`), and the
    hint sets ``allowPrivilegeEscalation: false`` (setuid sudo is refused) or drops capabilities
    (sudo cannot switch users); else None."""
    if "scalation" not in hint and "drop" not in hint:  # (most hints)
        return None
    container = _container_at(pod, path)
    found = start_sudo_env(container) if container else None
    if found is None:
        return None
    variable, whose = found
    escalation = "scalation" in hint and False in _hint_values(hint).get("escalation", ())
    if not escalation and not ("drop" in hint and _drops_capabilities(hint)):
        return None
    # One text for both hints: they are shown merged.
    return (
        f"{container.get('name')} sets {variable}, with which {whose} renames the user through "
        "sudo, which allowPrivilegeEscalation: false refuses and drop ALL leaves without the "
        f"capabilities it switches users with: the container would not start; remove {variable} "
        "first"
    )


def _sudo_variables() -> frozenset[Any]:
    """The variables any row of the images table names as making its start run sudo."""
    entries = tables.entries("notebook-images", "images")
    known = _sudo_memo.get(id(entries))
    if known is None:
        _sudo_memo.clear()
        variables = frozenset(row.get("start_sudo_env") for row in entries) - {None}
        known = _sudo_memo[id(entries)] = (variables, entries)
    return known[0]


#: id(table entries) → (their start_sudo_env variables, the entries, kept alive for the id).
_sudo_memo: dict[int, tuple[frozenset[Any], list[dict[str, Any]]]] = {}


def env_names(container: dict[str, Any]) -> set[str]:
    """The names the container's env entries give (a name of the wrong type is no name)."""
    return {
        name
        for item in items(container.get("env"))
        if isinstance(item, dict) and isinstance(name := item.get("name"), str)
    }


def start_sudo_env(container: dict[str, Any]) -> tuple[str, str] | None:
    """The variable the container sets that makes its image's start run sudo (the table's
    ``start_sudo_env``: code-server's DOCKER_USER), with whose start says so: the image's own,
    or — an image the table does not know — any start the table knows to read it (images are
    built FROM codercom/code-server keeping its entrypoint). None when it sets none, sets it
    empty or to the image's own user (no rename), or replaces the start."""
    if not env_names(container) & _sudo_variables():
        return None  # (almost every container: none of the variables the table knows)
    entry = images.lookup(container.get("image"))
    if entry is not None:
        rows = [entry] if images.start_runs(container, entry) else []
    else:
        rows = [
            row
            for row in tables.entries("notebook-images", "images")
            if row.get("start_sudo_env") and images.start_runs(container, row)
        ]
    for row in rows:
        variable = row.get("start_sudo_env")
        if not isinstance(variable, str):
            continue
        for item in items(container.get("env")):
            if not isinstance(item, dict) or item.get("name") != variable:
                continue
            value = item.get("value")
            # Unset or empty: no rename; the image's own user: its start renames nobody (a
            # value from elsewhere, valueFrom, may name anyone).
            # (A value that is not text is wrong-field-type's: read as unset.)
            if "valueFrom" not in item and (
                not isinstance(value, str) or not value or value == row.get("user")
            ):
                continue
            if entry is not None:
                return variable, "its image's start"
            return variable, (
                f"the start of {row.get('family')}'s image (if this image, which nblint does not "
                "know, keeps it)"
            )
    return None


#: Commands whose work needs root's capabilities (files of other owners).
def _root_command(text: str) -> str | None:
    """The root work (``chown``, ``chmod``, ``chgrp``, ``setfacl``) ``text`` names as a word, if
    any; the pattern compiled only for a text that holds one of them (most hold none)."""
    if not any(name in text for name in _ROOT_PROGRAMS):
        return None
    found = _root_commands().search(text)
    return found.group(1) if found else None


_ROOT_PROGRAMS = ("chown", "chmod", "chgrp", "setfacl")


@lru_cache(maxsize=1)
def _root_commands() -> re.Pattern[str]:
    return re.compile(r"\b(chown|chmod|chgrp|setfacl)\b")


def root_work(spec: dict[str, Any], container: dict[str, Any]) -> str | None:
    """The root work (``chown``) the container's own command does, when it starts as root (an
    image nblint does not know may be root's: busybox)."""
    words = [*items(container.get("command")), *items(container.get("args"))]
    if not words or not starts_as_root(spec, container):
        return None  # (no command of its own: most containers, before the look at its user)
    return _root_command(" ".join(str(word) for word in words))


#: What the docker-stacks start script takes for yes.
_GRANTED = ("yes", "Yes", "YES", "true", "1")


def grant_sudo_at(container: dict[str, Any], unquoted: bool = False) -> int | None:
    """The index of the env entry that sets ``GRANT_SUDO`` to yes, if any. Text only: an
    unquoted `yes` or 1 is wrong-field-type's (the API server refuses the object), never read
    as on; ``unquoted`` (a fix's guard): such a value counts when one way of writing it is on
    (quoted as meant, `yes` grants sudo)."""
    for index, item in enumerate(items(container.get("env"))):
        if isinstance(item, dict) and item.get("name") == "GRANT_SUDO":
            value = item.get("value")
            texts = (value,) if isinstance(value, str) else written_as(value) if unquoted else ()
            if any(text in _GRANTED for text in texts):
                return index
    return None


def _may_run_start_script(container: dict[str, Any]) -> bool:
    """Whether the docker-stacks start script, which alone reads ``GRANT_SUDO``, may run: a
    command of the container's own replaces the image's ENTRYPOINT, so it runs only if that
    command names it (`start.sh`, `start-notebook.sh`, `start-singleuser.py`…)."""
    command = items(container.get("command"))
    return not command or any("start" in str(word) for word in command)


def written_as(value: Any) -> tuple[str, ...]:
    """The texts an unquoted YAML 1.1 scalar that was read as ``value`` may have been written
    as (`yes`, `on`, `true` for True), as a quoted value would keep them."""
    if value is True:
        return ("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "y", "Y")
    if value is False:
        return ("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "n", "N")
    if isinstance(value, (int, float)):
        return (str(value),)
    return ()


def sudo_granted(container: dict[str, Any], from_elsewhere: bool = True) -> tuple[int, str] | None:
    """The env entry (its index, its variable) with which the container's start, run as root,
    gives its user sudo: ``GRANT_SUDO`` set to yes (docker-stacks' start script, for any image),
    else a variable of its image's ``sudo_grant_env`` (rocker's ``ROOT=true``, linuxserver's
    ``SUDO_PASSWORD``) with a value that turns it on, where the container runs its image's
    start. None when it sets none. Whether it starts as root is :func:`starts_as_root`.
    ``from_elsewhere``: whether a value from elsewhere (``valueFrom``, which may turn it on)
    counts (a fix's guard: yes; a finding that says sudo is on: no)."""
    at = grant_sudo_at(container, unquoted=from_elsewhere)
    if at is not None and (from_elsewhere or _may_run_start_script(container)):
        return at, "GRANT_SUDO"
    env = items(container.get("env"))
    if not env_names(container) & _grant_variables():
        return None  # (almost every container)
    entry = images.lookup(container.get("image"))
    if entry is None or not images.start_runs(container, entry):
        return None
    prefix = entry.get("file_env_prefix")
    for grant in items(entry.get("sudo_grant_env")):
        if not isinstance(grant, dict):
            continue
        # A variable the start reads from a file (linuxserver's FILE__SUDO_PASSWORD) is one too.
        names = {grant.get("name"), f"{prefix}{grant.get('name')}" if prefix else None}
        for index, item in enumerate(env):
            if not isinstance(item, dict) or item.get("name") not in names:
                continue
            if "valueFrom" in item:
                if from_elsewhere:
                    return index, str(item.get("name"))  # a value from elsewhere may turn it on
                continue
            value = item.get("value")
            # (A value that is not text is wrong-field-type's: never read as on, but a guard
            # reads it as it may have been meant.)
            texts = (value,) if isinstance(value, str) else written_as(value)
            if not isinstance(value, str) and not from_elsewhere:
                continue
            texts = tuple(text for text in texts if text != "")
            if not texts:
                continue
            values = grant.get("values")
            wanted = {str(v).lower() for v in items(values)}
            if values == "any" or any(text.lower() in wanted for text in texts):
                return index, str(item.get("name"))
    return None


def _grant_variables() -> frozenset[Any]:
    """The variables any row of the images table names in its ``sudo_grant_env``."""
    entries = tables.entries("notebook-images", "images")
    known = _grant_memo.get(id(entries))
    if known is None:
        _grant_memo.clear()
        variables = frozenset(
            f"{prefix}{grant.get('name')}" if prefix else grant.get("name")
            for row in entries
            for grant in items(row.get("sudo_grant_env"))
            if isinstance(grant, dict)
            for prefix in {"", row.get("file_env_prefix") or ""}
        )
        known = _grant_memo[id(entries)] = (variables, entries)
    return known[0]


#: id(table entries) → (their sudo_grant_env variables, the entries, kept alive for the id).
_grant_memo: dict[int, tuple[frozenset[Any], list[dict[str, Any]]]] = {}


def starts_as_root(spec: dict[str, Any], container: dict[str, Any]) -> bool:
    """Whether the container starts as uid 0: named, or left to an image whose user is root
    (or that the table does not know: it may be). The docker-stacks start script honours
    ``GRANT_SUDO`` only then."""
    return _as_uid_0(spec, container, unknown_image=True)


def _as_uid_0(spec: dict[str, Any], container: dict[str, Any], unknown_image: bool) -> bool:
    """Whether the container runs as uid 0 (named, or its image's user); ``unknown_image``:
    the answer for an image the table does not know."""
    if security(spec, container, "runAsNonRoot") is True:
        return False  # the kubelet starts no container as root under runAsNonRoot
    uid = security(spec, container, "runAsUser")
    if uid is not None:
        return type(uid) is int and uid == 0
    entry = images.lookup(container.get("image"))
    return unknown_image if entry is None else entry.get("uid") == 0


def _grants_sudo(spec: dict[str, Any], container: dict[str, Any]) -> str | None:
    """The variable with which the container's start gives its user sudo (``GRANT_SUDO`` yes,
    rocker's ``ROOT=true``: :func:`sudo_granted`), when it starts as root; else None."""
    found = sudo_granted(container)
    return found[1] if found is not None and starts_as_root(spec, container) else None


def runs_as_root(spec: dict[str, Any], container: dict[str, Any]) -> bool:
    """Whether the container runs as uid 0 as far as the input and the image table tell: named
    (``runAsUser: 0``, its own else the pod's), or left to an image the table knows runs as
    root with nothing that says non-root. An image the table does not know is not taken for
    root: nblint cannot tell (:func:`starts_as_root` takes it for root where that is the safe
    side)."""
    return _as_uid_0(spec, container, unknown_image=False)


def works_as_non_root(spec: dict[str, Any], container: dict[str, Any]) -> bool:
    """Whether the user whose work the container does is known not to be root: a non-root uid
    (named, ``runAsNonRoot``, or its image's per the table), or root starting an image whose
    start hands the work to its user (docker-stacks' start.sh switches to NB_UID; rocker's
    rserver runs sessions as rstudio). An image nblint does not know, with no uid named: it
    cannot tell."""
    if security(spec, container, "runAsNonRoot") is True:
        return True
    uid = security(spec, container, "runAsUser")
    entry = images.lookup(container.get("image"))
    if uid is None:
        uid = entry.get("uid") if entry else None
    if type(uid) is not int:
        return False
    if uid != 0:
        return True
    if not entry:
        return False
    if entry.get("starts_as_root"):
        return images.start_runs(container, entry)
    return entry.get("family") in _NB_USER_HOMES and nb_user_start_runs(container, entry)


def nb_user_start_runs(container: dict[str, Any], entry: dict[str, Any] | None = None) -> bool:
    """Whether the container runs docker-stacks' start.sh (or b-data's): a command of its own
    (`jupyter lab --allow-root`) replaces it. Args replace it only where start.sh is not the
    ENTRYPOINT (row ``entry``'s ``start_from``: quay.io's images run ``tini -- start.sh`` before
    any args, z2jh's ``jupyterhub-singleuser`` too); elsewhere (older Docker Hub tags' ENTRYPOINT
    is tini alone, their CMD start-notebook.sh) unless they run it."""
    if container.get("command"):
        return False
    if entry is not None and entry.get("start_from") == "entrypoint":
        return True
    args = items(container.get("args"))
    return not args or "start" in str(args[0])


def _value_at(tree: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        if isinstance(tree, dict):
            tree = tree.get(part)
        elif isinstance(tree, list) and type(part) is int and 0 <= part < len(tree):
            tree = tree[part]
        else:
            return None
    return tree


def _drops_capabilities(hint: str) -> bool:
    """Whether fix ``hint`` (YAML) drops capabilities: a ``capabilities.drop`` that is not
    empty."""
    import yaml

    try:
        patch = parsed_hint(hint)
    except yaml.YAMLError:
        return False
    return any(
        isinstance(value, dict) and bool(items(value.get("drop")))
        for value in _values_of(patch, "capabilities")
    )


def metadata_reopened(pod: EffectivePod, hint: str) -> bool:
    """Whether fix ``hint`` turns z2jh's iptables block of the cloud metadata server off
    (``blockWithIptables: false``) for a pod whose values hold an egress rule of the user's that
    lets notebooks reach it (fact ``egress_to_metadata``): the chart's NetworkPolicy the hint
    leans on would not block it, and the pod would be worse than before
    (``notebook-cloud-metadata``)."""
    reopening = pod.facts.get("egress_to_metadata")
    return (
        isinstance(reopening, int)
        and not isinstance(reopening, bool)
        and "blockWithIptables: false" in hint
    )


def setuid_start_kept(pod: EffectivePod, path: tuple[Any, ...], hint: str) -> str | None:
    """The image of the container at pod path ``path`` when fix ``hint`` sets its
    ``allowPrivilegeEscalation`` to false, or drops its capabilities, and the image starts
    through a setuid-root helper (the notebook-images table's ``start_needs_escalation``:
    Kubeflow's images up to v1.8, whose s6 preinit chowns /var/run/s6 as root): with the hint,
    the container could not start. Else None: the image, and the one to change it to — the
    hint is advice for after that change, which no fix of this container makes."""
    if "scalation" not in hint and "drop" not in hint:  # (most hints)
        return None
    container = _container_at(pod, path)
    image = container.get("image")
    if _dict(container.get("securityContext")).get("allowPrivilegeEscalation") is False:
        return None
    entry = images.lookup(image) if isinstance(image, str) else None
    if not entry or not entry.get("start_needs_escalation"):
        return None
    escalation = "scalation" in hint and False in _hint_values(hint).get("escalation", ())
    # Without the capabilities, the helper is root without root's powers (its chown fails).
    dropping = "drop" in hint and images.start_runs(container, entry) and _drops_capabilities(hint)
    if not escalation and not dropping:
        return None
    suggested = images.replacement(image, entry)
    return f"{image} to one that starts without it ({suggested})" if suggested else image


def root_work_kept(pod: EffectivePod, path: tuple[Any, ...], hint: str) -> str | None:
    """What the container at pod path ``path`` does as root (``chown``, see :func:`root_work`)
    when fix ``hint`` gives it a non-root user (``runAsUser`` or z2jh's ``uid`` other than 0,
    ``runAsNonRoot: true``): as that user its work fails (a "volume-permissions" init
    container), so the hint is advice. The same for another container of the pod that does
    root work, when the hint sets the pod's ``runAsNonRoot: true``. Else None."""
    if "runAs" not in hint and "uid:" not in hint:
        return None
    works = _root_works(pod)
    if not works:
        return None  # (most pods: no container does root work)
    container = _container_at(pod, path)
    entry = works.get(id(container)) if container else None
    if entry is not None:
        work = entry[1]
        found = _hint_values(hint)
        if True in found.get("non_root", ()) or any(
            type(uid) is int and uid > 0 for uid in found.get("user", ())
        ):
            return f"{container.get('name')} runs {work} as root"
    if "runAsNonRoot" in hint and _pod_wide_non_root(hint):
        # The pod's runAsNonRoot: true reaches every container that does not say false: the
        # kubelet refuses one that runs as root for its work.
        chart_block = pod.facts.get("cloud_metadata_blocked") is True
        for other, work in works.values():
            if other is container:
                continue
            if chart_block and other.get("name") == _CHART_IPTABLES:
                # z2jh's own iptables init container: its hint takes it away (blockWithIptables:
                # false), and the fix applies both.
                continue
            if _dict(other.get("securityContext")).get("runAsNonRoot") is False:
                continue
            name = other.get("name")
            return f"{name} runs {work} as root (the pod's runAsNonRoot: true reaches it)"
    return None


#: The capability root's work needs, by the command that does it: ``drop: [ALL]`` takes it,
#: and the command then fails although the container still runs as root.
_CAPABILITY_OF = {
    "chown": "CHOWN",
    "chgrp": "CHOWN",
    "chmod": "FOWNER",
    "setfacl": "FOWNER",
    "setcap": "SETFCAP",
    "mount": "SYS_ADMIN",
    "iptables": "NET_ADMIN",
    "ip6tables": "NET_ADMIN",
    "iptables-restore": "NET_ADMIN",
}


#: Programs (beside :data:`_ROOT_PROGRAMS`) that need a capability, found where a shell runs
#: them (a word of their own, or after ``;``, ``&&``, ``|``, ``then``, ``do``, ``sudo``,
#: ``exec``), with any directory: ``mount`` in a path (``/mnt/mount``) is no command.
_CAPABILITY_PROGRAMS = ("setcap", "mount", "iptables-restore", "iptables", "ip6tables")
#: What may stand right before such a program's path, as a command line runs it.
_COMMAND_SEPARATORS = frozenset(";&|(`")
_COMMAND_WORDS = ("then", "do", "sudo", "exec")


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


@lru_cache(maxsize=256)
def capability_program(text: str) -> str | None:
    """The first program of :data:`_CAPABILITY_PROGRAMS` that ``text`` (a command line, a word
    of one) runs: a word of its own at the start, or after ``;``, ``&``, ``|``, ``(``, a
    backquote, or the words ``then``, ``do``, ``sudo``, ``exec``, with any directory before it
    (``/sbin/iptables``), and nothing of a name after it (``mount`` in ``/mnt/mount`` or
    ``mountpoint`` is none). Written out rather than as a regular expression: compiling one cost a
    cold one-file check 1.7 M instructions (the test holds it to that expression). Once per text:
    the chart's iptables container says the same in every pod of a run."""
    # (start, -at, name): the leftmost command wins; of two from one start, the one a longer
    # directory reaches (the pattern's directory is greedy: `/sbin/mount/sbin/iptables`).
    found: tuple[int, int, str] | None = None
    for name in _CAPABILITY_PROGRAMS:
        at = text.find(name)
        while at >= 0:
            end = at + len(name)
            after = text[end : end + 1]
            if not after or not (_word_char(after) or after in ".-"):
                start = _command_start(text, at)
                if start is not None and (found is None or (start, -at) < found[:2]):
                    found = (start, -at, name)
            at = text.find(name, at + 1)
    return found[2] if found is not None else None


def _command_start(text: str, at: int) -> int | None:
    """Where the command that runs the program at ``at`` starts (its separator, its word, or
    the text's start), the program's directory and blanks before it allowed; None when what is
    before it is no command's start."""
    starts = [at]
    # A directory before it: `/…/` of name characters, dots, slashes and dashes.
    if at > 0 and text[at - 1] == "/":
        back = at - 1
        while back > 0 and (_word_char(text[back - 1]) or text[back - 1] in "./-"):
            back -= 1
        # (From a slash to the one right before the program: `/sbin/`, never a lone `/`.)
        starts += [m for m in range(back, at - 1) if text[m] == "/"]
    best: int | None = None
    for begin in starts:
        blank = begin
        while blank > 0 and text[blank - 1].isspace():
            blank -= 1
        where: int | None = None
        if blank == 0:
            where = 0
        elif text[blank - 1] in _COMMAND_SEPARATORS:
            where = blank - 1
        else:
            for word in _COMMAND_WORDS:
                first = blank - len(word)
                if (
                    first >= 0
                    and text.startswith(word, first)
                    and (first == 0 or not _word_char(text[first - 1]))
                ):
                    where = first
                    break
        if where is not None and (best is None or where < best):
            best = where
    return best


def capability_work(spec: dict[str, Any], container: dict[str, Any]) -> tuple[str, str] | None:
    """``(command, capability)``: the work the container's own command does as root that needs
    a capability (``chown``: ``CHOWN``; ``mount``: ``SYS_ADMIN``), when it starts as root
    (:func:`starts_as_root`); else None."""
    if not container.get("command") and not container.get("args"):
        return None  # (most containers: the image's own start, which nblint does not read)
    work = root_work(spec, container)
    if work is None:
        if not starts_as_root(spec, container):
            return None
        for word in (*items(container.get("command")), *items(container.get("args"))):
            program = capability_program(str(word))
            if program:
                work = program
                break
        else:
            return None
    return work, _CAPABILITY_OF[work]


#: The pod memo's key of :func:`capability_work` by container, and what it holds before it.
_CAPABILITY_WORK = "capability-work"
_UNSEEN = object()


@lru_cache(maxsize=1024)
def _hint_capabilities(hint: str) -> tuple[Any, ...]:
    """The ``capabilities`` mappings fix ``hint`` writes, once per text; none when it is not
    YAML."""
    import yaml

    try:
        return tuple(_values_of(parsed_hint(hint), "capabilities"))
    except yaml.YAMLError:
        return ()


def capability_work_kept(pod: EffectivePod, path: tuple[Any, ...], hint: str) -> str | None:
    """What fix ``hint`` breaks when it takes a capability from the container at pod path
    ``path``, which runs as root a command that needs it (``chown``: ``CAP_CHOWN``, see
    :func:`capability_work`): the command fails, the container exits non-zero, and an init
    container's pod never starts (field test 14a). The hint takes it when it drops it
    (``drop: [ALL]``, or the one) without adding it back itself — an ``add`` of the input does not
    count: the restricted level refuses it, and another hint takes it out —, or when it writes an
    ``add`` without it where the input drops it. Said as advice: what to do instead. Else None.
    Asked of every hint that is not advice yet: the text is looked at first, the pod only for a
    hint that drops or adds."""
    if "drop" not in hint and "add:" not in hint:  # (most hints)
        return None
    container = _container_at(pod, path)
    if not container:
        return None
    # (Asked by every hint of the container's findings that drops or adds: once per container.)
    key = f"{_CAPABILITY_WORK}:{id(container)}"
    memo: dict[str, Any] = pod.memo
    work = memo.get(key, _UNSEEN)
    if work is _UNSEEN:
        work = memo[key] = capability_work(pod.spec, container)
    if work is None:
        return None
    command, capability = work
    wanted = {capability, "CAP_" + capability}
    own = _dict(_dict(container.get("securityContext")).get("capabilities"))
    own_drop = items(own.get("drop"))
    dropped = "ALL" in own_drop or bool(wanted & {str(name) for name in own_drop})
    taken = added = False
    for value in _hint_capabilities(hint):
        if not isinstance(value, dict):
            continue
        drop = items(value.get("drop"))
        if "ALL" in drop or wanted & {str(name) for name in drop}:
            taken = True
        if "add" in value:
            if wanted & {str(name) for name in items(value.get("add"))}:
                added = True
            elif dropped:
                taken = True
    if not taken or added:
        return None
    name = container.get("name")
    if capability == "CHOWN" or capability == "FOWNER":
        instead = (
            "give the volume to the user another way (the pod's fsGroup, or a volume made with "
            f"the right owner) and drop the {command}"
        )
    else:
        instead = f"do the {command} outside the pod (on the node, or in the image)"
    return (
        f"{name} runs {command} as root, which needs CAP_{capability}: without it (drop "
        "ALL), "
        f"{command} fails and the container exits non-zero (an init container's pod never "
        "starts). Keep it "
        f"(drop: [ALL], add: [{capability}]; the restricted level allows no add but "
        f"NET_BIND_SERVICE), or better {instead}; then:"
    )


def root_code_kept(pod: EffectivePod, hint: str) -> str | None:
    """The code nblint did not read that sets a user of the pod to uid 0 (a z2jh
    ``modify_pod_hook``'s ``run_as_user=0``: the pod fact ``uid_0_code``), when fix ``hint``
    sets ``runAsNonRoot: true``: the kubelet refuses to start a container that runs as uid 0
    under it, and the code runs after the values the hint writes, so the hint is advice
    (field test 13a D2). Else None."""
    if "runAsNonRoot" not in hint:
        return None
    code = pod.facts.get("uid_0_code")
    if not isinstance(code, str) or True not in _hint_values(hint).get("non_root", ()):
        return None
    return code


def unread_values_risk(pod: EffectivePod, hint: str) -> str | None:
    """Why fix ``hint``, safe by its rule and by the guards (:func:`relied_on`,
    :func:`placeholder_risk`, :func:`root_work_kept`), is unsafe after all: the release has values
    layers nblint did not read (pod fact ``unread_values``: a HelmRelease's ``valuesFrom`` not
    among the inputs, a helmfile values template, a Fleet ``targetCustomizations`` entry), which
    may set what those guards read (a root user, GRANT_SUDO, an escalation, a privilege) for
    the pods the fix reaches, wherever they stand in the merge: a fix that drops capabilities,
    refuses escalation or requires non-root is judged by their riskiest value. None for the
    other hints and for a release whose every layer was read (most pods)."""
    unread = pod.facts.get("unread_values")
    if not unread or not any(word in hint for word in _GUARDED_WORDS):
        return None  # (most pods, most hints)
    found = _hint_values(hint)
    if "drop" in hint and _drops_capabilities(hint):
        what = "drops capabilities"
    elif False in found.get("escalation", ()):
        what = "refuses privilege escalation"
    elif True in found.get("non_root", ()) or any(
        type(uid) is int and uid > 0 for uid in found.get("user", ())
    ):
        what = "requires a non-root user"
    else:
        return None
    return (
        f"values nblint did not read may give the pod root or sudo, which a fix that {what} "
        f"breaks: {unread}"
    )


def code_trait_kept(pod: EffectivePod, edit: Edit) -> str | None:
    """Where code nblint did not apply may set or change a value ``edit`` writes (a z2jh
    ``hub.extraConfig`` statement under an ``if`` or in a function that sets the trait the edited
    values key feeds: the pod fact ``code_traits``), said for the fix's ``unsafe:`` note: that
    code runs after the values, so the fix holds only while it does not run. Else None."""
    code = pod.facts.get("code_traits")
    if not code:
        return None  # (most pods)
    written = _written_paths(edit)
    for key, where in code:
        if _writes(written, tuple(key)):
            return (
                f"code nblint did not apply may replace what it writes at "
                f"{'.'.join(map(str, key))}, as it runs after the values: {where}"
            )
    return None


def edit_writes_any(edit: Edit, keys: Any) -> bool:
    """Whether ``edit`` writes under one of ``keys`` (key lists, found anywhere in a path the
    edit writes, so under any root the values sit at): the pod fact ``hints_may_not_reach``."""
    written = _written_paths(edit)
    return any(_writes(written, tuple(key)) for key in keys)


def _written_paths(edit: Edit) -> list[tuple[Any, ...]]:
    """Every path ``edit`` writes: its own and each key of its patch below it."""
    import yaml

    try:
        patch = parsed_hint(edit.patch)
    except yaml.YAMLError:
        return [tuple(edit.path)]
    written: list[tuple[Any, ...]] = []

    def walk(tree: Any, path: tuple[Any, ...]) -> None:
        written.append(path)
        if isinstance(tree, dict):
            for key, value in tree.items():
                walk(value, (*path, key))

    walk(patch, tuple(edit.path))
    return written


def _writes(written: list[tuple[Any, ...]], key: tuple[Any, ...]) -> bool:
    size = len(key)
    return any(path[i : i + size] == key for path in written for i in range(len(path) - size + 1))


def _root_works(pod: EffectivePod) -> dict[int, tuple[dict[str, Any], str]]:
    """``id(container) → (container, its root work)`` of the pod's containers that do root work
    (:func:`capability_work`), in the pod's order: worked out once per pod, asked by every hint."""
    memo = pod.memo
    works: dict[int, tuple[dict[str, Any], str]] | None = memo.get(_ROOT_WORKS)
    if works is None:
        works = {}
        for listed in CONTAINER_LISTS:
            for container in items(pod.spec.get(listed)):
                if isinstance(container, dict):
                    # Root work needs root's capabilities: chown, and mount or iptables too.
                    found = capability_work(pod.spec, container)
                    if found is not None:
                        works[id(container)] = (container, found[0])
        memo[_ROOT_WORKS] = works
    return works


_ROOT_WORKS = "podview.root_works"
#: The init container of z2jh's iptables block of the metadata server (fact
#: ``cloud_metadata_blocked``), which runs iptables as root.
_CHART_IPTABLES = "block-cloud-metadata"


#: Hint keys under which a securityContext is one container's, not the pod's.
_CONTAINER_SCOPED = frozenset(("container_security_context", "containers", "initContainers"))


def _pod_wide_non_root(hint: str) -> bool:
    """Whether fix ``hint`` sets ``runAsNonRoot: true`` for the whole pod (the pod's
    securityContext, KubeSpawner's ``pod_security_context``), not in one container's."""
    return _pod_wide_context(hint) is not None


@lru_cache(maxsize=1024)
def _pod_wide_context(hint: str) -> dict[str, Any] | None:
    """The securityContext for the whole pod in which fix ``hint`` sets ``runAsNonRoot: true``
    (see :func:`_pod_wide_non_root`), as the hint writes it; None when it sets none."""
    import yaml

    try:
        patch = parsed_hint(hint)
    except yaml.YAMLError:
        return None

    def walk(tree: Any) -> dict[str, Any] | None:
        if isinstance(tree, dict):
            for key, value in tree.items():
                if key == "runAsNonRoot" and value is True:
                    return tree
                if key not in _CONTAINER_SCOPED and not isinstance(value, list):
                    found = walk(value)
                    if found is not None:
                        return found
        return None

    return walk(patch)


def root_user_kept(pod: EffectivePod, path: tuple[Any, ...], hint: str) -> tuple[str, bool] | None:
    """A container of the pod that runs as root whatever fix ``hint`` (for the violation at pod
    path ``path``) does, when the hint sets the pod's ``runAsNonRoot: true``, which reaches every
    container that does not say false: ``(who, refused)``. ``refused``: the kubelet refuses to
    start it (CreateContainerConfigError), so the pod never starts — a ``runAsUser: 0`` of its
    own (the pod's user the hint writes does not replace it), or of the pod that the hint
    keeps, or an image whose user is root with no user set anywhere (no platform assigning
    one); the hint is advice. Otherwise (an image whose user is root, given the pod's non-root
    user instead) it starts as another user than its image's, and root work it does fails: the
    hint is unsafe. Whichever container it is — the pod's own, or one a dialect adds (a Kubeflow
    PodDefault's init container or sidecar, named by its provenance note). Else None. The text
    tells the few hints that need a look at the pod (a pod-wide ``runAsNonRoot``)."""
    if "runAsNonRoot" not in hint:
        return None  # (most hints)
    context = _pod_wide_context(hint)
    if context is None:
        return None
    spec = pod.spec
    pod_user = (
        context["runAsUser"]
        if "runAsUser" in context
        else _dict(spec.get("securityContext")).get("runAsUser")
    )
    at = _container_at(pod, path)
    # A user the hint gives a container of its own (a container's runAsUser, z2jh's uid: the
    # notebook's) is the one at ``path``'s.
    users = _hint_values(hint).get("user", [])
    given = len(users) > (1 if "runAsUser" in context else 0)
    assigned = "openshift_scc" in pod.facts  # (restricted-v2 gives one where none is set)
    changed: tuple[str, bool] | None = None
    for listed in CONTAINER_LISTS:
        for index, each in enumerate(items(spec.get(listed))):
            if not isinstance(each, dict) or (each is at and given):
                continue
            own = _dict(each.get("securityContext"))
            if own.get("runAsNonRoot") is False:
                continue  # the kubelet does not check it
            uid = own.get("runAsUser")
            user = uid if uid is not None else pod_user
            if type(user) is int and user == 0:
                whose = "its own" if uid is not None else "the pod's"
                return (
                    f"{_named(pod, listed, index, each)} runs as uid 0 ({whose} runAsUser: 0)",
                    True,
                )
            if uid is not None or each is at or (user is not None and type(user) is not int):
                continue  # (its own user stands; the finding's container is the rule's own case)
            entry = images.lookup(each.get("image"))
            image_uid = entry.get("uid") if entry else None
            if type(image_uid) is not int or image_uid != 0:
                continue
            named = _named(pod, listed, index, each)
            who = f"{named} runs its image's user, root ({each.get('image')})"
            if user is None and not assigned:
                return f"{who}, and no runAsUser is set for it", True
            if changed is None and user is not None:
                changed = (
                    f"{who}: the pod's runAsUser {user} makes it run as {user}, and root work it "
                    "does (chown, switching users) fails as that user",
                    False,
                )
    return changed


def _named(pod: EffectivePod, listed: str, index: int, container: dict[str, Any]) -> str:
    """Container ``container`` (``spec.<listed>[index]``) by name, with who added it when the
    input does not write it (``perms (added by PodDefault fix-perms)``)."""
    note = pod.provenance.locate(("spec", listed, index)).note
    name = container.get("name")
    return f"{name} ({note})" if note else str(name)


def _container_at(pod: EffectivePod, path: tuple[Any, ...]) -> dict[str, Any]:
    """The container the pod path ``path`` is in, or an empty mapping."""
    if len(path) < 3 or path[0] != "spec" or path[1] not in CONTAINER_LISTS:
        return {}
    listed = items(pod.spec.get(path[1]))
    container = listed[path[2]] if type(path[2]) is int and path[2] < len(listed) else None
    return container if isinstance(container, dict) else {}


@lru_cache(maxsize=1024)
def _hint_values(hint: str) -> dict[str, list[Any]]:
    """The values fix ``hint`` gives the escalation keys, ``privileged`` and ``capabilities.add``
    (see :func:`_collect`); none when it is not YAML. Once per text (the guards of one finding
    each ask): shared, never change it."""
    import yaml

    found: dict[str, list[Any]] = {}
    try:
        patch = parsed_hint(hint)
    except yaml.YAMLError:
        return found
    _collect(patch, found)
    return found


def _collect(tree: Any, found: dict[str, list[Any]]) -> None:
    """The values a hint gives the escalation keys, ``privileged``, ``capabilities.add``,
    ``runAsUser`` (and z2jh's ``uid``) and ``runAsNonRoot``."""
    if isinstance(tree, list):
        for item in tree:
            _collect(item, found)
    elif isinstance(tree, dict):
        for key, value in tree.items():
            if key in _ESCALATION_KEYS:
                found.setdefault("escalation", []).append(value)
            elif key == "privileged":
                found.setdefault("privileged", []).append(value)
            elif key == "capabilities" and isinstance(value, dict) and "add" in value:
                found.setdefault("add", []).append(value["add"])
            elif key in ("runAsUser", "uid"):  # (z2jh's singleuser.uid)
                found.setdefault("user", []).append(value)
            elif key == "runAsNonRoot":
                found.setdefault("non_root", []).append(value)
            _collect(value, found)


#: Hint variables worked out from the pod rather than found in the violation: the notebook
#: user's (:func:`user_identity`), the offending image's name without its tag, and the claim
#: that provides a volume's storage (:func:`claim_variables`).
_USER_VARIABLES = frozenset(
    (
        *("notebook_uid", "notebook_gid", "uid_note", "gid_note", "scc_uid", "scc_uid_note"),
        *("fs_gid", "fs_gid_note"),
    )
)
_CLAIM_VARIABLES = frozenset(("volume_claim", "volume_claim_note"))
DERIVED_VARIABLES = frozenset(
    (*_USER_VARIABLES, *_CLAIM_VARIABLES, "image_name", "kustomize_image")
)

#: The claim name a hint shows when nblint knows no claim that provides the volume's storage:
#: visibly not a name (a fix that names it is shown, never applied; see :func:`claim_variables`).
CLAIM_PLACEHOLDER = "<your-claim>"
#: Derived values that stand for what nblint cannot know: a hint that quotes one is advice.
PLACEHOLDERS = frozenset((CLAIM_PLACEHOLDER, ROOT_START_NOTE, ROOT_IMAGE_NOTE))


def derived_variables(
    pod: EffectivePod, path: tuple[Any, ...], names: tuple[str, ...], value: Any
) -> dict[str, str]:
    """The :data:`DERIVED_VARIABLES` a hint quotes (``names``), for the field at ``path`` whose
    offending value is ``value``."""
    out: dict[str, str] = {}
    if "image_name" in names:  # a hint that pins the image it is about, not another
        out["image_name"] = images.image_name(value) or "IMAGE"
    if "kustomize_image" in names:  # the `images:` entry's name that sets it (else its own)
        written = pod.facts.get("kustomize_images")
        found = written.get(value) if isinstance(written, dict) else None
        out["kustomize_image"] = found or images.image_name(value) or "IMAGE"
    if not _USER_VARIABLES.isdisjoint(names):
        out.update(user_identity(pod, path))
    if not _CLAIM_VARIABLES.isdisjoint(names):
        out.update(claim_variables(pod, path))
    return out


#: A value of the input that may be quoted in a hint's comment (a server, an export's path).
_PLAIN_WORD = re.compile(r"[A-Za-z0-9_./:@-]{1,200}")


def claim_variables(pod: EffectivePod, path: tuple[Any, ...]) -> dict[str, str]:
    """``volume_claim``: the claim of the inputs that provides the storage of the volume at
    ``path`` (``spec.volumes[i]…``: one the inputs bind to a PersistentVolume of the same source,
    in the pod's namespace), else :data:`CLAIM_PLACEHOLDER`; ``volume_claim_note``: a comment
    that says which (or what to create: nothing makes a claim nblint names after the volume, and
    the pod would stay Pending)."""
    volume: Any = None
    if len(path) >= 3 and path[:2] == ("spec", "volumes") and type(path[2]) is int:
        listed = items(pod.spec.get("volumes"))
        volume = listed[path[2]] if path[2] < len(listed) else None
    key: str | None = None
    if isinstance(volume, dict):
        # The finding's field is the offending source's key (a volume may name two).
        key = path[3] if len(path) > 3 and isinstance(path[3], str) else source_of(volume)
    source = volume.get(key) if isinstance(volume, dict) and key is not None else None
    found = pod.claims.provider(key, source) if pod.claims and key is not None else None
    kind = key if key and _PLAIN_WORD.fullmatch(key) else "storage"
    if found is not None:
        claim, stored = found
        volume_name = f" {stored.name}" if _PLAIN_WORD.fullmatch(stored.name) else ""
        note = f"the claim of the inputs bound to PersistentVolume{volume_name} (this {kind})"
        return {"volume_claim": claim, "volume_claim_note": note}
    what = f"this {kind}"
    if key == "nfs" and isinstance(source, dict):
        server, export = source.get("server"), source.get("path")
        if all(isinstance(v, str) and _PLAIN_WORD.fullmatch(v) for v in (server, export)):
            what = f"the NFS export {server}:{export}"
    if key == "gitRepo":
        note = "a placeholder: no claim holds a git checkout; clone it into an emptyDir instead"
    else:
        note = (
            f"a placeholder: first create a PersistentVolume for {what} and a "
            "PersistentVolumeClaim bound to it, then name that claim here"
        )
    return {"volume_claim": CLAIM_PLACEHOLDER, "volume_claim_note": note}


#: The pod spec's container lists.
CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")


def volumes_by_name(spec: dict[str, Any]) -> dict[str, tuple[int, dict[str, Any]]]:
    out = {}
    for index, volume in enumerate(items(spec.get("volumes"))):
        if isinstance(volume, dict) and isinstance(volume.get("name"), str):
            out[volume["name"]] = (index, volume)
    return out


def mounts(container: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    return [
        (index, mount)
        for index, mount in enumerate(items(container.get("volumeMounts")))
        if isinstance(mount, dict) and isinstance(mount.get("mountPath"), str)
    ]


def source_of(volume: dict[str, Any]) -> str | None:
    return next((key for key in volume if key != "name"), None)


def normal_path(path: str) -> str:
    """``posixpath.normpath(path)``, without its cost for an absolute path that is already
    normal (most mount paths and homes): no empty, ``.`` or ``..`` part, no trailing slash."""
    if path[:1] == "/" and "//" not in path and "/." not in path and path[-1] != "/":
        return path
    return posixpath.normpath(path)


def mount_at(
    spec: dict[str, Any],
    container: dict[str, Any],
    path: str,
    volumes: dict[str, tuple[int, dict[str, Any]]] | None = None,
) -> tuple[int, dict[str, Any], dict[str, Any]] | None:
    """The mount serving ``path`` (the deepest mountPath at or above it), with its volume.

    ``volumes``: :func:`volumes_by_name` of ``spec``, when the caller has it already.
    """
    best = None
    best_length = -1
    target = normal_path(path)
    if volumes is None:
        volumes = volumes_by_name(spec)
    for index, mount in mounts(container):
        mount_path = normal_path(mount["mountPath"])
        inside = target == mount_path or target.startswith(mount_path.rstrip("/") + "/")
        deeper = len(mount_path) > best_length
        if inside and deeper and isinstance(mount.get("name"), str) and mount["name"] in volumes:
            best = (index, mount, volumes[mount["name"]][1])
            best_length = len(mount_path)
    return best


def writable(spec: dict[str, Any], container: dict[str, Any], path: str) -> bool:
    """Whether ``path`` lies on a writable volume mount."""
    found = mount_at(spec, container, path)
    if found is None:
        return False
    _, mount, volume = found
    return mount.get("readOnly") is not True and source_of(volume) not in READ_ONLY_SOURCES


def per_user(text: Any) -> bool:
    return isinstance(text, str) and any(p in text for p in PER_USER_PLACEHOLDERS)


@lru_cache(maxsize=256)
def comment(text: str, width: int = 92) -> str:
    """``text`` as YAML comment lines of at most ``width`` columns: a hint that is advice only.
    Wrapped once per text: the same advice goes with every pod of an image."""
    return "\n".join(wrap(text, width, "# "))


def bidirectional_kept(pod: EffectivePod, path: tuple[Any, ...], hint: str) -> str | None:
    """The name of a ``mountPropagation: Bidirectional`` mount of the privileged container at pod
    path ``path`` that fix ``hint`` makes unprivileged (``privileged: false``, or the key
    deleted) without changing any mount's propagation — the API server refuses that
    (``bidirectional-mount-unprivileged``) — else None. Only such containers (few) parse the
    hint."""
    if "privileged" not in hint or "mountPropagation" in hint:
        return None  # (most hints)
    if len(path) < 3 or path[0] != "spec" or path[1] not in CONTAINER_LISTS:
        return None
    listed = items(pod.spec.get(path[1]))
    container = listed[path[2]] if type(path[2]) is int and path[2] < len(listed) else None
    if not isinstance(container, dict):
        return None
    if _dict(container.get("securityContext")).get("privileged") is not True:
        return None
    shared = [
        mount
        for mount in items(container.get("volumeMounts"))
        if isinstance(mount, dict) and mount.get("mountPropagation") == "Bidirectional"
    ]
    if not shared or "privileged" not in hint or "mountPropagation" in hint:
        return None
    import yaml

    try:
        patch = parsed_hint(hint)
    except yaml.YAMLError:
        return None
    if not any(value is None or value is False for value in _values_of(patch, "privileged")):
        return None
    return str(shared[0].get("name"))


def _values_of(tree: Any, key: str) -> Iterator[Any]:
    """Every value of ``key`` anywhere in ``tree`` (a parsed hint)."""
    if isinstance(tree, list):
        for item in tree:
            yield from _values_of(item, key)
    elif isinstance(tree, dict):
        for name, value in tree.items():
            if name == key:
                yield value
            yield from _values_of(value, key)


#: The keys strategic merge matches list items by, in the lists a hint writes.
_MERGE_KEYS = ("name", "mountPath", "containerPort", "devicePath", "ip")


def overwritten_placeholders(
    pod: EffectivePod, key: str, hint: str, template_key: str | None
) -> list[tuple[tuple[Any, ...], tuple[Any, ...], str]]:
    """The values fix ``hint`` (chosen under hint key ``key``) would write over a placeholder of
    the input (``runAsUser: ${{UID}}``, a Flux ``${var}``, a template nblint reads as unknown):
    ``(path in the hint, pod path, the placeholder)`` each. A fix never overwrites one (its
    parameter or variable would silently stop doing anything). Read for the hints this can lay
    over the pod: a pod template's (``key`` is ``template_key``, the dialects' pod-template
    hint key, or one of its container hints), or a patch of an object that holds the pod
    template at ``spec.template`` (a Notebook); the applier refuses the others' edits
    (:mod:`nblint.fix.apply`)."""
    literal, parameters = pod_unknowable(pod.facts)
    if not _holds_placeholder(pod, literal, parameters):
        return []  # (most pods)
    import yaml

    try:
        patch = parsed_hint(hint)
    except yaml.YAMLError:
        return []
    prefix: tuple[Any, ...] = ()
    if template_key is None or (key != template_key and not key.startswith(f"{template_key}:")):
        template = _dict(_dict(patch).get("spec")).get("template")
        if not isinstance(template, dict):
            return []
        patch, prefix = template, ("spec", "template")
    found: list[tuple[tuple[Any, ...], tuple[Any, ...], str]] = []
    _overwrites(patch, pod.pod, prefix, (), (literal, parameters), found)
    return found


def _holds_placeholder(pod: EffectivePod, literal: bool, parameters: bool) -> bool:
    """Whether any text of the pod is a placeholder: worked out once per pod (one walk), asked
    by every hint."""
    memo = pod.memo
    held: bool | None = memo.get(_HOLDS_PLACEHOLDER)
    if held is None:
        held = False
        stack: list[Any] = [pod.pod]
        texts: list[str] = []
        while stack:
            node = stack.pop()
            if node.__class__ is str:  # (most nodes)
                texts.append(node)
            elif isinstance(node, dict):
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
        # What every placeholder holds, looked for in all the texts at once (most pods hold
        # none), then text by text.
        joined = "\0".join(texts)
        if "${" in joined or "{{" in joined or "ENC[" in joined:
            held = any(unknowable_value(text, literal, parameters) for text in texts)
        memo[_HOLDS_PLACEHOLDER] = held
    return held


_HOLDS_PLACEHOLDER = "podview.holds_placeholder"


def may_hold_placeholder(text: str) -> bool:
    """Whether ``text`` (a file's) holds what every placeholder holds."""
    return "${" in text or "{{" in text or "ENC[" in text


def holds_no_placeholder(pod: EffectivePod) -> None:
    """Say that ``pod`` holds no placeholder (no file of the run holds placeholder text, and
    neither do the chart defaults and tables a dialect adds), for :func:`_holds_placeholder`."""
    pod.memo[_HOLDS_PLACEHOLDER] = False


def _overwrites(
    patch: Any,
    written: Any,
    at: tuple[Any, ...],
    pod_at: tuple[Any, ...],
    unknowable: tuple[bool, bool],
    found: list[tuple[tuple[Any, ...], tuple[Any, ...], str]],
) -> None:
    if not isinstance(patch, dict) or not isinstance(written, dict):
        return
    for key, value in patch.items():
        if key not in written:
            continue
        current = written[key]
        here, pod_here = (*at, key), (*pod_at, key)
        if isinstance(value, dict) and isinstance(current, dict):
            _overwrites(value, current, here, pod_here, unknowable, found)
            continue
        if isinstance(value, list) and isinstance(current, list) and _merged_list(value):
            # A list merged by key (containers by name): only the entries it names are merged.
            for index, item in enumerate(value):
                match = _merged_item(item, current)
                if match is not None:
                    _overwrites(
                        item,
                        current[match],
                        (*here, index),
                        (*pod_here, match),
                        unknowable,
                        found,
                    )
            continue
        # Replaced (or, null, deleted): whatever placeholder it is or holds is gone.
        placeholder = _placeholder_in(current, unknowable)
        if placeholder is not None and value != current:
            found.append((here, pod_here, placeholder))


def _merged_list(value: list[Any]) -> bool:
    return bool(value) and all(
        isinstance(item, dict) and any(key in item for key in _MERGE_KEYS) for item in value
    )


def _merged_item(item: Any, current: list[Any]) -> int | None:
    """The index of the entry of ``current`` that hint item ``item`` merges into, if any."""
    if not isinstance(item, dict):
        return None
    for key in _MERGE_KEYS:
        if key in item:
            for index, entry in enumerate(current):
                if isinstance(entry, dict) and entry.get(key) == item[key]:
                    return index
            return None
    return None


def _placeholder_in(value: Any, unknowable: tuple[bool, bool]) -> str | None:
    """The first placeholder ``value`` is or holds, else None."""
    if isinstance(value, str):
        return value if unknowable_value(value, *unknowable) else None
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            found = _placeholder_in(item, unknowable)
            if found is not None:
                return found
    return None
