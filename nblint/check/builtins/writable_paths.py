"""A read-only root filesystem, done right (``notebook-read-only-root-filesystem``,
``notebook-writable-paths``).

Why Python: it joins ``readOnlyRootFilesystem`` with the container's volume mounts, the volumes'
types and the image's HOME and writable paths from the notebook-images table.

Aspects (``options: {aspect: …}``):

* ``read-only`` — the notebook container's root filesystem is writable. The fix turns it
  read-only *and* mounts what Jupyter then needs, so following it does not trade this finding
  for the next one.
* ``paths`` — with ``readOnlyRootFilesystem: true``, Jupyter cannot start a kernel unless
  ``/tmp`` and ``$HOME/.cache`` are writable (and ``/run`` or other paths for images that write
  there): one finding per path that no writable volume serves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from nblint.check import images, podview
from nblint.check.targets import RawViolation, notebook_of
from nblint.model.pod import EffectivePod
from nblint.model.template import render_template

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: HOME assumed for a fix hint when neither the image table nor the env says (Jupyter's); the
#: hint says it is assumed (``{home_note}``).
DEFAULT_HOME = podview.ASSUMED_HOME


def required_paths(container: dict[str, Any], home: str | None) -> list[str]:
    """Paths Jupyter writes to in ``container``, whose HOME is ``home`` (None: unknown)."""
    paths = ["/tmp"]
    if home:
        paths += [home, f"{home.rstrip('/')}/.cache"]
    entry = images.lookup(container.get("image"))
    for path in (entry or {}).get("writable") or []:
        path = str(path)
        if path.startswith("$HOME"):
            if not home:
                continue
            path = home + path[len("$HOME") :]
        if path.startswith("/") and path not in paths:
            paths.append(path)
    return paths


def volume_name(path: str) -> str:
    """A volume name for a mount path: ``/home/jovyan/.cache`` → ``home-jovyan-cache``."""
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "root"


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:

    found = notebook_of(pod)
    if found is None:
        return
    base, container, variables = found
    spec = pod.spec
    read_only = podview.security(spec, container, "readOnlyRootFilesystem") is True
    known_home = podview.notebook_home(pod)
    home = known_home or DEFAULT_HOME
    home_note = "" if known_home else podview.ASSUMED_HOME_NOTE
    if impl.builtin_options.get("aspect") == "read-only":
        if not read_only:
            value = podview.security(spec, container, "readOnlyRootFilesystem")
            # With the root read-only, HOME must be a volume of its own, and the claim for it is
            # the user's to name (notebook-home-persistent's hint is shown, not applied, outside
            # z2jh): until HOME is on a writable volume, this fix is shown, never applied (the
            # server could not write its own HOME). A HOME nblint does not know is taken to be
            # the assumed one: a root made read-only would freeze it all the same.
            home_first = not podview.writable(spec, container, home)
            in_image = pod.facts.get("home_in_image")
            edited = _edits_own_files(container)
            if edited is not None:
                # The image's start edits its own files (/etc/passwd): a volume there hides them,
                # the root left as it is keeps them unwritable. Advice, never applied.
                yield RawViolation(
                    (*base, "securityContext", "readOnlyRootFilesystem"),
                    "",
                    variables["container"],
                    variables={**variables, "value": "unset" if value is None else value},
                    fix={"any": edited},
                    fix_safety="display-only",
                )
                return
            if in_image and not podview.writable(spec, container, home):
                # HOME is on the root filesystem and holds what the image brings (BinderHub's
                # repository): a read-only root makes it read-only, a volume there hides it.
                yield RawViolation(
                    (*base, "securityContext", "readOnlyRootFilesystem"),
                    "",
                    variables["container"],
                    variables={
                        **variables,
                        "value": "unset" if value is None else value,
                    },
                    fix={"any": read_only_home_in_image(in_image)},
                    fix_safety="display-only",
                )
                return
            entry = images.lookup(container.get("image"))
            case = images.read_only_root(container.get("image"), entry) or {}
            if case.get("refused"):
                # The table says this image cannot start with a read-only root (s6-overlay of
                # Kubeflow v1.9/v1.10): the hint is that advice, never an applied edit.
                yield RawViolation(
                    (*base, "securityContext", "readOnlyRootFilesystem"),
                    "",
                    variables["container"],
                    variables={**variables, "value": "unset" if value is None else value},
                    fix={"any": podview.comment(str(case["refused"]))},
                    fix_safety="display-only",
                )
                return
            hints, shown_only = _read_only_hints(pod, rule.fix, entry, case)
            shown = {
                **variables,
                "home": home,
                "home_note": home_note,
                "value": "unset" if value is None else value,
            }
            own_paths = _image_paths(entry, known_home)
            if own_paths:
                # The image writes paths of its own (tensorflow's /tf and /.local): the hint
                # mounts those, and a HOME nblint does not know for this uid is not assumed.
                hints = {
                    key: _mounting(render_template(hint, shown), own_paths, known_home)
                    for key, hint in hints.items()
                }
                if known_home is None:
                    home_first = False
                    shown_only = True
                    hints = {key: UNKNOWN_HOME + hint for key, hint in hints.items()}
            elif known_home is None and home_first:
                # Neither the image table nor the env says where HOME is (an image nblint does
                # not know, a Template's `${NAME}`): the hint asks for a volume at HOME first,
                # which holds ~/.cache too, and assumes no docker-stacks HOME for a mount of its
                # own (field test 17b D2: /home/jovyan/.cache for an RStudio server).
                hints = {key: _mounting(hint, [], None) for key, hint in hints.items()}
                hints = {key: HOME_CACHE + hint for key, hint in hints.items()}
            if case.get("note"):
                # What the table knows about this image and a read-only root, on the hint.
                note = podview.comment(str(case["note"])) + "\n"
                hints = {key: note + hint for key, hint in hints.items()}
            yield RawViolation(
                (*base, "securityContext", "readOnlyRootFilesystem"),
                "",
                variables["container"],
                variables=shown,
                fix={key: HOME_FIRST + hint for key, hint in hints.items()}
                if home_first
                else hints,
                fix_safety="display-only" if home_first or shown_only else None,
            )
        return
    if not read_only:
        return
    where = (*base, "volumeMounts") if container.get("volumeMounts") else base
    edited = _edits_own_files(container)
    s6 = images.read_only_root(container.get("image"), images.lookup(container.get("image")))
    for path in required_paths(container, known_home):
        if not podview.writable(spec, container, path):
            home_itself = path == known_home
            advice = edited if edited is not None else _home_advice(pod) if home_itself else None
            run_hints: dict[str, str] | None = None
            if path == "/run" and advice is None and s6:
                # s6-overlay's /run: no volume there lets a v1.9/v1.10 image start, and a
                # v1.11 one also needs s6's variable, which this hint does not set: shown only.
                if s6.get("refused"):
                    advice = podview.comment(str(s6["refused"]))
                elif s6.get("needs"):
                    run_hints = {key: S6_ADVICE + hint for key, hint in rule.fix.items()}
            yield RawViolation(
                where,
                "",
                variables["container"],
                variables={
                    **variables,
                    "home": home,
                    "home_note": home_note,
                    "value": path,
                    "mount_path": path,
                    "volume": volume_name(path),
                },
                distinct=path,
                # HOME wants a volume that keeps the user's work, not a scratch one: that is
                # notebook-home-persistent's fix (none where the image keeps content in HOME).
                fix={"any": advice} if advice is not None else run_hints,
                fix_safety="display-only" if advice is not None or run_hints else None,
            )


#: The rule's hint for images that write /run at start (s6-overlay), by its dialect key.
S6_SUFFIX = "-s6"

S6_ADVICE = (
    "# this image also writes /run at start (s6-overlay): mount an emptyDir there too, and set\n"
    "# S6_YES_I_WANT_A_WORLD_WRITABLE_RUN_BECAUSE_KUBERNETES=1 in its env (s6 3.2.1+)\n"
)


def _read_only_hints(
    pod: EffectivePod, fixes: dict[str, str], entry: dict[str, Any] | None, case: dict[str, Any]
) -> tuple[dict[str, str], bool]:
    """The rule's hints for this image, from its table row's writable paths, and whether they
    may only be shown. An image that writes /run (s6-overlay) gets the ``-s6`` hint where the
    rule has one for the pod's dialect (an emptyDir /run and s6's variable); elsewhere the
    plain hint, shown only, with what it lacks. Every other image gets the plain hint: no
    /run it never writes."""
    plain = {key: hint for key, hint in fixes.items() if not key.endswith(S6_SUFFIX)}
    writable = [str(path) for path in (entry or {}).get("writable") or ()]
    if "/run" not in writable:
        return plain, False
    hints = {
        key: fixes.get(key + S6_SUFFIX) or S6_ADVICE + hint
        for key, hint in plain.items()
        if key == pod.dialect or key.startswith(pod.dialect)
    } or {key: S6_ADVICE + hint for key, hint in plain.items()}
    # What the table says the image needs must be in the hint, or it is only shown.
    needs = case.get("needs")
    shown_only = any(
        hint.startswith(S6_ADVICE) or (needs and str(needs) not in hint) for hint in hints.values()
    )
    return hints, shown_only


def _image_paths(entry: dict[str, Any] | None, home: str | None) -> list[str]:
    """The paths the image's table row says it writes, besides /tmp, HOME's and /run (which the
    rule's hints serve): ``/tf`` and ``/.local`` of tensorflow's jupyter images."""
    paths = []
    for path in (entry or {}).get("writable") or ():
        path = str(path)
        if path.startswith("$HOME") or not path.startswith("/") or path in ("/tmp", "/run"):
            continue
        if home and (path == home or path.startswith(home.rstrip("/") + "/")):
            continue
        paths.append(path)
    return paths


#: The entries of the rule's hints for HOME's cache: a volume or a mount, as a list item or as
#: a z2jh map entry; each copied for every path of the image's own.
_CACHE_ENTRY = re.compile(r"^(\s*)(- name: cache|cache:)\s*$")


def _mounting(hint: str, paths: list[str], home: str | None) -> str:
    """Rendered ``hint`` with an emptyDir at each of ``paths`` too: every ``cache`` entry (its
    volume, its mount) is copied for each path; it stays only when HOME is known (no
    docker-stacks HOME is assumed for an image the table knows)."""
    lines = hint.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        found = _CACHE_ENTRY.match(lines[index])
        if found is None:
            out.append(lines[index])
            index += 1
            continue
        indent = len(found.group(1))
        end = index + 1
        while end < len(lines) and (
            not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent
        ):
            end += 1
        while end > index + 1 and not lines[end - 1].strip():
            end -= 1  # blank lines after the entry are not its own
        block = lines[index:end]
        if home is not None:
            out.extend(block)
        for path in paths:
            out.extend(_entry_for(block, path))
        index = end
    return "\n".join(out)


def _entry_for(block: list[str], path: str) -> list[str]:
    """The ``cache`` entry ``block`` for an emptyDir at ``path``."""
    name = volume_name(path)
    out = []
    for line in block:
        stripped = line.lstrip()
        lead = line[: len(line) - len(stripped)]
        if stripped.startswith("mountPath:"):
            line = f"{lead}mountPath: {path}"
        elif stripped in ("- name: cache", "name: cache"):
            line = f"{lead}{stripped.replace('cache', name)}"
        elif stripped == "cache:":
            line = f"{lead}{name}:"
        out.append(line)
    return out


UNKNOWN_HOME = (
    "# nblint does not know this image's HOME for this uid: the emptyDirs below are the paths\n"
    "# the image writes (its notebook-images table row); check your image\n"
)

HOME_FIRST = (
    "# first mount a volume of your own at HOME (see notebook-home-persistent): on a read-only\n"
    "# root, the server could not write its home\n"
)

#: After :data:`HOME_FIRST`, for a HOME nblint does not know: no mount for its cache.
HOME_CACHE = "# (nblint does not know this image's HOME: its ~/.cache is in that volume)\n"

HOME_ADVICE = (
    "# HOME needs a volume of its own that keeps the user's work: see the fix of\n"
    "# notebook-home-persistent (an emptyDir here would lose it at every restart)"
)


def _home_advice(pod: EffectivePod) -> str:
    in_image = pod.facts.get("home_in_image")
    return read_only_home_in_image(in_image) if in_image else HOME_ADVICE


def read_only_home_in_image(why: str) -> str:
    """The hint for a pod whose image keeps the user's content in HOME, on the root filesystem
    (``home_in_image``): no read-only root keeps that HOME writable and its content in view."""
    return podview.comment(
        f"{why}: a read-only root filesystem makes HOME read-only (no notebook could be saved), "
        "and a volume mounted at HOME would hide what the image keeps there. Keep the root "
        "filesystem of these pods writable."
    )


def _edits_own_files(container: dict[str, Any]) -> str | None:
    """The advice for an image whose start edits its own files in place (its table row's
    ``edited_at_start``): an emptyDir over /etc would hide the image's passwd, a read-only root
    leaves them unwritable; None for any other image."""
    entry = images.lookup(container.get("image"))
    edited = (entry or {}).get("edited_at_start")
    if not isinstance(edited, list) or not edited:
        return None
    return podview.comment(
        f"this image edits its own files in {', '.join(map(str, edited))} at every start: a "
        "volume mounted there would hide the image's files, and a read-only root filesystem "
        "leaves them unwritable. Keep its root filesystem writable, or use an image that "
        "starts without editing them."
    )
